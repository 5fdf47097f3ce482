/**
 * The config sections the fine-tuning tasks (segmentation, detection) share: model, data (with
 * the data-efficient subsets of Contrastive Scene Contexts), validation, and the check that the
 * model's input width matches the loader's features.
 */
import { z } from 'zod';
import { architectureSchema } from '../models/build.js';
import { FEATURE_DIMS, loaderConfigSchema, type FeatureMode } from '../data/loader/config.js';
import { optimizerSchema } from '../train/optimizer.js';
import { scheduleSchema } from '../train/schedule.js';
import { initArchitecture } from '../train/init-architecture.js';
import { explicitSetting } from './config-file.js';
import { trainLoopSchema } from './training.js';

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
  loader: loaderConfigSchema,
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
  validation: validationSchema.prefault({}),
});

/** model.inChannels must equal the width of the loader's input features. */
export function checkInputChannels(inChannels: number, features: FeatureMode, file: string): void {
  if (FEATURE_DIMS[features] !== inChannels) {
    throw new Error(
      `${file}: model.inChannels is ${inChannels} but data.loader.features '${features}' gives ${FEATURE_DIMS[features]} channels`,
    );
  }
}

/**
 * A new fine-tuning run's target with its model fitted to `cfg.init` (initArchitecture: a shape
 * key the checkpoint has otherwise comes from it unless the config file or a --set names it);
 * `notes` say what was taken. Resumed and from-scratch runs are returned as they are.
 */
export function fitInitArchitecture<
  C extends { init: string | null; model: { backbone: string; stemKernel: number } },
>(
  target: { cfg: C; path: string },
  opts: { config: string; overrides?: string[]; resume?: boolean },
): { cfg: C; path: string; notes: string[] } {
  const { cfg } = target;
  if (opts.resume || !cfg.init) return { ...target, notes: [] };
  const { model, notes } = initArchitecture(cfg.model, cfg.init, (key) =>
    explicitSetting(opts.config, opts.overrides ?? [], key),
  );
  return { ...target, cfg: { ...cfg, model }, notes };
}
