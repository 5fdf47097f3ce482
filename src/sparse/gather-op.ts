/**
 * Row gather with a scatter-add backward, on host memory where the backend allows it (wasm
 * tf.gather is ≈10× slower than a typed-array row copy), else tf.gather. Used to project voxel
 * features back onto points and to pick rows for losses.
 */
import * as tf from '@tensorflow/tfjs';
import { hostBackend, type HostBackend } from './host-backend.js';

function scatterAddHost(host: HostBackend, dy: tf.TensorInfo, idx: Int32Array, n: number): tf.TensorInfo {
  const out = host.zeros([n, dy.shape[1]]);
  host.scatterAddRows(dy, out, idx, 0, idx.length);
  return out;
}

/** rows of x [n×c] at `idx` → [idx.length×c], differentiable w.r.t. x. */
export function gatherRows(x: tf.Tensor2D, idx: Int32Array): tf.Tensor2D {
  const n = x.shape[0];
  for (let j = 0; j < idx.length; j++) {
    if (idx[j] < 0 || idx[j] >= n)
      throw new RangeError(`gatherRows: index ${idx[j]} at ${j} outside [0, ${n})`);
  }
  const host = hostBackend();
  if (!host) return tf.tidy(() => tf.gather(x, tf.tensor1d(idx, 'int32')));
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const xt = args[0] as tf.Tensor2D;
    return {
      value: host.toTensor<tf.Rank.R2>(host.gatherRows(xt, idx, 0, idx.length)),
      gradFunc: (dy) => host.toTensor(scatterAddHost(host, dy as tf.Tensor, idx, n)),
    };
  });
  return op(x) as tf.Tensor2D;
}
