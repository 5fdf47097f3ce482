/**
 * Config keys of the transfer methods of segmentation fine-tuning: `head`, `trainable`, `lora`,
 * `smart`, `neuronGroups`, and the checks of combinations that make no sense (each error names
 * the keys).
 */
import { z } from 'zod';
import { TRAINABLE_SETS } from '../../../models/lora.js';
import { segHeadConfigSchema } from '../../../models/heads/registry.js';

/** How batch norms normalise while fine-tuning (`bnStats`). */
export const BN_STATS = ['update', 'batch', 'running'] as const;
export type BnStats = (typeof BN_STATS)[number];

/**
 * What the Bregman (teacher) term of `smart` compares: every class, or only the classes the
 * training labels lack, each on its own, against all the others pooled (`absent`).
 */
export const SMART_PARTITIONS = ['classes', 'absent'] as const;

const smartSchema = z.strictObject({
  enabled: z.boolean().default(false),
  /** λ_s of the smoothness term. */
  lambda: z.number().min(0).default(1),
  /** Max-abs of each voxel's perturbation row (ε). */
  epsilon: z.number().positive().default(1),
  /** Ascent steps T. */
  steps: z.number().int().min(0).default(1),
  /** μ of the Bregman proximal term (0 = none, no teacher). */
  mu: z.number().min(0).default(1),
  /** EMA momentum β of the teacher. */
  beta: z.number().min(0).max(1).default(0.95),
  /** The classes the teacher term compares (SMART_PARTITIONS). */
  partition: z.enum(SMART_PARTITIONS).default('classes'),
  /** σ of the initial noise δ₀. */
  sigma: z.number().positive().default(1e-5),
  /** Ascent step size η (ours; the paper's 1e-3). */
  stepSize: z.number().positive().default(1e-3),
});

/** The LoRA section (`trainable: lora` fills it with these defaults when absent). */
const loraSchema = z.strictObject({
  rank: z.number().int().positive().default(4),
  /** Scale numerator α (null = rank). */
  alpha: z.number().positive().nullable().default(null),
});

/** The method keys, merged into the segmentation config schema. */
export const segMethodsShape = {
  /** The segmentation head: a registered head by `head.type` (models/heads/registry.ts). */
  head: segHeadConfigSchema.prefault({}),
  /** Which parameters train: all, head (linear probe), bn (BN γ/β + head), lora (adapters + head). */
  trainable: z.enum(TRAINABLE_SETS).optional(),
  /**
   * Batch norms during fine-tuning: `update` (batch statistics, running statistics updated),
   * `batch` (batch statistics, running statistics frozen) or `running` (the frozen running
   * statistics, as at inference). Default: update for all, running for head, bn and lora.
   */
  bnStats: z.enum(BN_STATS).optional(),
  /** LoRA adapters (only with trainable: lora; filled with the defaults there). */
  lora: loraSchema.nullable().default(null),
  smart: smartSchema.prefault({}),
  neuronGroups: z
    .strictObject({
      /** Groups per layer ⌈ρ·C⌉ (null = off). */
      ratio: z.number().gt(0).max(1).nullable().default(null),
      /** The control: random groups of the same sizes. */
      random: z.boolean().default(false),
      /** Training voxels whose activations are clustered. */
      voxels: z.number().int().positive().default(4096),
    })
    .prefault({}),
};

interface MethodKeys {
  freezeBackbone: boolean;
  bnStats?: BnStats;
  trainable?: (typeof TRAINABLE_SETS)[number];
  lora: { rank: number; alpha: number | null } | null;
  neuronGroups: { ratio: number | null; random: boolean };
}

/**
 * Checks the method keys together and resolves the aliases: `freezeBackbone: true` is
 * `trainable: head` (the pair must agree), `trainable: lora` gets the default `lora` section.
 * Idempotent, so a run's resolved config.yaml resolves to itself.
 */
export function resolveSegMethods<C extends MethodKeys>(
  cfg: C,
  file: string,
): C & { trainable: (typeof TRAINABLE_SETS)[number]; bnStats: BnStats } {
  const err = (msg: string) => new Error(`${file}: ${msg}`);
  if (cfg.freezeBackbone && cfg.trainable !== undefined && cfg.trainable !== 'head')
    throw err(
      `freezeBackbone: true and trainable: ${cfg.trainable} conflict (freezeBackbone is trainable: head; give one of them)`,
    );
  const trainable = cfg.trainable ?? (cfg.freezeBackbone ? 'head' : 'all');
  if (cfg.lora && trainable !== 'lora')
    throw err(`lora.rank is set but trainable is ${trainable} (LoRA adapters need trainable: lora)`);
  const g = cfg.neuronGroups;
  if (g.random && g.ratio === null)
    throw err('neuronGroups.random needs neuronGroups.ratio (the group sizes come from it)');
  if (g.ratio !== null && (trainable === 'head' || trainable === 'lora'))
    throw err(
      `neuronGroups.ratio with trainable: ${trainable} (grouping ties conv/BN updates, which ${trainable} does not train)`,
    );
  return {
    ...cfg,
    trainable,
    bnStats: cfg.bnStats ?? (trainable === 'all' ? 'update' : 'running'),
    freezeBackbone: trainable === 'head',
    lora: trainable === 'lora' ? (cfg.lora ?? loraSchema.parse({})) : null,
  };
}
