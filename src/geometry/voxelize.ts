/**
 * Quantisation of points into voxels (MinkowskiEngine's sparse_quantize): floor(xyz / voxel),
 * unique voxels in order of first appearance, the first point of a voxel wins for features, a
 * voxel whose labelled points disagree gets the ignore label (points labelled "ignore" do not
 * vote), and the point→voxel inverse map projects voxel predictions back onto every point.
 */
import { CoordHash, checkCoordRange } from './coord-hash.js';

export interface VoxelizeOptions {
  /** Per-point labels to vote into voxels (collisions → ignoreLabel). */
  labels?: Int32Array;
  /** Label given to voxels whose points disagree; default -1. */
  ignoreLabel?: number;
}

export interface Voxelized {
  /** Integer voxel coordinates, M×3 (x y z). */
  coords: Int32Array;
  /** For each voxel, the index of its first point (the one whose features it keeps). */
  pointIndex: Int32Array;
  /** For each input point, the voxel it fell into. */
  inverse: Int32Array;
  /** Per-voxel labels when labels were given. */
  labels?: Int32Array;
}

/** Quantises N points (positions 3N) at `voxelSize` metres. */
export function voxelize(positions: Float32Array, voxelSize: number, opts: VoxelizeOptions = {}): Voxelized {
  if (!(voxelSize > 0)) throw new RangeError(`voxelize: voxel size must be > 0, got ${voxelSize}`);
  const n = positions.length / 3;
  if (!Number.isInteger(n)) throw new RangeError('voxelize: positions length is not a multiple of 3');
  const { labels, ignoreLabel = -1 } = opts;
  if (labels && labels.length !== n) {
    throw new RangeError(`voxelize: ${labels.length} labels for ${n} points`);
  }
  const q = new Int32Array(n * 3);
  const inv = 1 / voxelSize;
  for (let i = 0; i < n * 3; i++) {
    const v = Math.floor(positions[i] * inv);
    if (!Number.isFinite(v))
      throw new RangeError(`voxelize: point ${Math.floor(i / 3)} has a non-finite coordinate`);
    q[i] = v;
  }
  checkCoordRange(q, 3);
  const hash = new CoordHash(n);
  const inverse = new Int32Array(n);
  const first = new Int32Array(n);
  let m = 0;
  for (let i = 0; i < n; i++) {
    const r = i * 3;
    const found = hash.insert(0, q[r], q[r + 1], q[r + 2], m);
    if (found < 0) {
      first[m] = i;
      inverse[i] = m++;
    } else {
      inverse[i] = found;
    }
  }
  const pointIndex = first.slice(0, m);
  const coords = new Int32Array(m * 3);
  for (let v = 0; v < m; v++) {
    const s = pointIndex[v] * 3;
    coords[v * 3] = q[s];
    coords[v * 3 + 1] = q[s + 1];
    coords[v * 3 + 2] = q[s + 2];
  }
  const out: Voxelized = { coords, pointIndex, inverse };
  if (labels) {
    // Points carrying the ignore label ("unknown") do not vote: a voxel takes the label its
    // labelled points agree on, and the ignore label when they disagree or none is labelled.
    // (With every point labelled this is MinkowskiEngine's collision rule; it matters when
    // only a few points per scene are labelled, which would otherwise all be voted away.)
    const vl = new Int32Array(m).fill(ignoreLabel);
    const conflict = new Uint8Array(m);
    for (let i = 0; i < n; i++) {
      const l = labels[i];
      if (l === ignoreLabel) continue;
      const v = inverse[i];
      if (vl[v] === ignoreLabel && !conflict[v]) vl[v] = l;
      else if (vl[v] !== l) {
        vl[v] = ignoreLabel;
        conflict[v] = 1;
      }
    }
    out.labels = vl;
  }
  return out;
}

/** Stacks per-scene M_i×3 voxel coordinates into one (b, x, y, z) array with batch indices. */
export function batchCoords(parts: readonly Int32Array[]): Int32Array {
  let total = 0;
  for (const p of parts) total += p.length / 3;
  const out = new Int32Array(total * 4);
  let row = 0;
  parts.forEach((p, b) => {
    const m = p.length / 3;
    for (let i = 0; i < m; i++, row++) {
      out[row * 4] = b;
      out[row * 4 + 1] = p[i * 3];
      out[row * 4 + 2] = p[i * 3 + 1];
      out[row * 4 + 3] = p[i * 3 + 2];
    }
  });
  return out;
}
