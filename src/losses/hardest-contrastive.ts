/**
 * Hardest-contrastive loss (FCGF / PointContrast `contrastive_hardest_negative_loss`): squared
 * positive distances above a margin, plus the hardest negative of each anchor among random
 * candidates of the other cloud, mined in both directions; a hardest negative that is itself a
 * true correspondence is skipped.
 */
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { tidyRead, tidyScalar } from '../sparse/read.js';
import type { Rng } from '../core/rng.js';
import { gatherRows } from '../sparse/gather-op.js';
import { matMul2d } from '../sparse/matmul.js';
import { featureStd, type ContrastiveDiagnostics, type LossResult } from './diagnostics.js';
import { splitPairs, subsample } from './sampling.js';
import { npos } from './options.js';

/** The config of the loss (`loss: { type: hardest-contrastive, … }`). */
export const hardestContrastiveSchema = z.strictObject({
  type: z.literal('hardest-contrastive'),
  npos,
  /** Random negative candidates per cloud (256 × 4). */
  negCandidates: z.number().int().positive().default(1024),
  posMargin: z.number().min(0).default(0.1),
  negMargin: z.number().positive().default(1.4),
});

export type HardestOptions = Omit<z.output<typeof hardestContrastiveSchema>, 'type'>;

/** Pairwise Euclidean distances sqrt(|a|² + |b|² − 2a·b + 1e-7) (the reference's pdist). */
export function pdist(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  const a2 = tf.sum(tf.square(a), 1, true);
  const b2 = tf.reshape(tf.sum(tf.square(b), 1), [1, -1]);
  const d2 = tf.sub(tf.add(a2, b2), tf.mul(matMul2d(a, tf.transpose(b)), 2));
  return tf.sqrt(tf.add(tf.relu(d2), 1e-7)) as tf.Tensor2D;
}

export interface HardestDiagnostics extends ContrastiveDiagnostics {
  posLoss: number;
  negLoss: number;
  /** Share of hardest negatives skipped because they were true correspondences. */
  skipped: number;
}

/** Hardest-contrastive loss over interleaved correspondences (rows of f0, rows of f1). */
export function hardestContrastive(
  f0: tf.Tensor2D,
  f1: tf.Tensor2D,
  corr: Int32Array,
  rng: Rng,
  opts: HardestOptions = hardestContrastiveSchema.parse({ type: 'hardest-contrastive' }),
): LossResult<HardestDiagnostics> {
  const all = splitPairs(corr);
  if (all.q.length === 0) throw new Error('hardest-contrastive: no correspondences in the batch');
  const n0 = f0.shape[0];
  const n1 = f1.shape[0];
  const keep = subsample(all.q.length, opts.npos, rng);
  const i = Int32Array.from(keep, (t) => all.q[t]);
  const j = Int32Array.from(keep, (t) => all.k[t]);
  const sel0 = subsample(n0, opts.negCandidates, rng);
  const sel1 = subsample(n1, opts.negCandidates, rng);
  // Every positive, hashed as a + b·max(N0, N1), to skip false negatives.
  const base = Math.max(n0, n1);
  const positives = new Set<number>();
  for (let t = 0; t < all.q.length; t++) positives.add(all.q[t] + all.k[t] * base);

  const fi = gatherRows(f0, i);
  const fj = gatherRows(f1, j);
  const d01 = pdist(fi, gatherRows(f1, sel1));
  const d10 = pdist(fj, gatherRows(f0, sel0));
  const k01 = tidyRead(() => tf.argMin(d01, 1));
  const k10 = tidyRead(() => tf.argMin(d10, 1));
  const mask0 = new Float32Array(i.length);
  const mask1 = new Float32Array(i.length);
  let skipped = 0;
  for (let t = 0; t < i.length; t++) {
    mask0[t] = positives.has(i[t] + sel1[k01[t]] * base) ? 0 : 1;
    mask1[t] = positives.has(sel0[k10[t]] + j[t] * base) ? 0 : 1;
    skipped += 2 - mask0[t] - mask1[t];
  }
  const posD2 = tf.sum(tf.square(tf.sub(fi, fj)), 1);
  const posLoss = tf.mean(tf.relu(tf.sub(posD2, opts.posMargin)));
  const hinge = (d: tf.Tensor2D, mask: Float32Array) => {
    const kept = mask.reduce((a, b) => a + b, 0);
    if (kept === 0) return tf.scalar(0);
    const h = tf.square(tf.relu(tf.sub(opts.negMargin, tf.min(d, 1))));
    return tf.div(tf.sum(tf.mul(h, tf.tensor1d(mask))), kept);
  };
  const negLoss = tf.mul(tf.add(hinge(d01, mask0), hinge(d10, mask1)), 0.5);
  const loss = tf.add(posLoss, negLoss) as tf.Scalar;
  const posSim = tidyScalar(() => tf.mean(tf.sum(tf.mul(fi, fj), 1)));
  const negSim = tidyScalar(() => tf.mean(tf.sub(1, tf.div(tf.square(tf.min(d01, 1)), 2))));
  return {
    loss,
    diagnostics: {
      posSim,
      negSim,
      featStd: featureStd(f0),
      posLoss: posLoss.dataSync()[0],
      negLoss: negLoss.dataSync()[0],
      skipped: skipped / (2 * i.length),
    },
  };
}
