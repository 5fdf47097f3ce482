/**
 * Parameterised sparse layers (MinkowskiEngine conventions): convolutions without bias and
 * kernels ~ U(±1/√(Cin·k³)) (transposed: Cout instead of Cin), batch norm γ=1 β=0 with running
 * statistics, and the final 1×1 layer with bias.
 */
import * as tf from '@tensorflow/tfjs';
import type { Params } from './params.js';
import type { SparseTensor } from '../sparse/sparse-tensor.js';
import { batchNorm, conv, convDown, convUp, linear } from '../sparse/ops.js';
import { matMul2d } from '../sparse/matmul.js';

/** Forward-pass mode shared by all layers of a call. */
export interface Mode {
  training: boolean;
  /**
   * In training mode, whether batch norms update their running statistics (default true).
   * False for extra passes of one step (SMART's perturbed pass) so only the main pass moves them.
   */
  updateStats?: boolean;
  /**
   * In training mode, the running-statistics momentum of every batch norm (PyTorch convention),
   * in place of each layer's own: 1/(k+1) on the k-th of K passes makes the running statistics
   * the plain average of the K passes' batch statistics (the recalibration of AdaBN).
   */
  bnMomentum?: number;
  /** Added to the stem output (after stem BN + ReLU): SMART's perturbation of the first features. */
  stemDelta?: tf.Tensor2D;
  /** Called with every batch norm's output (by parameter prefix), e.g. to record activations. */
  observe?: (layer: string, features: tf.Tensor2D) => void;
}

export class Conv {
  readonly weight: tf.Variable;
  constructor(
    readonly p: Params,
    readonly name: string,
    readonly cin: number,
    readonly cout: number,
    readonly kernel: number,
    readonly dilation = 1,
  ) {
    const vol = kernel ** 3;
    this.weight = p.add(`${name}.weight`, [vol, cin, cout], {
      kind: 'uniform',
      bound: 1 / Math.sqrt(cin * vol),
    });
  }
  apply(x: SparseTensor): SparseTensor {
    const w = this.p.effective(`${this.name}.weight`);
    if (this.kernel === 1) return x.withFeatures(matMul2d(x.features, tf.reshape(w, [this.cin, this.cout])));
    return conv(x, w as tf.Tensor3D, this.kernel, this.dilation);
  }
}

/** A stride-2 convolution with a 2³ kernel, weights ~ U(±1/√(fan·8)), applied by `op`. */
class Stride2Conv {
  readonly weight: tf.Variable;
  constructor(
    readonly p: Params,
    readonly name: string,
    cin: number,
    cout: number,
    fan: number,
    private readonly op: (x: SparseTensor, w: tf.Tensor3D) => SparseTensor,
  ) {
    this.weight = p.add(`${name}.weight`, [8, cin, cout], { kind: 'uniform', bound: 1 / Math.sqrt(fan * 8) });
  }
  apply(x: SparseTensor): SparseTensor {
    return this.op(x, this.p.effective(`${this.name}.weight`) as tf.Tensor3D);
  }
}

/** Stride-2 convolution with a 2³ kernel. */
export class ConvDown extends Stride2Conv {
  constructor(p: Params, name: string, cin: number, cout: number) {
    super(p, name, cin, cout, cin, convDown);
  }
}

/** Transposed stride-2 convolution with a 2³ kernel onto the cached finer coordinates (fan: Cout). */
export class ConvUp extends Stride2Conv {
  constructor(p: Params, name: string, cin: number, cout: number) {
    super(p, name, cin, cout, cout, convUp);
  }
}

export class BatchNorm {
  readonly gamma: tf.Variable;
  readonly beta: tf.Variable;
  readonly movingMean: tf.Variable<tf.Rank.R1>;
  readonly movingVariance: tf.Variable<tf.Rank.R1>;
  /**
   * @param momentum PyTorch convention (running ← (1−m)·running + m·batch), as the reference
   *   configs state it; converted to tfjs's 1 − m internally.
   */
  constructor(
    p: Params,
    readonly name: string,
    channels: number,
    readonly momentum: number,
    readonly epsilon = 1e-5,
  ) {
    this.gamma = p.add(`${name}.gamma`, [channels], { kind: 'const', value: 1 });
    this.beta = p.add(`${name}.beta`, [channels], { kind: 'const', value: 0 });
    this.movingMean = p.add(
      `${name}.moving_mean`,
      [channels],
      { kind: 'const', value: 0 },
      false,
    ) as tf.Variable<tf.Rank.R1>;
    this.movingVariance = p.add(
      `${name}.moving_variance`,
      [channels],
      { kind: 'const', value: 1 },
      false,
    ) as tf.Variable<tf.Rank.R1>;
  }
  /** Normalises (and applies ReLU when `relu`). */
  apply(x: SparseTensor, mode: Mode, relu = false): SparseTensor {
    const y = batchNorm(x, this.gamma as tf.Tensor1D, this.beta as tf.Tensor1D, this, {
      training: mode.training,
      momentum: 1 - (mode.bnMomentum ?? this.momentum),
      epsilon: this.epsilon,
      relu,
      updateStats: mode.updateStats ?? true,
    });
    mode.observe?.(this.name, y.features);
    return y;
  }
}

/** 1×1 layer with bias (the network's final layer). */
export class Linear {
  readonly weight: tf.Variable;
  readonly bias: tf.Variable;
  constructor(p: Params, name: string, cin: number, cout: number) {
    const bound = 1 / Math.sqrt(cin);
    this.weight = p.add(`${name}.weight`, [cin, cout], { kind: 'uniform', bound });
    this.bias = p.add(`${name}.bias`, [cout], { kind: 'uniform', bound });
  }
  apply(x: SparseTensor): SparseTensor {
    return linear(x, this.weight as tf.Tensor2D, this.bias as tf.Tensor1D);
  }
}

/**
 * ResNet basic block: conv3 → BN → ReLU → conv3 → BN → (+ residual, projected by a 1×1 conv + BN
 * when the channel count changes) → ReLU.
 */
export class BasicBlock {
  readonly conv1: Conv;
  readonly bn1: BatchNorm;
  readonly conv2: Conv;
  readonly bn2: BatchNorm;
  readonly proj?: { conv: Conv; bn: BatchNorm };
  constructor(p: Params, name: string, cin: number, cout: number, bnMomentum: number, projMomentum: number) {
    this.conv1 = new Conv(p, `${name}.conv1`, cin, cout, 3);
    this.bn1 = new BatchNorm(p, `${name}.bn1`, cout, bnMomentum);
    this.conv2 = new Conv(p, `${name}.conv2`, cout, cout, 3);
    this.bn2 = new BatchNorm(p, `${name}.bn2`, cout, bnMomentum);
    if (cin !== cout) {
      this.proj = {
        conv: new Conv(p, `${name}.downsample.conv`, cin, cout, 1),
        bn: new BatchNorm(p, `${name}.downsample.bn`, cout, projMomentum),
      };
    }
  }
  apply(x: SparseTensor, mode: Mode): SparseTensor {
    let out = this.bn1.apply(this.conv1.apply(x), mode, true);
    out = this.bn2.apply(this.conv2.apply(out), mode);
    const res = this.proj ? this.proj.bn.apply(this.proj.conv.apply(x), mode) : x;
    return out.withFeatures(tf.relu(tf.add(out.features, res.features)) as tf.Tensor2D);
  }
}
