/**
 * Statistics of one indoor scan for comparing real and synthetic rooms: size, surface density,
 * point spacing, flat-area roughness, normal orientation, holes in floor and walls, clutter,
 * colour, class shares and ceiling share. Platform-free; every estimator is defined in
 * docs/synthetic-scenes.md ("Real vs synthetic") and on the fields below.
 */
import { quantileOf } from '../core/quantile.js';
import { knnSelf } from '../geometry/knn.js';
import { localPlanes } from '../geometry/local-plane.js';
import type { PointCloud } from '../geometry/point-cloud.js';
import { voxelize } from '../geometry/voxelize.js';
import { roomBoundsOf } from './pairs/views.js';

/** Fixed parameters of the estimators (the defaults are the documented ones). */
export interface SceneStatsOptions {
  /** Names of the label ids (index = label); labels without a name are counted as `id N`. */
  classNames?: readonly string[];
  /** Side of the surface-density voxel (0.05 m). */
  densityCell?: number;
  /** Neighbours of the plane fits (16). */
  planeNeighbours?: number;
  /** Side of the floor and wall hole cells (0.1 m). */
  holeCell?: number;
}

/** What `sceneStats` measures (lengths in metres). */
export interface SceneStats {
  points: number;
  /** 1st–99th percentile box per axis. */
  bounds: { min: [number, number, number]; max: [number, number, number] };
  /** Extent of `bounds` and its floor area (x extent × y extent, m²). */
  size: [number, number, number];
  floorArea: number;
  /** Mean points per occupied density voxel, and that divided by the voxel's face area (points per m² of surface). */
  pointsPerCell: number;
  pointsPerM2: number;
  /** Distance to the nearest other point: 10th, 50th, 90th percentile. */
  spacing: { p10: number; p50: number; p90: number };
  /** 25th percentile of the per-point RMS plane-fit residual over the point and its k nearest neighbours. */
  roughnessP25: number;
  /** Shares of points whose local plane is horizontal (normal within 20° of z), vertical (normal within 20° of the xy plane) or neither. */
  normals: { horizontal: number; vertical: number; oblique: number };
  /** Shares of empty hole cells on the floor and on the four walls of `bounds` (see `holeShares`). */
  holes: { floor: number; walls: number };
  /** Object instances (majority label not wall/floor/ceiling) and their number per m² of floor area; null without instances. */
  objects: number | null;
  objectsPerM2: number | null;
  /** Per channel, 0..255; saturation = mean of (max − min) / max over the points (0 for black); null without colours. */
  color: { mean: [number, number, number]; std: [number, number, number]; saturation: number } | null;
  /** Share of points per class name (unlabelled / ignore as 'unlabelled'); null without labels. */
  classes: Record<string, number> | null;
  /** Share of points labelled 'ceiling' (null without labels or without a ceiling class). */
  ceilingShare: number | null;
  /** Share of points on horizontal local planes within 0.2 m below the 99th-percentile height (works without labels). */
  ceilingShareGeom: number;
}

/** Normal within this angle of an axis counts as aligned with it. */
const ALIGN_DEG = 20;
const STUFF = new Set(['wall', 'floor', 'ceiling']);

/**
 * Shares of empty cells. Floor: the `cell` grid over the x–y extent of `bounds`; a cell is filled
 * when a point within 5 cm of the floor height (bounds.min z) falls in it. Walls: on each of the
 * four side faces of `bounds`, the `cell` grid along the face × heights from 0.1 m above the floor
 * to 0.1 m below bounds.max z; a cell is filled when a point within `cell` of the face plane (and
 * inside the face's extent) falls in it. Shares are of all cells (walls pooled).
 */
export function holeShares(
  positions: Float32Array,
  bounds: SceneStats['bounds'],
  cell: number,
): { floor: number; walls: number } {
  const [x0, y0, z0] = bounds.min;
  const [x1, y1, z1] = bounds.max;
  const nx = Math.max(1, Math.ceil((x1 - x0) / cell));
  const ny = Math.max(1, Math.ceil((y1 - y0) / cell));
  const h0 = z0 + 0.1;
  const nz = Math.max(1, Math.ceil((z1 - 0.1 - h0) / cell));
  const floor = new Uint8Array(nx * ny);
  // walls: x = x0, x = x1 (ny × nz cells each), y = y0, y = y1 (nx × nz each)
  const wx0 = new Uint8Array(ny * nz);
  const wx1 = new Uint8Array(ny * nz);
  const wy0 = new Uint8Array(nx * nz);
  const wy1 = new Uint8Array(nx * nz);
  const n = positions.length / 3;
  for (let i = 0; i < n; i++) {
    const x = positions[i * 3];
    const y = positions[i * 3 + 1];
    const z = positions[i * 3 + 2];
    const ix = Math.floor((x - x0) / cell);
    const iy = Math.floor((y - y0) / cell);
    const inX = x >= x0 && x <= x1;
    const inY = y >= y0 && y <= y1;
    const ixc = Math.min(nx - 1, ix);
    const iyc = Math.min(ny - 1, iy);
    if (inX && inY && Math.abs(z - z0) <= 0.05) floor[ixc + nx * iyc] = 1;
    if (z < h0 || z > z1 - 0.1) continue;
    const iz = Math.min(nz - 1, Math.floor((z - h0) / cell));
    if (inY && Math.abs(x - x0) <= cell) wx0[iyc + ny * iz] = 1;
    if (inY && Math.abs(x - x1) <= cell) wx1[iyc + ny * iz] = 1;
    if (inX && Math.abs(y - y0) <= cell) wy0[ixc + nx * iz] = 1;
    if (inX && Math.abs(y - y1) <= cell) wy1[ixc + nx * iz] = 1;
  }
  const empty = (a: Uint8Array) => a.length - a.reduce((s, v) => s + v, 0);
  const wallCells = 2 * ny * nz + 2 * nx * nz;
  return {
    floor: empty(floor) / floor.length,
    walls: (empty(wx0) + empty(wx1) + empty(wy0) + empty(wy1)) / wallCells,
  };
}

function className(names: readonly string[] | undefined, id: number): string {
  if (id < 0) return 'unlabelled';
  return names?.[id] ?? `id ${id}`;
}

/** Number of instances whose majority label is not wall, floor or ceiling. */
export function objectCount(
  labels: Int32Array | undefined,
  instances: Int32Array,
  names?: readonly string[],
): number {
  const votes = new Map<number, Map<number, number>>();
  for (let i = 0; i < instances.length; i++) {
    const id = instances[i];
    if (id < 0) continue;
    let v = votes.get(id);
    if (!v) votes.set(id, (v = new Map()));
    const l = labels ? labels[i] : -1;
    v.set(l, (v.get(l) ?? 0) + 1);
  }
  let count = 0;
  for (const v of votes.values()) {
    let best = -1;
    let bestN = -1;
    for (const [l, c] of v) if (c > bestN || (c === bestN && l < best)) [best, bestN] = [l, c];
    if (!STUFF.has(className(names, best))) count++;
  }
  return count;
}

/** Mean, standard deviation per channel and mean HSV saturation of 0..255 colours. */
export function colorStats(colors: Uint8Array): NonNullable<SceneStats['color']> {
  const n = colors.length / 3;
  const s = [0, 0, 0];
  const s2 = [0, 0, 0];
  let sat = 0;
  for (let i = 0; i < n; i++) {
    let mx = 0;
    let mn = 255;
    for (let c = 0; c < 3; c++) {
      const v = colors[i * 3 + c];
      s[c] += v;
      s2[c] += v * v;
      if (v > mx) mx = v;
      if (v < mn) mn = v;
    }
    if (mx > 0) sat += (mx - mn) / mx;
  }
  const mean = s.map((v) => v / n) as [number, number, number];
  const std = s2.map((v, c) => Math.sqrt(Math.max(0, v / n - mean[c] * mean[c]))) as [number, number, number];
  return { mean, std, saturation: sat / n };
}

/** All statistics of one cloud (see `SceneStats`). */
export function sceneStats(cloud: PointCloud, opts: SceneStatsOptions = {}): SceneStats {
  const { positions, colors, labels, instances } = cloud;
  const n = positions.length / 3;
  if (n < 2) throw new RangeError(`scene stats: need at least 2 points, got ${n}`);
  const densityCell = opts.densityCell ?? 0.05;
  const k = opts.planeNeighbours ?? 16;
  const names = opts.classNames;

  const room = roomBoundsOf(positions);
  const bounds = { min: room.min, max: room.max };
  const size: [number, number, number] = [0, 1, 2].map((d) => room.max[d] - room.min[d]) as [
    number,
    number,
    number,
  ];
  const floorArea = size[0] * size[1];

  const cells = voxelize(positions, densityCell).pointIndex.length;
  const pointsPerCell = n / cells;

  const nn = knnSelf(positions, k, { cell: 0.05 });
  const first = new Float32Array(n);
  for (let i = 0; i < n; i++) first[i] = nn.distances[i * k];
  const planes = localPlanes(positions, nn);
  const cosAlign = Math.cos((ALIGN_DEG * Math.PI) / 180);
  const sinAlign = Math.sin((ALIGN_DEG * Math.PI) / 180);
  let hor = 0;
  let ver = 0;
  let fitted = 0;
  let ceilGeom = 0;
  const zTop = room.max[2] - 0.2;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(planes.residuals[i])) continue;
    fitted++;
    const nz = Math.abs(planes.normals[i * 3 + 2]);
    if (nz >= cosAlign) {
      hor++;
      if (positions[i * 3 + 2] >= zTop) ceilGeom++;
    } else if (nz <= sinAlign) ver++;
  }

  let classes: Record<string, number> | null = null;
  let ceilingShare: number | null = null;
  if (labels) {
    const counts = new Map<string, number>();
    for (let i = 0; i < n; i++) {
      const name = className(names, labels[i]);
      counts.set(name, (counts.get(name) ?? 0) + 1);
    }
    classes = Object.fromEntries([...counts].sort((a, b) => b[1] - a[1]).map(([c, v]) => [c, v / n]));
    if (names?.includes('ceiling')) ceilingShare = (counts.get('ceiling') ?? 0) / n;
  }
  const objects = instances ? objectCount(labels, instances, names) : null;

  return {
    points: n,
    bounds,
    size,
    floorArea,
    pointsPerCell,
    pointsPerM2: pointsPerCell / (densityCell * densityCell),
    spacing: { p10: quantileOf(first, 0.1), p50: quantileOf(first, 0.5), p90: quantileOf(first, 0.9) },
    roughnessP25: quantileOf(planes.residuals, 0.25),
    normals: {
      horizontal: hor / Math.max(1, fitted),
      vertical: ver / Math.max(1, fitted),
      oblique: (fitted - hor - ver) / Math.max(1, fitted),
    },
    holes: holeShares(positions, bounds, opts.holeCell ?? 0.1),
    objects,
    objectsPerM2: objects === null ? null : objects / floorArea,
    color: colors ? colorStats(colors) : null,
    classes,
    ceilingShare,
    ceilingShareGeom: ceilGeom / n,
  };
}
