/**
 * The `regularizer` / `radreg.*` keys of a pre-training config (RadReg): which
 * regulariser runs beside the contrastive loss and, for RadReg, the unlabelled downstream data,
 * the weight and the adversary head. Defaults are our reconstruction's choices (docs/transfer-methods.md).
 */
import { z } from 'zod';

/** `regularizer`: none (plain pre-training) or radreg. */
export const regularizerSchema = z.enum(['none', 'radreg']).default('none');

/** The `radreg` section (read only when `regularizer: radreg`). */
export const radregSchema = z
  .strictObject({
    /** Prepared downstream dataset folder (labels are dropped); required with regularizer radreg. */
    data: z.string().nullable().default(null),
    /** Split of `data` whose scenes are used. */
    split: z.string().default('train'),
    /** λ: weight of the penalty added to the contrastive loss. */
    lambda: z.number().min(0).default(0.05),
    /** Hidden width of the 2-layer 1×1 adversary head φ. */
    width: z.number().int().positive().default(32),
    /** K: outputs of φ (sign columns per voxel). */
    outputs: z.number().int().positive().default(24),
    /** Projected gradient-ascent steps on φ per training step. */
    ascentSteps: z.number().int().min(0).default(1),
    /** Step size of the ascent on φ. */
    ascentLr: z.number().positive().default(1),
    /** B: Frobenius bound of each layer's [W; b] of φ (the set Φ). */
    bound: z.number().positive().default(1),
    /** n: downstream voxels per step (at most). */
    voxels: z.number().int().positive().default(1024),
    /** At most this many voxels from each scene (scenes per step = ⌈voxels / perScene⌉). */
    perScene: z.number().int().positive().default(64),
  })
  .prefault({});

/** A resolved `radreg` section. */
export type RadRegConfig = z.output<typeof radregSchema>;

/** Cross-key checks after parsing: RadReg needs its downstream data (errors name the keys). */
export function checkRegularizer(regularizer: 'none' | 'radreg', radreg: RadRegConfig, file: string): void {
  if (regularizer === 'radreg' && radreg.data === null)
    throw new Error(
      `${file}: radreg.data: required when regularizer is radreg (a prepared downstream dataset folder)`,
    );
  if (regularizer === 'radreg' && radreg.perScene > radreg.voxels)
    throw new Error(`${file}: radreg.perScene (${radreg.perScene}) exceeds radreg.voxels (${radreg.voxels})`);
}
