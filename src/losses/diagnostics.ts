/**
 * Diagnostics shared by the contrastive losses: mean positive / negative cosine similarity and
 * the mean per-channel standard deviation of the features (≈ 1/√d for healthy unit-norm
 * features, → 0 when the representation collapses).
 */
import * as tf from '@tensorflow/tfjs';
import { tidyScalar } from '../sparse/read.js';

export interface ContrastiveDiagnostics {
  posSim: number;
  negSim: number;
  featStd: number;
}

export interface LossResult<D = ContrastiveDiagnostics> {
  loss: tf.Scalar;
  diagnostics: D;
}

/** Mean per-channel std of rows (no gradient needed; read back as a number). */
export function featureStd(f: tf.Tensor2D): number {
  return tidyScalar(() => tf.mean(tf.sqrt(tf.moments(f, 0).variance)));
}

/** posSim = mean of the diagonal of q·kᵀ, negSim = mean of the off-diagonal (q, k: [n×d]). */
export function pairSimilarities(sim: tf.Tensor2D, diag: tf.Tensor1D): { posSim: number; negSim: number } {
  return tf.tidy(() => {
    const n = sim.shape[0];
    const total = tf.sum(sim).dataSync()[0];
    const pos = tf.sum(diag).dataSync()[0];
    return { posSim: pos / n, negSim: n > 1 ? (total - pos) / (n * n - n) : 0 };
  });
}
