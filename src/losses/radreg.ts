/**
 * RadReg (Deng et al., AISTATS 2024), as RECONSTRUCTED from the paper's definitions (no code or
 * equation was available; see docs/transfer-methods.md): the empirical Rademacher complexity of
 * the representation on unlabelled downstream voxels, R̂(h) = max_φ (1/n) Σ_i Σ_k σ_ik·φ_k(h_i),
 * with σ fresh ±1 signs per step and φ a norm-bounded 2-layer 1×1 head (hidden 32, ReLU).
 * Solved by descent–ascent: projected gradient ascent on φ, then the penalty is a loss term of h.
 */
import * as tf from '@tensorflow/tfjs';
import { Params } from '../models/params.js';
import { Dense } from '../models/heads/dense.js';
import { Rng } from '../core/rng.js';

export interface RadRegHeadOptions {
  /** Hidden width of φ (32 in our adaptation, a reconstruction choice). */
  hidden: number;
  /** Outputs K of φ (number of sign columns per voxel). */
  outputs: number;
  /** Frobenius bound B on each layer's [W; b] (the set Φ; a reconstruction choice). */
  normBound: number;
}

/** n×K independent ±1 signs (seeded; draw fresh ones every step). */
export function rademacher(n: number, k: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  const out = new Float32Array(n * k);
  for (let i = 0; i < out.length; i++) out[i] = rng.uint32() & 1 ? 1 : -1;
  return out;
}

/** (1/n) Σ_i Σ_k σ_ik·φ_ik for head outputs φ [n×K] and signs σ [n×K]. */
export function radRegPenalty(phi: tf.Tensor2D, sigma: tf.Tensor2D): tf.Scalar {
  return tf.div(tf.sum(tf.mul(phi, sigma)), phi.shape[0]) as tf.Scalar;
}

/** The adversary φ: 1×1 → ReLU → 1×1, in its own Params store (`radreg.` names, for resume). */
export class RadRegHead {
  readonly params: Params;
  readonly fc1: Dense;
  readonly fc2: Dense;
  constructor(
    readonly dim: number,
    readonly opts: RadRegHeadOptions,
    seed: number,
  ) {
    this.params = new Params({ seed });
    this.fc1 = new Dense(this.params, 'radreg.fc1', dim, opts.hidden);
    this.fc2 = new Dense(this.params, 'radreg.fc2', opts.hidden, opts.outputs);
    this.project();
  }

  /** φ(h) for features h [n×D] → [n×K]. */
  apply(h: tf.Tensor2D): tf.Tensor2D {
    return this.fc2.apply(tf.relu(this.fc1.apply(h)));
  }

  /** Projects each layer's [W; b] onto the Frobenius ball of radius B (rescaling if outside). */
  project(): void {
    const b = this.opts.normBound;
    tf.tidy(() => {
      for (const layer of [this.fc1, this.fc2]) {
        const n = Math.sqrt(
          tf.add(tf.sum(tf.square(layer.weight)), tf.sum(tf.square(layer.bias))).dataSync()[0],
        );
        if (n <= b) continue;
        layer.weight.assign(tf.mul(layer.weight, b / n));
        layer.bias.assign(tf.mul(layer.bias, b / n));
      }
    });
  }

  /** Frobenius norms of the two layers' [W; b]. */
  norms(): [number, number] {
    return tf.tidy(
      () =>
        [this.fc1, this.fc2].map((l) =>
          Math.sqrt(tf.add(tf.sum(tf.square(l.weight)), tf.sum(tf.square(l.bias))).dataSync()[0]),
        ) as [number, number],
    );
  }

  dispose(): void {
    this.params.dispose();
  }
}

/**
 * The inner maximisation: `steps` projected gradient-ascent steps (step size `lr`) on the
 * penalty over φ with h held constant. Returns the penalty before each step and after the last.
 */
export function radRegAscent(
  head: RadRegHead,
  h: tf.Tensor2D,
  sigma: tf.Tensor2D,
  steps: number,
  lr: number,
): number[] {
  const trace: number[] = [];
  const hc = tf.tidy(() => tf.tensor2d(h.dataSync(), h.shape));
  const vars = head.params.trainable();
  try {
    for (let s = 0; s < steps; s++) {
      tf.tidy(() => {
        const { value, grads } = tf.variableGrads(() => radRegPenalty(head.apply(hc), sigma), vars);
        trace.push(value.dataSync()[0]);
        for (const v of vars) v.assign(tf.add(v, tf.mul(grads[v.name], lr)));
      });
      head.project();
    }
    trace.push(tf.tidy(() => radRegPenalty(head.apply(hc), sigma).dataSync()[0]));
  } finally {
    hc.dispose();
  }
  return trace;
}
