/**
 * Shared pieces of the fine-tuning tasks (segmentation, detection): config sections, the
 * data-efficient subsets of Contrastive Scene Contexts (first x % of the train scenes; K
 * labelled points per scene, saved with the run), loading a pre-trained backbone by same-shape
 * parameter names (the head is new; any other mismatch is an error listing the layers), and
 * the trainable set for linear probing.
 */
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { architectureSchema } from '../models/build.js';
import { loadWeights, type LoadReport } from '../models/build.js';
import type { Params } from '../models/params.js';
import { openPreparedDataset } from '../data/prepared/dataset.js';
import { Rng, deriveSeed } from '../core/rng.js';
import { writeJsonAtomic } from '../data/io/atomic-write.js';
import { loadCheckpoint } from './checkpoint.js';
import { optimizerSchema } from './optimizer.js';
import { scheduleSchema } from './schedule.js';
import { trainLoopSchema } from './pretrain.js';
import type { SourceSpec } from '../data/loader/sources.js';
import { FEATURE_DIMS, type FeatureMode } from '../data/loader/config.js';

/** The model section of fine-tuning configs (the output width comes from the task). */
export const finetuneModelSchema = architectureSchema.omit({ outChannels: true, normalize: true }).extend({
  bnMomentum: z.number().min(0).max(1).default(0.02),
});

export const finetuneDataSchema = z.strictObject({
  /** Prepared dataset folder (`data prepare`). */
  dir: z.string(),
  trainSplit: z.string().default('train'),
  valSplit: z.string().nullable().default('val'),
  /** Use x of the train scenes (0 < x ≤ 1): the first ones, or from `scenesOffset` on. */
  scenesFraction: z.number().positive().max(1).default(1),
  /**
   * Index in the train split of the first scene the fraction takes (wrapping around), so
   * equal-size disjoint subsets can be drawn: offset k·n with n = fraction × scenes.
   */
  scenesOffset: z.number().int().min(0).default(0),
  /** Keep K labelled points per train scene (null = all). */
  pointsPerScene: z.number().int().positive().nullable().default(null),
  loader: z.record(z.string(), z.unknown()),
  /** Loader config of validation (no augmentation); defaults to the train loader's voxel size and features. */
  valLoader: z.record(z.string(), z.unknown()).optional(),
});

export const validationSchema = z.strictObject({
  every: z.number().int().positive().default(500),
  /** Stop after this many validations without improvement (null = never). */
  patience: z.number().int().positive().nullable().default(null),
  /** Validate on at most this many scenes (null = the whole split). */
  maxScenes: z.number().int().positive().nullable().default(null),
});

export const finetuneCommonSchema = z.strictObject({
  name: z.string().default('finetune'),
  seed: z.number().int().min(0).default(0),
  model: finetuneModelSchema,
  /** Pre-trained backbone: a checkpoint or run folder; null = from scratch. */
  init: z.string().nullable().default(null),
  /** Linear probing: train only the final layer, backbone frozen in inference mode. */
  freezeBackbone: z.boolean().default(false),
  data: finetuneDataSchema,
  optim: optimizerSchema,
  schedule: scheduleSchema,
  train: trainLoopSchema,
  validation: validationSchema.default({ every: 500, patience: null, maxScenes: null }),
});

/**
 * ⌈x·n⌉ (at least one) consecutive scenes in manifest order, from index `offset` (wrapping
 * around the split).
 */
export function budgetScenes(names: string[], fraction: number, offset = 0): string[] {
  const n = Math.max(1, Math.ceil(fraction * names.length - 1e-9));
  return Array.from({ length: n }, (_, i) => names[(offset + i) % names.length]);
}

/**
 * Picks K labelled points per scene uniformly among its non-ignored points (seeded, so the
 * same seed gives the same points); returns { scene: sorted indices }.
 */
export function chooseLabelledPoints(
  dir: string,
  scenes: string[],
  k: number,
  seed: number,
): Record<string, number[]> {
  const ds = openPreparedDataset(dir);
  const out: Record<string, number[]> = {};
  scenes.forEach((name, si) => {
    const labels = ds.readScene(name).cloud.labels;
    if (!labels) throw new Error(`${dir}: scene ${name} has no labels`);
    const valid: number[] = [];
    for (let i = 0; i < labels.length; i++) if (labels[i] >= 0) valid.push(i);
    const rng = new Rng(deriveSeed(seed, si, 0x90171));
    for (let i = 0; i < Math.min(k, valid.length); i++) {
      const j = i + rng.int(valid.length - i);
      [valid[i], valid[j]] = [valid[j], valid[i]];
    }
    out[name] = valid.slice(0, Math.min(k, valid.length)).sort((a, b) => a - b);
  });
  return out;
}

/** The module source spec of a fine-tuning split (works in the loader's worker threads). */
export function finetuneSourceSpec(
  dir: string,
  split: string,
  scenes?: string[],
  keepPoints?: string,
): SourceSpec {
  const self = fileURLToPath(import.meta.url);
  const module = self.replace(/finetune\.(ts|js)$/, (_, ext: string) => `finetune-source.${ext}`);
  return { type: 'module', module, export: 'createSource', options: { dir, split, scenes, keepPoints } };
}

/** Training scenes of a config after the data-efficient options; writes the chosen points to the run. */
export function trainingSelection(
  data: z.output<typeof finetuneDataSchema>,
  seed: number,
  runPath: string,
): { scenes: string[]; keepPoints?: string } {
  const ds = openPreparedDataset(data.dir);
  const scenes = budgetScenes(ds.sceneNames(data.trainSplit), data.scenesFraction, data.scenesOffset);
  if (data.pointsPerScene === null) return { scenes };
  const chosen = chooseLabelledPoints(data.dir, scenes, data.pointsPerScene, seed);
  const keepPoints = join(runPath, 'labelled-points.json');
  writeJsonAtomic(keepPoints, { pointsPerScene: data.pointsPerScene, seed, scenes: chosen });
  return { scenes, keepPoints };
}

/** A name test for one head prefix or several (detection: the new `head.` and the unused `final.`). */
function headTest(prefix: string | readonly string[]): (name: string) => boolean {
  const list = typeof prefix === 'string' ? [prefix] : prefix;
  return (name) => list.some((p) => name.startsWith(p));
}

/**
 * Loads a pre-trained backbone into `params` by same-shape names. Parameters under `headPrefix`
 * may differ (the head is new); any other mismatch is an error that lists the layers.
 */
export function loadBackbone(
  params: Params,
  init: string,
  headPrefix: string | readonly string[] = 'final.',
  features?: string,
): LoadReport {
  const isHead = headTest(headPrefix);
  const ck = loadCheckpoint(init);
  try {
    adaptStem(params, ck.weights, (ck.meta.architecture as { features?: string }).features, features);
    const report = loadWeights(params, ck.weights, 'same-shape', ck.dir);
    const bad = report.skipped.filter((s) => !isHead(s.name));
    if (bad.length > 0) {
      const arch = (ck.meta.architecture as { backbone?: string }).backbone;
      throw new Error(
        `${ck.dir}: the checkpoint's backbone${arch ? ` (${arch})` : ''} does not match the network; ${bad.length} layers differ:\n  ` +
          bad
            .slice(0, 25)
            .map((s) => `${s.name}: ${s.reason}`)
            .join('\n  ') +
          (bad.length > 25 ? `\n  … ${bad.length - 25} more` : ''),
      );
    }
    return report;
  } finally {
    tf.dispose([...ck.weights.values()]);
  }
}

/** model.inChannels must equal the width of the loader's input features. */
export function checkInputChannels(inChannels: number, features: FeatureMode, file: string): void {
  if (FEATURE_DIMS[features] !== inChannels) {
    throw new Error(
      `${file}: model.inChannels is ${inChannels} but data.loader.features '${features}' gives ${FEATURE_DIMS[features]} channels`,
    );
  }
}

const STEM = 'conv0p1s1.weight';

/**
 * A backbone pre-trained on constant-one inputs ('ones', 3 identical channels) fine-tuned with
 * 'ones-rgb' (1, r, g, b): the stem's constant channel gets the sum of the three pre-trained
 * input channels and the colour channels start at zero, so at initialisation the network
 * computes exactly what was pre-trained and learns to use colour during fine-tuning.
 */
export function adaptStem(params: Params, weights: Map<string, tf.Tensor>, from?: string, to?: string): void {
  const w = weights.get(STEM);
  if (!w || from !== 'ones' || to !== 'ones-rgb') return;
  const target = params.get(STEM);
  const [vol, cin, cout] = w.shape;
  if (cin !== 3 || target.shape[1] !== 4 || target.shape[0] !== vol || target.shape[2] !== cout) return;
  const adapted = tf.tidy(() => tf.concat([tf.sum(w, 1, true), tf.zeros([vol, 3, cout])], 1));
  w.dispose();
  weights.set(STEM, adapted);
}

/** Names of the parameters to train: everything, or only the head when probing. */
export function trainableNames(
  params: Params,
  freezeBackbone: boolean,
  headPrefix: string | readonly string[] = 'final.',
): string[] {
  const isHead = headTest(headPrefix);
  return params.specs.filter((s) => s.trainable && (!freezeBackbone || isHead(s.name))).map((s) => s.name);
}
