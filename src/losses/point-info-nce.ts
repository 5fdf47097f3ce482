/**
 * PointInfoNCE (PointContrast, `PointNCELossTrainer`): one random match per query, at most npos
 * queries, logits = q·kᵀ/τ over the sampled keys (other scenes of the batch included), and
 * cross-entropy against the diagonal (τ's default: losses/options.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import type { Rng } from '../core/rng.js';
import { gatherRows } from '../sparse/gather-op.js';
import { matMul2d } from '../sparse/matmul.js';
import { featureStd, pairSimilarities, type LossResult } from './diagnostics.js';
import { sampleOneMatchPerQuery, type Matches } from './sampling.js';
import { logSumExpRows } from './log-sum-exp.js';
import { phase } from '../sparse/phases.js';
import { npos, temperature } from './options.js';
import { FAST_PATHS, type CodePaths } from '../sparse/code-paths.js';

/** The config of the loss (`loss: { type: point-info-nce, … }`). */
export const pointInfoNCESchema = z.strictObject({
  type: z.literal('point-info-nce'),
  npos,
  temperature,
});

export type InfoNCEOptions = Omit<z.output<typeof pointInfoNCESchema>, 'type'>;

/** The code path the loss takes (the log-sum-exp gradient; default the fast one). */
type LossPaths = Pick<CodePaths, 'directLogSumExp'>;

/** InfoNCE on already-sampled matches: mean over rows of logsumexp(q·kᵀ/τ) − q·k/τ. */
export function infoNCEOnMatches(
  f0: tf.Tensor2D,
  f1: tf.Tensor2D,
  m: Matches,
  temperature: number,
  paths: LossPaths = FAST_PATHS,
): LossResult {
  if (m.q.length === 0) throw new Error('PointInfoNCE: no correspondences in the batch');
  return phase('loss', () => {
    const q = gatherRows(f0, m.q);
    const k = gatherRows(f1, m.k);
    const sim = matMul2d(q, tf.transpose(k));
    const diag = tf.sum(tf.mul(q, k), 1) as tf.Tensor1D;
    const logits = tf.div(sim, temperature) as tf.Tensor2D;
    const lse = logSumExpRows(logits, paths.directLogSumExp);
    const loss = tf.mean(tf.sub(lse, tf.div(diag, temperature))) as tf.Scalar;
    const { posSim, negSim } = pairSimilarities(sim, diag);
    return { loss, diagnostics: { posSim, negSim, featStd: featureStd(f0) } };
  });
}

/** PointInfoNCE over interleaved correspondences (rows of f0, rows of f1). */
export function pointInfoNCE(
  f0: tf.Tensor2D,
  f1: tf.Tensor2D,
  corr: Int32Array,
  rng: Rng,
  opts: InfoNCEOptions = pointInfoNCESchema.parse({ type: 'point-info-nce' }),
  paths: LossPaths = FAST_PATHS,
): LossResult {
  const m = sampleOneMatchPerQuery(corr, f0.shape[0], opts.npos, rng);
  return infoNCEOnMatches(f0, f1, m, opts.temperature, paths);
}
