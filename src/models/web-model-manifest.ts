/**
 * The manifest.json of an exported (or served) segmentation model: what the viewer needs before
 * downloading weights. Platform-free: the viewer imports it.
 */
import type { FeatureMode } from './input-features.js';
import type { ModelClass } from './checkpoint-model.js';

/** `format` of manifest.json. */
export const WEB_MODEL_FORMAT = 'pointcontrast-web-model';

/** The JSON body of manifest.json. */
export interface WebModelManifest {
  format: typeof WEB_MODEL_FORMAT;
  version: 1;
  /** The checkpoint meta and weights manifest file (the checkpoint's, without training state), relative to manifest.json. */
  model: string;
  /** Checkpoint folder name and training step it came from. */
  source: { checkpoint: string; step: number };
  task: 'segmentation';
  backbone: string;
  voxelSize: number;
  /** Input feature layout (FEATURE_DIMS); the file must have colour unless 'ones', normals for 'rgb-normals'. */
  features: FeatureMode;
  classes: ModelClass[];
  ignoreLabel: number;
  /** Total bytes of the weight files. */
  weightsBytes: number;
  /** The complement rule shipped beside the model (`export --complement`, `view --complement`). */
  complement?: WebComplement;
}

/**
 * The complement rule (src/tasks/segment/complement.ts) as the page applies it: the network that
 * answers for the classes the training labels lack, as a web model of its own, and the values
 * calibrated on the training labels where the model was exported (the page needs no training data).
 */
export interface WebComplement {
  /** The init's folder (manifest.json, model.json, weights), relative to this manifest.json. */
  model: string;
  /** Checkpoint folder name of the init. */
  source: string;
  /** Class ids the training labels lack. */
  absent: number[];
  /** τ per absent class, in `absent` order. */
  thresholds: number[];
  rate: number;
  minShare: number;
}

/** Why `c` is not a usable complement block for a model of `numClasses` classes, or null. */
export function webComplementProblem(c: unknown, numClasses: number): string | null {
  if (typeof c !== 'object' || c === null) return 'complement: expected an object';
  const x = c as Record<string, unknown>;
  if (
    typeof x.model !== 'string' ||
    !x.model.endsWith('/') ||
    x.model.startsWith('/') ||
    x.model.includes('..')
  )
    return `complement.model: expected a relative folder ending in '/', got ${JSON.stringify(x.model)}`;
  const absent = x.absent;
  if (
    !Array.isArray(absent) ||
    !absent.length ||
    absent.some((a) => !Number.isInteger(a) || (a as number) < 0 || (a as number) >= numClasses) ||
    new Set(absent).size !== absent.length
  )
    return `complement.absent: expected distinct class ids 0..${numClasses - 1}, got ${JSON.stringify(absent)}`;
  const t = x.thresholds;
  if (
    !Array.isArray(t) ||
    t.length !== absent.length ||
    t.some((v) => typeof v !== 'number' || !Number.isFinite(v))
  )
    return `complement.thresholds: expected ${absent.length} finite numbers (one per absent class), got ${JSON.stringify(t)}`;
  for (const key of ['rate', 'minShare'] as const) {
    const v = x[key];
    if (typeof v !== 'number' || !(v >= 0 && v <= 1))
      return `complement.${key}: expected 0..1, got ${JSON.stringify(v)}`;
  }
  return null;
}
