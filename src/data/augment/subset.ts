/**
 * Augmentations that remove points: random dropout (PointContrast's RandomDropout) and a sphere
 * or box crop around a random point with an optional cap on the point count (Pointcept's
 * SphereCrop). Kept points stay in input order; the state records which input point each came from.
 */
import { z } from 'zod';
import { applySubsetStep } from './state.js';
import { defineTransform, prob, withProbability } from './factory.js';
import type { Rng } from '../../core/rng.js';

/** Exactly floor(n·(1 − ratio)) distinct indices of 0..n−1, ascending. */
export function dropoutIndices(n: number, ratio: number, rng: Rng): Int32Array {
  return rng.sample(n, Math.floor(n * (1 - ratio))).sort();
}

/** The k-th smallest value (0-based) of `values`; reorders `values` (quickselect). */
export function kthSmallest(values: Float64Array, k: number): number {
  let lo = 0;
  let hi = values.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    // median of three as pivot
    const a = values[lo];
    const b = values[mid];
    const c = values[hi];
    const pivot = a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i] < pivot) i++;
      while (values[j] > pivot) j--;
      if (i <= j) {
        const t = values[i];
        values[i] = values[j];
        values[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return values[k];
  }
  return values[k];
}

/** Options of a crop around a centre point. */
export interface CropOptions {
  shape: 'sphere' | 'box';
  /** Sphere radius (metres); unlimited when absent. */
  radius?: number;
  /** Full box extents (metres) along x, y, z. */
  size?: readonly [number, number, number];
  /** Keep at most this many points: the nearest to the centre (Euclidean). */
  maxPoints?: number;
}

/** Indices (ascending) of the points inside the crop around (cx, cy, cz). */
export function cropIndices(
  positions: Float32Array,
  cx: number,
  cy: number,
  cz: number,
  o: CropOptions,
): Int32Array {
  const n = positions.length / 3;
  const d2 = new Float64Array(n);
  const inside = new Uint8Array(n);
  const r2 = o.radius === undefined ? Infinity : o.radius * o.radius;
  const hx = o.size ? o.size[0] / 2 : Infinity;
  const hy = o.size ? o.size[1] / 2 : Infinity;
  const hz = o.size ? o.size[2] / 2 : Infinity;
  let count = 0;
  for (let i = 0; i < n; i++) {
    const dx = positions[i * 3] - cx;
    const dy = positions[i * 3 + 1] - cy;
    const dz = positions[i * 3 + 2] - cz;
    const q = dx * dx + dy * dy + dz * dz;
    d2[i] = q;
    const ok =
      o.shape === 'sphere' ? q <= r2 : Math.abs(dx) <= hx && Math.abs(dy) <= hy && Math.abs(dz) <= hz;
    if (ok) {
      inside[i] = 1;
      count++;
    }
  }
  const max = o.maxPoints ?? Infinity;
  let limit = Infinity;
  let tiesLeft = Infinity;
  if (count > max) {
    const cand = new Float64Array(count);
    for (let i = 0, c = 0; i < n; i++) if (inside[i]) cand[c++] = d2[i];
    limit = kthSmallest(cand, max - 1);
    let below = 0;
    for (let i = 0; i < n; i++) if (inside[i] && d2[i] < limit) below++;
    tiesLeft = max - below;
    count = max;
  }
  const out = new Int32Array(count);
  for (let i = 0, c = 0; i < n && c < count; i++) {
    if (!inside[i] || d2[i] > limit) continue;
    if (d2[i] === limit) {
      if (tiesLeft <= 0) continue;
      tiesLeft--;
    }
    out[c++] = i;
  }
  return out;
}

const cropSchema = z
  .strictObject({
    type: z.literal('crop'),
    shape: z.enum(['sphere', 'box']).default('sphere'),
    radius: z.number().positive().optional(),
    size: z.tuple([z.number().positive(), z.number().positive(), z.number().positive()]).optional(),
    maxPoints: z.number().int().positive().optional(),
    p: prob,
  })
  .superRefine((v, ctx) => {
    if (v.shape === 'box' && !v.size)
      ctx.addIssue({ code: 'custom', path: ['size'], message: 'box crop needs size' });
    if (v.shape === 'sphere' && v.radius === undefined && v.maxPoints === undefined) {
      ctx.addIssue({ code: 'custom', path: ['radius'], message: 'sphere crop needs radius or maxPoints' });
    }
    if (v.shape === 'box' && v.radius !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['radius'], message: 'radius applies to sphere crops only' });
    }
  });

/** The point-removing transforms, by config name. */
export const SUBSET_TRANSFORMS = {
  dropout: defineTransform({
    doc: 'keep a random floor(N·(1 − ratio)) points (PointContrast ratio 0.2, p 0.2)',
    schema: z.strictObject({
      type: z.literal('dropout'),
      ratio: z.number().min(0).max(1).default(0.2),
      p: prob,
    }),
    create: ({ ratio, p }) =>
      withProbability(p, (s, rng) =>
        applySubsetStep(s, dropoutIndices(s.cloud.positions.length / 3, ratio, rng)),
      ),
  }),
  crop: defineTransform({
    doc: 'sphere (radius) or box (size) around a random point, keeping at most maxPoints nearest points',
    schema: cropSchema,
    create: ({ p, type: _type, ...o }) =>
      withProbability(p, (s, rng) => {
        const pos = s.cloud.positions;
        const n = pos.length / 3;
        if (n === 0) return s;
        const c = rng.int(n) * 3;
        const keep = cropIndices(pos, pos[c], pos[c + 1], pos[c + 2], o);
        return keep.length === n ? s : applySubsetStep(s, keep);
      }),
  }),
} as const;
