/**
 * The pre-training-form segmentation head (after FFF-NER): voxels are scored against K class
 * prototypes the way PointInfoNCE scores a query against keys, logits_c(x) = f̂(x)·p̂_c/τ, with
 * f the pre-trained output layer, τ the pre-training temperature and prototypes imprinted from
 * the labelled voxels' mean feature. The ablation ladder A0–A3 picks how much of that form is kept.
 */
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import type { Params } from '../params.js';
import { matMul2d } from '../../sparse/matmul.js';
import { Rng } from '../../core/rng.js';

/** What a rung of the ablation ladder keeps of the pre-training form. */
export interface PrototypeForm {
  /** L2-normalise features and prototypes (cosine scores). */
  normalize: boolean;
  /** Use the pre-training temperature (else τ = 1). */
  pretrainTemperature: boolean;
  /** Initialise prototypes from labelled voxels (else random unit vectors). */
  imprint: boolean;
}

/**
 * The prototype rungs of the ladder (A0, the standard new linear head, has no prototypes):
 * A1 raw prototypes, τ 1; A2 + normalisation, pre-training τ; A3 + imprinting.
 */
export const PROTOTYPE_LADDER = {
  A1: { normalize: false, pretrainTemperature: false, imprint: false },
  A2: { normalize: true, pretrainTemperature: true, imprint: false },
  A3: { normalize: true, pretrainTemperature: true, imprint: true },
} as const satisfies Record<string, PrototypeForm>;

/** A rung of the ladder that scores prototypes (`head.form`). */
export type PrototypeRung = keyof typeof PROTOTYPE_LADDER;

/** The rungs in ladder order. */
export const PROTOTYPE_RUNGS = Object.keys(PROTOTYPE_LADDER) as [PrototypeRung, ...PrototypeRung[]];

/** A rung name (`head.form` in configs and in model.json). */
export const prototypeRungSchema = z.enum(PROTOTYPE_RUNGS);

/**
 * The temperature a rung scores at and whether its scale 1/τ is learned: the given (pre-training)
 * τ where the rung keeps it, else τ fixed at 1 (A1). The one place that reads the ladder's flag.
 */
export function rungTemperature(
  form: PrototypeForm,
  temperature: number,
  learnTemperature: boolean,
): { temperature: number; learnTemperature: boolean } {
  return form.pretrainTemperature
    ? { temperature, learnTemperature }
    : { temperature: 1, learnTemperature: false };
}

const EPS = 1e-8;

/** Row-wise L2 normalisation with the same ε as the backbone's normalised output. */
function l2rows(x: tf.Tensor2D, axis: 0 | 1): tf.Tensor2D {
  return tf.div(x, tf.add(tf.norm(x, 'euclidean', axis, true), EPS));
}

/**
 * logits[i, c] = f̂_i·p̂_c / τ (normalised) or f_i·p_c / τ (raw); f [N×D], prototypes [D×K]
 * (one column per class).
 */
export function prototypeLogits(
  f: tf.Tensor2D,
  prototypes: tf.Tensor2D,
  normalize: boolean,
  temperature: number,
): tf.Tensor2D {
  const q = normalize ? l2rows(f, 1) : f;
  const p = normalize ? l2rows(prototypes, 0) : prototypes;
  const s = matMul2d(q, p);
  return temperature === 1 ? s : tf.div(s, temperature);
}

/** K random unit vectors as the columns of a [D×K] row-major array (seeded). */
export function randomUnitPrototypes(dim: number, classes: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  const out = new Float32Array(dim * classes);
  for (let c = 0; c < classes; c++) {
    let n = 0;
    for (let d = 0; d < dim; d++) {
      const v = rng.normal();
      out[d * classes + c] = v;
      n += v * v;
    }
    n = Math.sqrt(n) || 1;
    for (let d = 0; d < dim; d++) out[d * classes + c] /= n;
  }
  return out;
}

/**
 * Accumulates per-class feature sums over batches of labelled voxels, then gives imprinted
 * prototypes: p_c = normalised mean of (normalised, when `normalize`) f over class-c voxels;
 * classes with no labelled voxel get a seeded random unit vector.
 */
export class PrototypeImprinter {
  readonly sums: Float64Array;
  readonly counts: Float64Array;
  constructor(
    readonly dim: number,
    readonly classes: number,
    readonly normalize: boolean,
  ) {
    this.sums = new Float64Array(dim * classes);
    this.counts = new Float64Array(classes);
  }

  /** Adds rows of `features` ([N×D] row-major) whose label is in [0, K); others are ignored. */
  add(features: Float32Array, labels: Int32Array): void {
    const d = this.dim;
    if (features.length !== labels.length * d)
      throw new Error(`imprint: ${features.length} feature values for ${labels.length} labels of width ${d}`);
    for (let i = 0; i < labels.length; i++) {
      const c = labels[i];
      if (c < 0 || c >= this.classes) continue;
      let scale = 1;
      if (this.normalize) {
        let n = 0;
        for (let j = 0; j < d; j++) n += features[i * d + j] ** 2;
        scale = 1 / (Math.sqrt(n) + EPS);
      }
      for (let j = 0; j < d; j++) this.sums[j * this.classes + c] += features[i * d + j] * scale;
      this.counts[c]++;
    }
  }

  /** [D×K] unit prototypes (columns); `seed` draws the unlabelled classes' random vectors. */
  prototypes(seed: number): Float32Array {
    const k = this.classes;
    const out = randomUnitPrototypes(this.dim, k, seed);
    for (let c = 0; c < k; c++) {
      if (this.counts[c] === 0) continue;
      let n = 0;
      for (let j = 0; j < this.dim; j++) n += this.sums[j * k + c] ** 2;
      n = Math.sqrt(n);
      // A zero mean (opposite features cancelling) keeps the random direction.
      if (n === 0) continue;
      for (let j = 0; j < this.dim; j++) out[j * k + c] = this.sums[j * k + c] / n;
    }
    return out;
  }
}

/**
 * The prototype head: [D×K] prototypes stored as `head.prototypes` in the model's Params,
 * scoring the pre-trained output features (the network built with its pre-training output
 * width and normalize: false, so A1 can see raw features). With `learnTemperature` the scale
 * 1/τ is a parameter (`head.logScale` = log 1/τ, starting at the given τ), as in weight
 * imprinting's learned scale (Qi et al., CVPR 2018): a backbone pre-trained at a soft τ (0.4)
 * can sharpen its class scores instead of being held at a logit range of ±1/τ.
 */
export class PrototypeHead {
  readonly prototypes: tf.Variable;
  /** The starting (or fixed) temperature. */
  readonly temperature: number;
  /** log(1/τ) when the temperature is learned, else null. */
  readonly logScale: tf.Variable | null;
  constructor(
    p: Params,
    readonly dim: number,
    readonly classes: number,
    readonly form: PrototypeForm,
    pretrainTemperature: number,
    seed: number,
    learnTemperature = false,
  ) {
    const scale = rungTemperature(form, pretrainTemperature, learnTemperature);
    this.temperature = scale.temperature;
    this.prototypes = p.add('head.prototypes', [dim, classes], { kind: 'const', value: 0 });
    this.logScale = scale.learnTemperature
      ? p.add('head.logScale', [1], { kind: 'const', value: Math.log(1 / this.temperature) })
      : null;
    if (p.allocate) this.set(randomUnitPrototypes(dim, classes, seed));
  }

  /** The current temperature (the learned one when `learnTemperature`). */
  currentTemperature(): number {
    if (!this.logScale) return this.temperature;
    return 1 / Math.exp((this.logScale.dataSync() as Float32Array)[0]);
  }

  /** Replaces the prototypes ([D×K] row-major). */
  set(values: Float32Array): void {
    tf.tidy(() => this.prototypes.assign(tf.tensor2d(values, [this.dim, this.classes])));
  }

  /** Class logits of features [N×D]. */
  apply(f: tf.Tensor2D): tf.Tensor2D {
    if (!this.logScale)
      return prototypeLogits(f, this.prototypes as tf.Tensor2D, this.form.normalize, this.temperature);
    const s = prototypeLogits(f, this.prototypes as tf.Tensor2D, this.form.normalize, 1);
    return tf.mul(s, tf.exp(this.logScale));
  }
}
