/**
 * Sparse convolution as gathers over a padded feature matrix, for GPU backends (webgl, webgpu):
 * out = Σ_k X̃[nbr_k]·W_k, where nbr_k[o] is the input row of output o at offset k, or the index of
 * an appended zero row. Every gather and GEMM of a layer has the same shape [nOut×cin] (one
 * compiled shader for all offsets) and nothing is scattered: tfjs's webgl UnsortedSegmentSum
 * compares every row with every segment, far too slow for scenes. Gradients come from autodiff.
 */
import * as tf from '@tensorflow/tfjs';
import type { KernelMap } from './kernel-map.js';

const neighbourCache = new WeakMap<KernelMap, (Int32Array | null)[]>();

/** Per offset, the input row of every output (nIn = the zero row), or null for an empty offset. */
export function neighbourRows(map: KernelMap): (Int32Array | null)[] {
  const cached = neighbourCache.get(map);
  if (cached) return cached;
  const out: (Int32Array | null)[] = [];
  for (let k = 0; k < map.volume; k++) {
    const from = map.start[k];
    const to = map.start[k + 1];
    if (k === map.identity || to === from) {
      out.push(null);
      continue;
    }
    const nbr = new Int32Array(map.nOut).fill(map.nIn);
    for (let j = from; j < to; j++) {
      if (nbr[map.outIdx[j]] !== map.nIn) {
        throw new RangeError(`sparse conv: offset ${k} pairs output ${map.outIdx[j]} with two inputs`);
      }
      nbr[map.outIdx[j]] = map.inIdx[j];
    }
    out.push(nbr);
  }
  neighbourCache.set(map, out);
  return out;
}

/** X [nIn×cin] conv W [volume×cin×cout] over `map` → [nOut×cout] with gathers only. */
export function sparseConvGather(features: tf.Tensor2D, weight: tf.Tensor3D, map: KernelMap): tf.Tensor2D {
  const nbrs = neighbourRows(map);
  return tf.tidy(() => {
    const [, cin, cout] = weight.shape;
    const blocks = tf.unstack(weight) as tf.Tensor2D[];
    const padded = tf.concat([features, tf.zeros([1, cin])], 0);
    let out: tf.Tensor2D =
      map.identity >= 0 ? tf.matMul(features, blocks[map.identity]) : tf.zeros([map.nOut, cout]);
    nbrs.forEach((nbr, k) => {
      if (!nbr) return;
      out = tf.add(out, tf.matMul(tf.gather(padded, tf.tensor1d(nbr, 'int32')), blocks[k]));
    });
    return out;
  });
}
