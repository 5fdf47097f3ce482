/**
 * A·B with a gradient that never asks the backend for a transposed GEMM: tfjs-wasm runs
 * transposed BatchMatMul on a naive loop (≈7× slower than XNNPACK), so the backward
 * materialises Aᵀ / Bᵀ with a transpose and uses plain products.
 */
import * as tf from '@tensorflow/tfjs';

const mm = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [a, b] = args as tf.Tensor2D[];
  (args[2] as tf.GradSaveFunc)([a, b]);
  return {
    value: tf.matMul(a, b),
    gradFunc: (dy, saved) => {
      const [sa, sb] = saved as tf.Tensor2D[];
      const g = dy as tf.Tensor2D;
      return [tf.matMul(g, tf.transpose(sb)), tf.matMul(tf.transpose(sa), g)];
    },
  };
});

/** C = A·B for 2-D tensors (fast forward and backward on every backend). */
export function matMul2d(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  return mm(a, b) as tf.Tensor2D;
}
