/**
 * A label-free check of a segmentation of an axis-aligned indoor scan (ScanNet's axisAlignment:
 * z up, walls parallel to x and y), for rooms that have no ground truth. The scan's own geometry
 * decides three sets of points it can tell without labels:
 *
 * - **floor**: points within `floorBand` of the floor plane (least squares over the low points
 *   whose normals are vertical) with a vertical normal;
 * - **above the floor**: points more than `notFloorAbove` over that plane (surely not floor);
 * - **wall planes**: per axis, the mean of the densest 2 cm slab of wall-facing points in the lowest and in
 *   the highest quarter of their range; **on the walls**: points within `wallBand` of one of the
 *   four planes with a horizontal normal, higher than `notFloorAbove` / 2 above the floor;
 *   **inside**: points at least `interiorMargin` from all four planes and between `notFloorAbove`
 *   and `interiorTop` over the floor (furniture and clutter, never the room's boundary walls, as
 *   long as the room is a box: an L-shaped room's inner wall counts as inside).
 *
 * The scores are agreement rates with those sets, not an mIoU: floor IoU (false floor counted
 * only above the floor), the share of the points on the walls given a wall-like class, and the
 * share of the points inside given wall or any wall-like class (lower is better).
 */
import { quantileOf } from '../core/quantile.js';
import { knnSelf } from '../geometry/knn.js';
import { localPlanes } from '../geometry/local-plane.js';

/** Classes a surface of a room's boundary wall carries (ScanNet20 names). */
export const WALL_LIKE_CLASSES: readonly string[] = ['wall', 'window', 'door', 'curtain', 'picture'];

/** Options of the structure oracle (metres). */
export interface StructureOracleOptions {
  /** Neighbours of a point's normal fit. Default 16. */
  k?: number;
  /** Half-width of the floor band. Default 0.04. */
  floorBand?: number;
  /** Height over the floor above which a point is surely not floor. Default 0.25. */
  notFloorAbove?: number;
  /** Half-width of a wall band. Default 0.06. */
  wallBand?: number;
  /** Least distance of an inside point from every wall plane. Default 0.5. */
  interiorMargin?: number;
  /** Highest inside point over the floor. Default 2.0. */
  interiorTop?: number;
}

const DEFAULTS: Required<StructureOracleOptions> = {
  k: 16,
  floorBand: 0.04,
  notFloorAbove: 0.25,
  wallBand: 0.06,
  interiorMargin: 0.5,
  interiorTop: 2.0,
};

/** What the geometry of a scan says without labels (one flag per point). */
export interface StructureOracle {
  /** Floor plane z = a·x + b·y + c. */
  floorPlane: [number, number, number];
  /** Wall planes: x = lo, x = hi, y = lo, y = hi. */
  wallPlanes: { x: [number, number]; y: [number, number] };
  floor: Uint8Array;
  aboveFloor: Uint8Array;
  onWalls: Uint8Array;
  inside: Uint8Array;
}

/** Agreement of one segmentation with the oracle (percent). */
export interface StructureScores {
  /** tp / (tp + missed floor + floor predicted above the floor). */
  floorIoU: number;
  floorRecall: number;
  /** Points above the floor predicted floor, share of them. */
  falseFloor: number;
  /** Points on the walls given a wall-like class. */
  wallsAsWallLike: number;
  /** Points inside predicted wall. */
  insideAsWall: number;
  /** Points inside given any wall-like class. */
  insideAsWallLike: number;
  /** Point counts of the oracle's sets. */
  counts: { floor: number; aboveFloor: number; onWalls: number; inside: number };
}

/** Solves the 3×3 system m·x = r (row-major), Cramer's rule. */
function solve3(m: number[], r: number[]): [number, number, number] {
  const det = (a: number[]) =>
    a[0] * (a[4] * a[8] - a[5] * a[7]) -
    a[1] * (a[3] * a[8] - a[5] * a[6]) +
    a[2] * (a[3] * a[7] - a[4] * a[6]);
  const d = det(m);
  if (Math.abs(d) < 1e-12)
    throw new RangeError('structure check: the floor points are degenerate (collinear)');
  const out: number[] = [];
  for (let c = 0; c < 3; c++) {
    const mc = m.slice();
    for (let row = 0; row < 3; row++) mc[row * 3 + c] = r[row];
    out.push(det(mc) / d);
  }
  return [out[0], out[1], out[2]];
}

/** Least-squares plane z = a·x + b·y + c through the flagged points (normal equations). */
function fitPlane(p: Float32Array, use: (i: number) => boolean, n: number): [number, number, number] {
  let sxx = 0;
  let sxy = 0;
  let sx = 0;
  let syy = 0;
  let sy = 0;
  let sxz = 0;
  let syz = 0;
  let sz = 0;
  let count = 0;
  for (let i = 0; i < n; i++) {
    if (!use(i)) continue;
    const x = p[3 * i];
    const y = p[3 * i + 1];
    const z = p[3 * i + 2];
    sxx += x * x;
    sxy += x * y;
    sx += x;
    syy += y * y;
    sy += y;
    sxz += x * z;
    syz += y * z;
    sz += z;
    count++;
  }
  if (count < 3) throw new RangeError(`structure check: ${count} floor candidates (need at least 3)`);
  return solve3([sxx, sxy, sx, sxy, syy, sy, sx, sy, count], [sxz, syz, sz]);
}

/** Mean coordinate of the densest 2 cm slab of `coords` within [lo, hi]. */
function densestSlab(coords: number[], lo: number, hi: number): number {
  const bin = 0.02;
  const bins = Math.max(1, Math.ceil((hi - lo) / bin));
  const slab = (c: number) => Math.min(bins - 1, Math.floor((c - lo) / bin));
  const hist = new Int32Array(bins);
  const sum = new Float64Array(bins);
  for (const c of coords) {
    if (c < lo || c > hi) continue;
    hist[slab(c)]++;
    sum[slab(c)] += c;
  }
  let best = 0;
  for (let b = 1; b < bins; b++) if (hist[b] > hist[best]) best = b;
  return sum[best] / hist[best];
}

/** The oracle's point sets of an axis-aligned scan (positions: 3N floats, metres). */
export function structureOracle(
  positions: Float32Array,
  options: StructureOracleOptions = {},
): StructureOracle {
  const o = { ...DEFAULTS, ...options };
  const n = positions.length / 3;
  if (n < o.k + 1) throw new RangeError(`structure check: ${n} points (need more than k = ${o.k})`);
  const { normals } = localPlanes(positions, knnSelf(positions, o.k, { cell: 0.1 }));
  const nz = (i: number) => Math.abs(normals[3 * i + 2]);
  const z = new Float64Array(n);
  for (let i = 0; i < n; i++) z[i] = positions[3 * i + 2];
  const base = quantileOf(z, 0.01);
  // the floor: low points with vertical normals, then the inliers of that first fit
  const first = fitPlane(positions, (i) => z[i] < base + 0.15 && nz(i) > 0.9, n);
  const h0 = (i: number) => z[i] - (first[0] * positions[3 * i] + first[1] * positions[3 * i + 1] + first[2]);
  const plane = fitPlane(positions, (i) => Math.abs(h0(i)) < o.floorBand && nz(i) > 0.9, n);
  const height = new Float64Array(n);
  for (let i = 0; i < n; i++)
    height[i] = z[i] - (plane[0] * positions[3 * i] + plane[1] * positions[3 * i + 1] + plane[2]);
  const floor = new Uint8Array(n);
  const aboveFloor = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    floor[i] = Math.abs(height[i]) < o.floorBand && nz(i) > 0.85 ? 1 : 0;
    aboveFloor[i] = height[i] > o.notFloorAbove ? 1 : 0;
  }
  // wall planes per axis: the densest slab of wall-facing points near each end of their range
  const walls: [number, number][] = [];
  for (const axis of [0, 1]) {
    const coords: number[] = [];
    for (let i = 0; i < n; i++)
      if (Math.abs(normals[3 * i + axis]) > 0.9 && height[i] > o.notFloorAbove)
        coords.push(positions[3 * i + axis]);
    if (coords.length < 2)
      throw new RangeError(
        `structure check: no wall-facing points along ${'xy'[axis]} (is the scan axis-aligned?)`,
      );
    let lo = Infinity;
    let hi = -Infinity;
    for (const c of coords) {
      if (c < lo) lo = c;
      if (c > hi) hi = c;
    }
    const quarter = (hi - lo) / 4;
    walls.push([densestSlab(coords, lo, lo + quarter), densestSlab(coords, hi - quarter, hi)]);
  }
  const onWalls = new Uint8Array(n);
  const inside = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const x = positions[3 * i];
    const y = positions[3 * i + 1];
    const d = Math.min(
      Math.abs(x - walls[0][0]),
      Math.abs(x - walls[0][1]),
      Math.abs(y - walls[1][0]),
      Math.abs(y - walls[1][1]),
    );
    onWalls[i] = d < o.wallBand && nz(i) < 0.3 && height[i] > o.notFloorAbove / 2 ? 1 : 0;
    const within = x > walls[0][0] && x < walls[0][1] && y > walls[1][0] && y < walls[1][1];
    inside[i] =
      within && d >= o.interiorMargin && height[i] > o.notFloorAbove && height[i] < o.interiorTop ? 1 : 0;
  }
  return { floorPlane: plane, wallPlanes: { x: walls[0], y: walls[1] }, floor, aboveFloor, onWalls, inside };
}

/** Points in each of the oracle's sets. */
export function oracleCounts(o: StructureOracle): StructureScores['counts'] {
  const count = (a: Uint8Array) => a.reduce((s, v) => s + v, 0);
  return {
    floor: count(o.floor),
    aboveFloor: count(o.aboveFloor),
    onWalls: count(o.onWalls),
    inside: count(o.inside),
  };
}

const pct = (a: number, b: number) => (b > 0 ? (100 * a) / b : NaN);

/**
 * The share (%) of a scan's points predicted as each class, largest first; classes never predicted
 * and negative ids (unlabelled) are left out, but every point counts in the total.
 */
export function predictedShares(
  pred: ArrayLike<number>,
  classNames: readonly string[],
): Record<string, number> {
  const counts = new Float64Array(classNames.length);
  for (let i = 0; i < pred.length; i++) if (pred[i] >= 0 && pred[i] < counts.length) counts[pred[i]]++;
  const order = classNames.map((_, c) => c).filter((c) => counts[c] > 0);
  order.sort((a, b) => counts[b] - counts[a] || a - b);
  return Object.fromEntries(order.map((c) => [classNames[c], pct(counts[c], pred.length)]));
}

/** Agreement of per-point class ids (`classNames` indexes them; negatives are unlabelled) with the oracle. */
export function structureScores(
  oracle: StructureOracle,
  pred: ArrayLike<number>,
  classNames: readonly string[],
): StructureScores {
  const n = oracle.floor.length;
  if (pred.length !== n) throw new RangeError(`structure check: ${pred.length} predictions for ${n} points`);
  const floorId = classNames.indexOf('floor');
  const wallId = classNames.indexOf('wall');
  if (floorId < 0 || wallId < 0)
    throw new RangeError("structure check: the classes must include 'floor' and 'wall'");
  const wallLike = new Uint8Array(classNames.length);
  classNames.forEach((c, i) => (wallLike[i] = WALL_LIKE_CLASSES.includes(c) ? 1 : 0));
  const isWallLike = (c: number) => c >= 0 && c < wallLike.length && wallLike[c] === 1;
  let tp = 0;
  let falseFloor = 0;
  let wallsOk = 0;
  let insideWall = 0;
  let insideWallLike = 0;
  for (let i = 0; i < n; i++) {
    const c = pred[i];
    if (oracle.floor[i] && c === floorId) tp++;
    if (oracle.aboveFloor[i] && c === floorId) falseFloor++;
    if (oracle.onWalls[i] && isWallLike(c)) wallsOk++;
    if (oracle.inside[i]) {
      if (c === wallId) insideWall++;
      if (isWallLike(c)) insideWallLike++;
    }
  }
  const counts = oracleCounts(oracle);
  return {
    floorIoU: pct(tp, counts.floor + falseFloor),
    floorRecall: pct(tp, counts.floor),
    falseFloor: pct(falseFloor, counts.aboveFloor),
    wallsAsWallLike: pct(wallsOk, counts.onWalls),
    insideAsWall: pct(insideWall, counts.inside),
    insideAsWallLike: pct(insideWallLike, counts.inside),
    counts,
  };
}
