/**
 * The config of 3D detection fine-tuning: the shared fine-tuning sections plus head, loss,
 * Contrastive Scene Contexts' limited boxes per scene and box decoding; parsed once, defaults
 * included. Also which classes of a label map are detection classes.
 */
import { z } from 'zod';
import { detHeadSchema } from '../../models/heads/detection-head.js';
import { detLossSchema } from '../../losses/detection.js';
import type { LabelClass } from '../../data/label-map.js';
import { loadConfigObject, validateConfig } from '../../config/config-file.js';
import { finetuneCommonSchema, finetuneDataSchema, validationSchema } from '../../config/finetune.js';

/** Parameter prefixes that are not part of a pre-trained backbone (the head, the unused final layer). */
export const DET_HEAD_PREFIXES = ['head.', 'final.'] as const;

export const detConfigSchema = finetuneCommonSchema.extend({
  data: finetuneDataSchema.extend({
    /** Keep K random boxes per train scene (CSC's limited-box protocol); the rest become background. */
    boxesPerScene: z.number().int().positive().nullable().default(null),
  }),
  head: detHeadSchema.default(detHeadSchema.parse({})),
  loss: detLossSchema.default(detLossSchema.parse({})),
  /** Box decoding in validation and `evaluate det`. */
  eval: z
    .strictObject({
      minScore: z.number().min(0).max(1).default(0.001),
      nmsIou: z.number().min(0).max(1).default(0.25),
    })
    .prefault({}),
  validation: validationSchema.extend({ metric: z.enum(['mAP25', 'mAP50']).default('mAP25') }).prefault({}),
});
export type DetConfig = z.output<typeof detConfigSchema>;

/** The detection classes of a label map: those flagged `detection`, or all when none is flagged. */
export function detectionClasses(classes: readonly LabelClass[]): LabelClass[] {
  const flagged = classes.filter((c) => c.detection === true);
  return classes.some((c) => c.detection !== undefined) ? flagged : [...classes];
}

/** Reads and validates a detection fine-tuning config (with its _base_ files and overrides). */
export function resolveDetConfig(path: string, overrides: string[] = []): DetConfig {
  const cfg = validateConfig(detConfigSchema, loadConfigObject(path, overrides), path);
  if (cfg.data.pointsPerScene !== null)
    throw new Error(`${path}: data.pointsPerScene: not used by detection (use data.boxesPerScene)`);
  if (cfg.loss.near >= cfg.loss.far) throw new Error(`${path}: loss.near must be below loss.far`);
  return cfg;
}
