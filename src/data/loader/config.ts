/**
 * Loader configuration (a `data:` section of a training config): voxel size, batch size, input
 * features, feature jitter, augmentation list, shuffling seed, prefetch depth. Validated with zod;
 * every error names the key.
 */
import { z } from 'zod';
import { parseOrThrow } from '../../core/zod-errors.js';
import { transformsSchema } from '../augment/registry.js';
import { FEATURE_DIMS, featureModeSchema, type FeatureMode } from '../../models/input-features.js';

export { FEATURE_DIMS, type FeatureMode };

/** The loader section of a task config (task schemas embed it as `data.loader`). */
export const loaderConfigSchema = z.strictObject({
  voxelSize: z.number().positive(),
  batchSize: z.number().int().positive(),
  features: featureModeSchema.default('rgb'),
  /** PointContrast: with probability p, feats += N(0, sigma²); null = off. */
  featureJitter: z
    .strictObject({ sigma: z.number().min(0).default(0.01), p: z.number().min(0).max(1).default(0.95) })
    .nullable()
    .default(null),
  /** A list of transform items, or a recipe name (src/data/augment/recipes.ts). */
  transforms: transformsSchema.default([]),
  shuffle: z.boolean().default(true),
  seed: z.number().int().min(0).default(0),
  dropLast: z.boolean().default(false),
  /** Number of epochs the stream lasts; null = endless. */
  epochs: z.number().int().positive().nullable().default(null),
  ignoreLabel: z.number().int().default(-1),
  /** Return, per scene, each input point's voxel row (to project predictions back). */
  pointToVoxel: z.boolean().default(false),
  /** Batches built ahead of the consumer. */
  prefetch: z.number().int().min(1).default(2),
  /** Worker threads building batches; 0 = build in the calling thread. */
  workers: z.number().int().min(0).default(1),
});

/** A validated loader config (defaults filled in, transforms validated). */
export type LoaderConfig = z.output<typeof loaderConfigSchema>;

/** Raw loader config as written in YAML / code (defaults optional). */
export type LoaderConfigInput = z.input<typeof loaderConfigSchema>;

/** Validates a loader config; errors read `<where>.<key>: <problem>`. */
export function parseLoaderConfig(raw: unknown, where = 'data'): LoaderConfig {
  return parseOrThrow(loaderConfigSchema, raw, where);
}
