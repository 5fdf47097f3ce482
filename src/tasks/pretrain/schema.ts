/**
 * The config of contrastive pre-training: model, data (a registered loader source of pairs and
 * the loader settings, both embedded schemas), loss, optimizer, schedule, loop; parsed once,
 * defaults included, and saved resolved in the run's config.yaml.
 */
import { z } from 'zod';
import { architectureSchema } from '../../models/build.js';
import { loaderConfigSchema } from '../../data/loader/config.js';
import { sourceSpecSchema } from '../../data/loader/sources.js';
import { optimizerSchema } from '../../train/optimizer.js';
import { scheduleSchema } from '../../train/schedule.js';
import { loadConfigObject, validateConfig } from '../../config/config-file.js';
import { checkInputChannels } from '../../config/finetune.js';
import { trainLoopSchema } from '../../config/training.js';
import { lossConfigSchema } from '../../losses/registry.js';
import { checkRegularizer, radregSchema, regularizerSchema } from './radreg-schema.js';

export const pretrainConfigSchema = z.strictObject({
  name: z.string().default('pretrain'),
  seed: z.number().int().min(0).default(0),
  model: architectureSchema.extend({
    outChannels: z.number().int().positive().default(32),
    normalize: z.boolean().default(true),
  }),
  /**
   * A checkpoint (or run folder) of the same backbone to start from instead of a random
   * initialisation, e.g. a synthetic backbone continued on real-scan pairs; every layer but the
   * output layer must match (a segmentation network's class layer is replaced).
   */
  init: z.string().nullable().default(null),
  data: z.strictObject({
    /** Loader source spec (a pairs folder, a synthetic pair generator, …). */
    source: sourceSpecSchema,
    /** Loader config (voxel size, batch size, features, augmentations, prefetch). */
    loader: loaderConfigSchema,
  }),
  /** The contrastive loss: a registered loss (losses/registry.ts) by `type`, its options defaulted there. */
  loss: lossConfigSchema,
  optim: optimizerSchema,
  schedule: scheduleSchema,
  train: trainLoopSchema,
  /** A regulariser beside the contrastive loss (RadReg). */
  regularizer: regularizerSchema,
  radreg: radregSchema,
});
export type PretrainConfig = z.output<typeof pretrainConfigSchema>;

/** Reads and validates a pre-training config (with its _base_ files and --set overrides). */
export function resolvePretrainConfig(path: string, overrides: string[] = []): PretrainConfig {
  const cfg = validateConfig(pretrainConfigSchema, loadConfigObject(path, overrides), path);
  checkInputChannels(cfg.model.inChannels, cfg.data.loader.features, path);
  checkRegularizer(cfg.regularizer, cfg.radreg, path);
  return cfg;
}
