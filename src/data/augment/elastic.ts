/**
 * Elastic distortion (PointContrast/Pointcept `ElasticDistortion`): for each (granularity,
 * magnitude), Gaussian noise on a grid of that spacing, box-blurred twice along each axis, is
 * trilinearly interpolated at every point and added, scaled by the magnitude (metres).
 */
import { z } from 'zod';
import { bounds } from './state.js';
import { defineTransform, prob, withProbability } from './factory.js';
import type { Rng } from '../../core/rng.js';

/** Grid of 3-vectors: values[((ix·ny + iy)·nz + iz)·3 + c]. */
export interface VectorGrid {
  dims: [number, number, number];
  values: Float64Array;
}

/** In place: convolves every line along `axis` with [1, 1, 1]/3, zero outside the grid. */
export function boxBlurAxis(grid: VectorGrid, axis: 0 | 1 | 2): void {
  const [nx, ny, nz] = grid.dims;
  const n = grid.dims[axis];
  const strides = [ny * nz * 3, nz * 3, 3];
  const step = strides[axis];
  const line = new Float64Array(n);
  const v = grid.values;
  const others = [0, 1, 2].filter((a) => a !== axis);
  const [na, nb] = others.map((a) => [nx, ny, nz][a]);
  const [sa, sb] = others.map((a) => strides[a]);
  for (let a = 0; a < na; a++) {
    for (let b = 0; b < nb; b++) {
      for (let c = 0; c < 3; c++) {
        const base = a * sa + b * sb + c;
        for (let i = 0; i < n; i++) line[i] = v[base + i * step];
        for (let i = 0; i < n; i++) {
          const l = i > 0 ? line[i - 1] : 0;
          const r = i < n - 1 ? line[i + 1] : 0;
          v[base + i * step] = (l + line[i] + r) / 3;
        }
      }
    }
  }
}

/** Trilinear interpolation at fractional grid index (u, v, w) into out[0..2]; 0 outside the grid. */
export function trilinear(grid: VectorGrid, u: number, v: number, w: number, out: Float64Array): void {
  const [nx, ny, nz] = grid.dims;
  out[0] = out[1] = out[2] = 0;
  if (!(u >= 0 && v >= 0 && w >= 0 && u <= nx - 1 && v <= ny - 1 && w <= nz - 1)) return;
  const i0 = Math.min(Math.floor(u), nx - 2 < 0 ? 0 : nx - 2);
  const j0 = Math.min(Math.floor(v), ny - 2 < 0 ? 0 : ny - 2);
  const k0 = Math.min(Math.floor(w), nz - 2 < 0 ? 0 : nz - 2);
  const fu = u - i0;
  const fv = v - j0;
  const fw = w - k0;
  const vals = grid.values;
  for (let di = 0; di < 2; di++) {
    const wi = di ? fu : 1 - fu;
    if (wi === 0 || i0 + di >= nx) continue;
    for (let dj = 0; dj < 2; dj++) {
      const wj = dj ? fv : 1 - fv;
      if (wj === 0 || j0 + dj >= ny) continue;
      for (let dk = 0; dk < 2; dk++) {
        const wk = dk ? fw : 1 - fw;
        if (wk === 0 || k0 + dk >= nz) continue;
        const o = (((i0 + di) * ny + (j0 + dj)) * nz + (k0 + dk)) * 3;
        const wt = wi * wj * wk;
        out[0] += wt * vals[o];
        out[1] += wt * vals[o + 1];
        out[2] += wt * vals[o + 2];
      }
    }
  }
}

/** Adds one smoothed-noise displacement field of the given granularity and magnitude (new array). */
export function elasticDistort(
  positions: Float32Array,
  granularity: number,
  magnitude: number,
  rng: Rng,
): Float32Array {
  const out = new Float32Array(positions);
  if (positions.length === 0) return out;
  const [lo, hi] = bounds(positions);
  const dims = [0, 1, 2].map((d) => Math.floor((hi[d] - lo[d]) / granularity) + 3) as [
    number,
    number,
    number,
  ];
  const cells = dims[0] * dims[1] * dims[2];
  if (cells > 64_000_000) {
    throw new RangeError(
      `elastic: a ${dims.join('×')} noise grid is too large; raise the granularity (${granularity} m) or crop the scene`,
    );
  }
  const grid: VectorGrid = { dims, values: new Float64Array(cells * 3) };
  for (let i = 0; i < grid.values.length; i++) grid.values[i] = rng.normal();
  for (let pass = 0; pass < 2; pass++) {
    boxBlurAxis(grid, 0);
    boxBlurAxis(grid, 1);
    boxBlurAxis(grid, 2);
  }
  // grid node i along axis d sits at lo[d] − granularity + i·granularity; all points fall inside
  // the grid, so the 8-corner interpolation is inlined without bounds tests (hot loop)
  const inv = 1 / granularity;
  const [nx, ny, nz] = dims;
  const sx = ny * nz * 3;
  const sy = nz * 3;
  const g = grid.values;
  for (let i = 0; i < positions.length; i += 3) {
    const u = (positions[i] - lo[0]) * inv + 1;
    const v = (positions[i + 1] - lo[1]) * inv + 1;
    const w = (positions[i + 2] - lo[2]) * inv + 1;
    const i0 = Math.min(Math.floor(u), nx - 2);
    const j0 = Math.min(Math.floor(v), ny - 2);
    const k0 = Math.min(Math.floor(w), nz - 2);
    const fu = u - i0;
    const fv = v - j0;
    const fw = w - k0;
    const o = i0 * sx + j0 * sy + k0 * 3;
    for (let c = 0; c < 3; c++) {
      const a = o + c;
      const c00 = g[a] + fw * (g[a + 3] - g[a]);
      const c01 = g[a + sy] + fw * (g[a + sy + 3] - g[a + sy]);
      const c10 = g[a + sx] + fw * (g[a + sx + 3] - g[a + sx]);
      const c11 = g[a + sx + sy] + fw * (g[a + sx + sy + 3] - g[a + sx + sy]);
      const c0 = c00 + fv * (c01 - c00);
      const c1 = c10 + fv * (c11 - c10);
      out[i + c] += magnitude * (c0 + fu * (c1 - c0));
    }
  }
  return out;
}

const granMag = z.tuple([z.number().positive(), z.number().min(0)]).describe('[granularity m, magnitude m]');

/** The elastic-distortion transform. */
export const ELASTIC_TRANSFORMS = {
  elastic: defineTransform({
    doc: 'smoothed-noise displacement per [granularity, magnitude] (PointContrast: [[0.2, 0.4], [0.8, 1.6]], p 0.95)',
    schema: z.strictObject({
      type: z.literal('elastic'),
      params: z
        .array(granMag)
        .min(1)
        .default([
          [0.2, 0.4],
          [0.8, 1.6],
        ]),
      p: prob,
    }),
    create: ({ params, p }) =>
      withProbability(p, (s, rng) => {
        let pos = s.cloud.positions;
        for (const [g, m] of params) pos = elasticDistort(pos, g, m, rng);
        return { ...s, cloud: { ...s.cloud, positions: pos }, affineExact: false };
      }),
  }),
} as const;
