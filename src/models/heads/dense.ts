/**
 * A dense layer on [rows × features] tensors for the heads (weights and bias in the model's
 * Params store, PyTorch's default init U(±1/√Cin)); the product uses matMul2d so its gradient
 * never asks tfjs-wasm for a transposed GEMM.
 */
import * as tf from '@tensorflow/tfjs';
import type { Params } from '../params.js';
import { matMul2d } from '../../sparse/matmul.js';

/** y = x·W + b. */
export class Dense {
  readonly weight: tf.Variable;
  readonly bias: tf.Variable;
  constructor(
    p: Params,
    name: string,
    readonly cin: number,
    readonly cout: number,
    /** Constant initial bias (default: uniform like the weights). */
    biasInit?: number,
    /** Start from zero weights (an output layer whose initial prediction is the bias). */
    zeroWeights = false,
  ) {
    const bound = 1 / Math.sqrt(cin);
    this.weight = p.add(
      `${name}.weight`,
      [cin, cout],
      zeroWeights ? { kind: 'const', value: 0 } : { kind: 'uniform', bound },
    );
    this.bias = p.add(
      `${name}.bias`,
      [cout],
      biasInit === undefined ? { kind: 'uniform', bound } : { kind: 'const', value: biasInit },
    );
  }
  apply(x: tf.Tensor2D): tf.Tensor2D {
    return tf.add(matMul2d(x, this.weight as tf.Tensor2D), this.bias);
  }
}
