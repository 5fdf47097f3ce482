/**
 * What a registered augmentation looks like (a zod schema for its config item plus a builder of
 * the step), and the schema pieces the transforms share: probability, ranges, pivots.
 */
import { z } from 'zod';
import type { AugmentStep, AugState } from './state.js';
import type { Rng } from '../../core/rng.js';

/** A named augmentation: its config schema (including `type` and `p`) and its step builder. */
export interface TransformFactory<S extends z.ZodType = z.ZodType> {
  /** Strict schema of the whole config item, e.g. `{ type: 'flip', axes: ['x'], p: 0.95 }`. */
  readonly schema: S;
  /** One-line description for docs and `--help`. */
  readonly doc: string;
  /** Builds the step from validated params; the step draws everything from the RNG it is given. */
  create(params: z.output<S>): AugmentStep;
}

/** Identity helper that infers a factory's params type from its schema. */
export function defineTransform<S extends z.ZodType>(f: TransformFactory<S>): TransformFactory<S> {
  return f;
}

/** Application probability, default 1. */
export const prob = z.number().min(0).max(1).default(1);

/** A closed interval [lo, hi] with lo ≤ hi. */
export const range = z
  .tuple([z.number(), z.number()])
  .refine(([lo, hi]) => lo <= hi, { message: 'expected [lo, hi] with lo <= hi' });

/** Centre of rotations, scalings and flips. */
export const pivot = z.enum(['origin', 'mean', 'bbox']).default('mean');

/** Coordinate axis name. */
export const axisName = z.enum(['x', 'y', 'z']);

/** Axis name → index. */
export const AXIS_INDEX = { x: 0, y: 1, z: 2 } as const;

/** Wraps a step so it runs with probability p (one RNG draw decides, unless p ≥ 1). */
export function withProbability(p: number, step: AugmentStep): AugmentStep {
  if (p >= 1) return step;
  return (state: AugState, rng: Rng) => (rng.next() < p ? step(state, rng) : state);
}
