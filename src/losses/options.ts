/**
 * Schema pieces the contrastive losses share (each loss's config schema is built from them, so a
 * shared option has one definition and one default).
 */
import { z } from 'zod';

/**
 * Positive pairs kept: sampled matches per batch (per scene for ShapeContext); 4096 = 1024 per
 * pair × 4 pairs per GPU in the reference.
 */
export const npos = z.number().int().positive().default(4096);

/** Softmax temperature τ of the InfoNCE-style losses; 0.4 as in PointContrast's released scripts. */
export const temperature = z.number().positive().default(0.4);
