/**
 * The config of segmentation fine-tuning: the shared fine-tuning sections (model, data with its
 * loader, optimizer, schedule, loop, validation), the loss and the transfer methods
 * (methods/schema.ts); parsed once, defaults included.
 */
import { z } from 'zod';
import { loadConfigObject, validateConfig } from '../../config/config-file.js';
import { checkInputChannels, finetuneCommonSchema, finetuneDataSchema } from '../../config/finetune.js';
import { roomMixSpec } from '../../data/loader/prepared-source.js';
import { resolveSegMethods, segMethodsShape } from './methods/schema.js';
import { CLASS_WEIGHTINGS } from './class-weights.js';

/** Which classes the softmax of the segmentation loss runs over (`loss.softmax`). */
export const SOFTMAX_CLASSES = ['all', 'present'] as const;
export type SoftmaxClasses = (typeof SOFTMAX_CLASSES)[number];

export const segConfigSchema = finetuneCommonSchema.extend({
  data: finetuneDataSchema.extend({
    /**
     * Classes whose labels are held out of training (names of the dataset's classes): their
     * points count as unlabelled, the K points of pointsPerScene are drawn among the others, and
     * data.mix rooms keep theirs. How well a network then recognises them measures what an init
     * knows of classes the labels lack (bench real-transfer --holdout-classes).
     */
    ignoreClasses: z.array(z.string()).default([]),
    /**
     * Cross-domain room mixing (data/augment/mix-rooms.ts): with probability `p` a training sample
     * gets a labelled room of `dir` (same classes, e.g. synthetic rooms with ScanNet20 labels)
     * placed over it (`overlay`, Mix3D) or beside it (`beside`: both rooms whole in one sample).
     * null = off.
     */
    mix: roomMixSpec
      .omit({ seed: true }) // the draws follow data.loader.seed (source.ts)
      .extend({
        split: roomMixSpec.shape.split.default('train'),
        p: roomMixSpec.shape.p.default(0.5),
        placement: roomMixSpec.shape.placement.default('overlay'),
      })
      .nullable()
      .default(null),
  }),
  loss: z
    .strictObject({
      /**
       * Per-class weights (length K), `inverse-sqrt` (computed from the training labels:
       * class-weights.ts), or null for uniform.
       */
      classWeights: z
        .union([z.array(z.number().min(0)), z.enum(CLASS_WEIGHTINGS)])
        .nullable()
        .default(null),
      /**
       * The classes the softmax runs over: all, or those labelled in the batch (a restricted
       * softmax: classes the training labels lack keep what the initial network knew of them).
       */
      softmax: z.enum(SOFTMAX_CLASSES).default('all'),
    })
    .prefault({}),
  ...segMethodsShape,
});
export type SegConfig = ReturnType<typeof resolveSegConfig>;

/** Reads and validates a segmentation fine-tuning config. */
export function resolveSegConfig(path: string, overrides: string[] = []) {
  const cfg = resolveSegMethods(
    validateConfig(segConfigSchema, loadConfigObject(path, overrides), path),
    path,
  );
  checkInputChannels(cfg.model.inChannels, cfg.data.loader.features, path);
  return cfg;
}
