/**
 * Scan-like post-processing of a clean (noise-free) sampled cloud: keep what a virtual capture
 * sees (`scanner.ts`), thin to a minimum spacing like the vertices of a decimated fused mesh,
 * then recompute the instance bounds from the kept points and add the position noise.
 */
import type { PointCloud, TypedArray } from '../../geometry/point-cloud.js';
import { Rng } from '../../core/rng.js';
import { scannedMask, type ScannerOptions } from './scanner.js';
import type { SampledCloud } from './sample.js';
import type { SynthSurface, Vec3 } from './shape.js';
import { STREAM } from './streams.js';

/** What `captureCloud` does. */
export interface CaptureOptions {
  /** Keep only the points a virtual walk-around capture sees. */
  scanner?: ScannerOptions;
  /** Greedy thinning in point order: drop a point closer than this to a kept one (metres; 0 = off). */
  minSpacing?: number;
  /** Gaussian position noise per axis (metres), added last. */
  noise: number;
  /** Seed of the noise stream. */
  seed: number;
}

/**
 * Greedy minimum-spacing thinning: in index order, a point of `keep` stays only when no point kept
 * before it lies within `spacing` (a grid of cells of side `spacing`; 27 cells per test).
 * Updates `keep` in place and returns it.
 */
export function thinToSpacing(positions: Float32Array, spacing: number, keep: Uint8Array): Uint8Array {
  if (!(spacing > 0)) throw new RangeError(`minSpacing must be > 0, got ${spacing}`);
  const inv = 1 / spacing;
  const r2 = spacing * spacing;
  const grid = new Map<number, number[]>();
  // cell key: x, y, z cell indices packed (rooms span far fewer than 2^17 cells per axis)
  const key = (x: number, y: number, z: number) =>
    (x + 65536) * 2 ** 34 + (y + 65536) * 2 ** 17 + (z + 65536);
  const n = positions.length / 3;
  for (let i = 0; i < n; i++) {
    if (!keep[i]) continue;
    const x = positions[i * 3];
    const y = positions[i * 3 + 1];
    const z = positions[i * 3 + 2];
    const cx = Math.floor(x * inv);
    const cy = Math.floor(y * inv);
    const cz = Math.floor(z * inv);
    let close = false;
    search: for (let dz = -1; dz <= 1; dz++) {
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const list = grid.get(key(cx + dx, cy + dy, cz + dz));
          if (!list) continue;
          for (const j of list) {
            const ex = positions[j * 3] - x;
            const ey = positions[j * 3 + 1] - y;
            const ez = positions[j * 3 + 2] - z;
            if (ex * ex + ey * ey + ez * ez < r2) {
              close = true;
              break search;
            }
          }
        }
      }
    }
    if (close) {
      keep[i] = 0;
      continue;
    }
    const k = key(cx, cy, cz);
    const list = grid.get(k);
    if (list) list.push(i);
    else grid.set(k, [i]);
  }
  return keep;
}

function subsetArray<T extends TypedArray>(a: T, keep: Uint8Array, stride: number, m: number): T {
  const out = new (a.constructor as new (n: number) => T)(m * stride);
  let o = 0;
  for (let i = 0; i < keep.length; i++) {
    if (!keep[i]) continue;
    for (let c = 0; c < stride; c++) out[o * stride + c] = a[i * stride + c];
    o++;
  }
  return out;
}

/** The captured cloud of a clean sampled cloud (see `CaptureOptions`); instance bounds before noise. */
export function captureCloud(
  clean: SampledCloud,
  surfaces: readonly SynthSurface[],
  room: { min: Vec3; max: Vec3 },
  o: CaptureOptions,
): SampledCloud {
  const src = clean.cloud;
  const n = src.positions.length / 3;
  const keep = o.scanner
    ? scannedMask(src.positions, src.normals, surfaces, room, o.scanner)
    : new Uint8Array(n).fill(1);
  if (o.minSpacing) thinToSpacing(src.positions, o.minSpacing, keep);
  let m = 0;
  for (let i = 0; i < n; i++) m += keep[i];
  const cloud: PointCloud = { positions: subsetArray(src.positions, keep, 3, m) };
  if (src.colors) cloud.colors = subsetArray(src.colors, keep, 3, m);
  if (src.normals) cloud.normals = subsetArray(src.normals, keep, 3, m);
  if (src.labels) cloud.labels = subsetArray(src.labels, keep, 1, m);
  if (src.instances) cloud.instances = subsetArray(src.instances, keep, 1, m);
  if (src.properties) {
    cloud.properties = Object.fromEntries(
      Object.entries(src.properties).map(([k, a]) => [k, subsetArray(a, keep, 1, m)]),
    );
  }
  const bounds = new Float64Array(clean.instanceBounds.length);
  for (let k = 0; k < bounds.length; k += 6)
    bounds.set([Infinity, Infinity, Infinity, -Infinity, -Infinity, -Infinity], k);
  const p = cloud.positions;
  for (let i = 0; i < m; i++) {
    const inst = cloud.instances ? cloud.instances[i] : -1;
    if (inst < 0) continue;
    for (let c = 0; c < 3; c++) {
      const v = p[i * 3 + c];
      if (v < bounds[6 * inst + c]) bounds[6 * inst + c] = v;
      if (v > bounds[6 * inst + 3 + c]) bounds[6 * inst + 3 + c] = v;
    }
  }
  if (o.noise > 0) {
    const rng = Rng.stream(o.seed, STREAM.noise);
    for (let i = 0; i < m * 3; i++) p[i] += o.noise * rng.normal();
  }
  return { cloud, instanceBounds: bounds };
}
