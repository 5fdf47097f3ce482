/**
 * The config of segmentation fine-tuning: the shared fine-tuning sections (model, data with its
 * loader, optimizer, schedule, loop, validation) plus the loss; parsed once, defaults included.
 */
import { z } from 'zod';
import { loadConfigObject, validateConfig } from '../../config/config-file.js';
import { checkInputChannels, finetuneCommonSchema } from '../../config/finetune.js';

export const segConfigSchema = finetuneCommonSchema.extend({
  loss: z
    .strictObject({
      /** Per-class weights (length K), or null for uniform. */
      classWeights: z.array(z.number().min(0)).nullable().default(null),
    })
    .default({ classWeights: null }),
});
export type SegConfig = z.output<typeof segConfigSchema>;

/** Reads and validates a segmentation fine-tuning config. */
export function resolveSegConfig(path: string, overrides: string[] = []): SegConfig {
  const cfg = validateConfig(segConfigSchema, loadConfigObject(path, overrides), path);
  checkInputChannels(cfg.model.inChannels, cfg.data.loader.features, path);
  return cfg;
}
