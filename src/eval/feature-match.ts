/**
 * 3DMatch-style evaluation of learned point features on a registered fragment pair:
 * ground-truth correspondences are source points with a reference point within `corrRadius`
 * (3.75 cm) after the ground-truth transform; a correspondence is a hit when the source point's
 * nearest neighbour in feature space (over all reference points) lies within `hitRadius` (10 cm)
 * of its transformed position; feature-match recall is 1 when the hit ratio exceeds 5 %.
 */
import * as tf from '@tensorflow/tfjs';
import { tidyRead } from '../sparse/read.js';
import { RadiusIndex } from '../geometry/radius-search.js';

export interface FeatureMatchOptions {
  corrRadius: number;
  hitRadius: number;
  recallThreshold: number;
}

export const FEATURE_MATCH_DEFAULTS: FeatureMatchOptions = {
  corrRadius: 0.0375,
  hitRadius: 0.1,
  recallThreshold: 0.05,
};

export interface FeatureMatchResult {
  /** Source points with a ground-truth correspondence. */
  pairs: number;
  hit_ratio: number;
  feature_match_recall: number;
}

/** Row index of the most similar row of `ref` for each row of `query` (cosine on unit rows = L2 NN). */
export function nearestFeature(query: tf.Tensor2D, ref: tf.Tensor2D, chunk = 2048): Int32Array {
  const n = query.shape[0];
  const out = new Int32Array(n);
  const refNorm = tf.tidy(() => tf.sum(tf.square(ref), 1));
  const refT = tf.transpose(ref);
  for (let s = 0; s < n; s += chunk) {
    const e = Math.min(n, s + chunk);
    const idx = tidyRead(() => {
      const q = tf.slice(query, [s, 0], [e - s, -1]);
      // argmin |q − r|² = argmax (2 q·r − |r|²)
      return tf.argMax(tf.sub(tf.mul(tf.matMul(q, refT), 2), refNorm), 1);
    });
    out.set(idx, s);
  }
  tf.dispose([refNorm, refT]);
  return out;
}

/**
 * srcInRef: source positions already mapped into the reference frame (n×3); refPos (m×3);
 * features as [n×d] and [m×d] tensors.
 */
export function featureMatch(
  srcInRef: Float32Array,
  refPos: Float32Array,
  srcFeat: tf.Tensor2D,
  refFeat: tf.Tensor2D,
  opts: FeatureMatchOptions = FEATURE_MATCH_DEFAULTS,
): FeatureMatchResult {
  const n = srcInRef.length / 3;
  if (srcFeat.shape[0] !== n || refFeat.shape[0] !== refPos.length / 3) {
    throw new RangeError('featureMatch: feature rows do not match point counts');
  }
  const index = new RadiusIndex(refPos, opts.corrRadius);
  const pairs = index.pairs(srcInRef);
  const has = new Uint8Array(n);
  for (let t = 0; t < pairs.length; t += 2) has[pairs[t]] = 1;
  const queries: number[] = [];
  for (let i = 0; i < n; i++) if (has[i]) queries.push(i);
  if (queries.length === 0) return { pairs: 0, hit_ratio: 0, feature_match_recall: 0 };
  const q = tf.gather(srcFeat, tf.tensor1d(queries, 'int32')) as tf.Tensor2D;
  const nn = nearestFeature(q, refFeat);
  q.dispose();
  let hits = 0;
  const r2 = opts.hitRadius * opts.hitRadius;
  queries.forEach((i, t) => {
    const k = nn[t];
    const dx = srcInRef[i * 3] - refPos[k * 3];
    const dy = srcInRef[i * 3 + 1] - refPos[k * 3 + 1];
    const dz = srcInRef[i * 3 + 2] - refPos[k * 3 + 2];
    if (dx * dx + dy * dy + dz * dz <= r2) hits++;
  });
  const hitRatio = hits / queries.length;
  return {
    pairs: queries.length,
    hit_ratio: hitRatio,
    feature_match_recall: hitRatio > opts.recallThreshold ? 1 : 0,
  };
}
