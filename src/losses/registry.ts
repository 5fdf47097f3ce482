/**
 * The contrastive-loss registry: a pre-training config's `loss: { type: 'point-info-nce', npos:
 * 4096, temperature: 0.4 }` is validated against the schema registered under its type (defaults
 * filled in there, and only there) and built into a loss on the two views' features.
 */
import type * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import type { Rng } from '../core/rng.js';
import type { LossResult } from './diagnostics.js';
import { FAST_PATHS, type CodePaths } from '../sparse/code-paths.js';
import { pointInfoNCE, pointInfoNCESchema } from './point-info-nce.js';
import { hardestContrastive, hardestContrastiveSchema } from './hardest-contrastive.js';
import { shapeContextLoss, shapeContextSchema, type ShapeContextInputs } from './shape-context.js';

/** What a contrastive loss sees of a batch besides the two views' features. */
export interface PairLossInputs {
  /** Interleaved correspondences (view-0 row, view-1 row). */
  corr: Int32Array;
  /** The step's RNG (match and candidate sampling). */
  rng: Rng;
  /** Gravity-aligned view-0 positions and batch items; computed on demand (ShapeContext asks). */
  geometry(): ShapeContextInputs;
}

/** A built loss: view-0 features, view-1 features, the batch's inputs → loss and diagnostics. */
export type PairLoss = (f0: tf.Tensor2D, f1: tf.Tensor2D, inputs: PairLossInputs) => LossResult;

/** A registered loss: the schema of its config (including `type`) and the builder of the loss. */
export interface LossFactory<S extends z.ZodType = z.ZodType> {
  readonly schema: S;
  /** One-line description for docs. */
  readonly doc: string;
  /** Builds the loss; `paths` names the code path of its log-sum-exp (benchmarks compare both). */
  create(options: z.output<S>, paths: CodePaths): PairLoss;
}

/** Identity helper that infers a factory's options type from its schema. */
function defineLoss<S extends z.ZodType>(f: LossFactory<S>): LossFactory<S> {
  return f;
}

/** Every contrastive loss, by the `type` a config names it with. */
export const LOSSES = {
  'point-info-nce': defineLoss({
    schema: pointInfoNCESchema,
    doc: 'PointInfoNCE: one match per query, cross-entropy over the sampled keys at temperature τ',
    create: (o, paths) => (f0, f1, x) => pointInfoNCE(f0, f1, x.corr, x.rng, o, paths),
  }),
  'hardest-contrastive': defineLoss({
    schema: hardestContrastiveSchema,
    doc: 'FCGF hardest-contrastive: positive margin plus the hardest of random negative candidates',
    create: (o) => (f0, f1, x) => hardestContrastive(f0, f1, x.corr, x.rng, o),
  }),
  'shape-context': defineLoss({
    schema: shapeContextSchema,
    doc: "Contrastive Scene Contexts: PointInfoNCE within each anchor's shape-context partitions",
    create: (o) => (f0, f1, x) => shapeContextLoss(f0, f1, x.corr, x.geometry(), x.rng, o),
  }),
} as const satisfies Record<string, LossFactory>;

/** A registered loss name. */
export type LossName = keyof typeof LOSSES;

/** Each entry's schema parses to `{ type: <its key> }` (checked when compiling). */
const keyed: { [K in LossName]: { schema: z.ZodType<{ type: K }> } } = LOSSES;
void keyed;

type LossSchema = (typeof LOSSES)[LossName]['schema'];

/** The `loss` section of a pre-training config: one registered loss, chosen by `type`. */
export const lossConfigSchema = z.discriminatedUnion(
  'type',
  Object.values(LOSSES).map((l) => l.schema) as [LossSchema, ...LossSchema[]],
);

/** A validated loss config (defaults filled in). */
export type LossConfig = z.output<typeof lossConfigSchema>;

/** The loss a validated config names, built by its registry entry (on the fast code paths by default). */
export function createLoss(config: LossConfig, paths: CodePaths = FAST_PATHS): PairLoss {
  return (LOSSES[config.type] as LossFactory).create(config, paths);
}

/** A loss's config with every option at its schema default (e.g. the default temperature). */
export function lossDefaults<K extends LossName>(type: K): z.output<(typeof LOSSES)[K]['schema']> {
  return LOSSES[type].schema.parse({ type }) as z.output<(typeof LOSSES)[K]['schema']>;
}
