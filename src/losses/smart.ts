/**
 * SMART (Jiang et al., ACL 2020) for segmentation fine-tuning: the symmetric KL between
 * per-voxel class distributions (the smoothness term ℓ_s and the Bregman divergence against an
 * EMA teacher), and the adversarial perturbation of the stem features: δ₀ ~ N(0, σ²), ascent
 * steps on ℓ_s(f(h + δ), f(h)), each voxel's row ℓ∞-normalised and scaled by ε (as mt-dnn's code).
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../core/rng.js';

/**
 * Mean over rows of KL(P‖Q) + KL(Q‖P) = Σ_c (P_c − Q_c)(log P_c − log Q_c), P and Q the
 * softmaxes of logits [N×K]. Differentiable in both arguments (pass a constant as a target).
 */
export function symmetricKl(pLogits: tf.Tensor2D, qLogits: tf.Tensor2D): tf.Scalar {
  const lp = tf.logSoftmax(pLogits);
  const lq = tf.logSoftmax(qLogits);
  const d = tf.mul(tf.sub(tf.exp(lp), tf.exp(lq)), tf.sub(lp, lq));
  return tf.mean(tf.sum(d, 1)) as tf.Scalar;
}

/**
 * {@link symmetricKl} over a coarser partition of the classes: each class of `kept` on its own and
 * every other class pooled into one bin (P's rows are softmax(P) summed over each part). With
 * `kept` the classes the training labels lack, a teacher's term keeps how much of each such class
 * the student sees while the split among the labelled classes is left to the labels.
 */
export function partitionSymmetricKl(
  pLogits: tf.Tensor2D,
  qLogits: tf.Tensor2D,
  kept: readonly number[],
): tf.Scalar {
  const k = pLogits.shape[1];
  // K × (m + 1): class kept[j] → column j, every other class → column m
  const m = kept.length;
  const slot = new Int32Array(k).fill(m);
  kept.forEach((c, j) => (slot[c] = j));
  const parts = tf.oneHot(tf.tensor1d(slot, 'int32'), m + 1).toFloat() as tf.Tensor2D;
  const coarse = (logits: tf.Tensor2D) => tf.clipByValue(tf.matMul(tf.softmax(logits), parts), 1e-7, 1);
  const p = coarse(pLogits);
  const q = coarse(qLogits);
  const d = tf.mul(tf.sub(p, q), tf.sub(tf.log(p), tf.log(q)));
  return tf.mean(tf.sum(d, 1)) as tf.Scalar;
}

export interface SmartPerturbationOptions {
  /** Standard deviation of the initial noise δ₀ (mt-dnn: adv_noise_var 1e-5 used as σ). */
  sigma: number;
  /** Ascent step size η (mt-dnn train.py: adv_step_size 1e-5). */
  stepSize: number;
  /** Max-abs of each row of the final perturbation (1 matches mt-dnn's normalised noise). */
  epsilon: number;
  /** Ascent steps T (1 in the paper and the code). */
  steps: number;
  /** Seed of δ₀ (vary per step). */
  seed: number;
  /** δ₀ itself ([N×C] row-major), replacing the seeded draw (tests). */
  init?: Float32Array;
}

/** Divides each row by its max-abs (+1e-6, mt-dnn's guard) and scales it by ε, in place. */
function normaliseRows(d: Float32Array, cols: number, epsilon: number): void {
  for (let r = 0; r < d.length; r += cols) {
    let m = 0;
    for (let j = 0; j < cols; j++) m = Math.max(m, Math.abs(d[r + j]));
    const s = epsilon / (m + 1e-6);
    for (let j = 0; j < cols; j++) d[r + j] *= s;
  }
}

/**
 * The adversarial perturbation of features [rows×cols]: `logitsOf(δ)` must run the network with
 * δ added to the perturbed features (Mode.stemDelta, BN statistics not updated) and `clean` is
 * the unperturbed pass's logits, treated as a constant. Returns a fresh constant δ (not on any
 * gradient tape); the caller adds λ·ℓ_s(logitsOf(δ), clean) to the loss.
 */
export function smartPerturbation(
  logitsOf: (delta: tf.Tensor2D) => tf.Tensor2D,
  clean: tf.Tensor2D,
  rows: number,
  cols: number,
  opts: SmartPerturbationOptions,
): tf.Tensor2D {
  let d: Float32Array;
  if (opts.init) {
    if (opts.init.length !== rows * cols)
      throw new Error(`SMART: δ₀ has ${opts.init.length} values, want ${rows * cols}`);
    d = Float32Array.from(opts.init);
  } else {
    const rng = new Rng(opts.seed);
    d = new Float32Array(rows * cols);
    for (let i = 0; i < d.length; i++) d[i] = opts.sigma * rng.normal();
  }
  const target = tf.tidy(() => tf.tensor2d(clean.dataSync(), clean.shape));
  try {
    for (let t = 0; t < opts.steps; t++) {
      const g = tf.tidy(() => {
        const grad = tf.grad((delta: tf.Tensor) => symmetricKl(logitsOf(delta as tf.Tensor2D), target));
        return grad(tf.tensor2d(d, [rows, cols])).dataSync() as Float32Array;
      });
      for (let i = 0; i < d.length; i++) d[i] += opts.stepSize * g[i];
      normaliseRows(d, cols, opts.epsilon);
    }
  } finally {
    target.dispose();
  }
  if (opts.steps === 0) normaliseRows(d, cols, opts.epsilon);
  return tf.tensor2d(d, [rows, cols]);
}

export interface SmartTermsInput {
  /** Student logits of the main pass (training mode, updates BN statistics). */
  clean: tf.Tensor2D;
  /** Student logits with δ added to the stem output (training mode, `updateStats: false`). */
  perturbed: (delta: tf.Tensor2D) => tf.Tensor2D;
  /** Stem-output shape: voxel rows × stem width (`net.spec.initDim`). */
  rows: number;
  cols: number;
  /** λ_s of the smoothness term. */
  lambda: number;
  perturbation: SmartPerturbationOptions;
  /**
   * EMA-teacher logits on the same voxels (constant) and μ of the Bregman term; omit to skip.
   * With `kept`, the term compares the partition of {@link partitionSymmetricKl}, not every class.
   */
  teacher?: { logits: tf.Tensor2D; mu: number; kept?: readonly number[] };
}

/**
 * The two SMART terms to add to the task loss: λ·ℓ_s(f(h + δ), f(h)) with the adversarial δ, and
 * μ·ℓ_s(f(h), f_teacher(h)). Returns them separately (for logging) and summed.
 */
export function smartTerms(i: SmartTermsInput): {
  smoothness: tf.Scalar;
  bregman: tf.Scalar | null;
  total: tf.Scalar;
} {
  // λ = 0 (the proximal term alone): no perturbed pass at all
  let smoothness: tf.Scalar;
  if (i.lambda === 0) smoothness = tf.scalar(0);
  else {
    const delta = smartPerturbation(i.perturbed, i.clean, i.rows, i.cols, i.perturbation);
    smoothness = tf.mul(symmetricKl(i.perturbed(delta), i.clean), i.lambda) as tf.Scalar;
    delta.dispose();
  }
  const bregman = i.teacher
    ? (tf.mul(
        i.teacher.kept
          ? partitionSymmetricKl(i.clean, i.teacher.logits, i.teacher.kept)
          : symmetricKl(i.clean, i.teacher.logits),
        i.teacher.mu,
      ) as tf.Scalar)
    : null;
  return { smoothness, bregman, total: bregman ? tf.add(smoothness, bregman) : smoothness };
}

/**
 * The teacher's momentum at a step: the paper's β = 0.99 for the first 10 % of updates then
 * 0.999 (`warmup` given), else a constant β.
 */
export function emaBeta(
  step: number,
  totalSteps: number,
  beta: number,
  warmup?: { beta: number; fraction: number },
): number {
  if (warmup && step < warmup.fraction * totalSteps) return warmup.beta;
  return beta;
}
