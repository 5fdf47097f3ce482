/**
 * From the partial views of one scene to pre-training pairs: every view pair whose overlap
 * (PointContrast's definition at `overlapVoxel`) reaches `minOverlap`, and for each kept pair all
 * point correspondences within radiusVoxels·voxel in the shared world frame (voxel-hash search).
 */
import { downsample, type Overlap } from '../../geometry/overlap.js';
import { radiusPairs, RadiusIndex } from '../../geometry/radius-search.js';
import type { PointPair } from './pair-file.js';
import type { View } from './views.js';

/** Pair selection and correspondence settings. */
export interface PairSettings {
  /** Pre-training voxel size in metres (0.025). */
  voxel: number;
  /** Correspondence radius in voxels (1.5 → 3.75 cm at 2.5 cm). */
  radiusVoxels: number;
  /** Keep pairs with overlap ≥ this (0.3). */
  minOverlap: number;
  /** Voxel of the overlap test; its neighbour radius is 1.5·overlapVoxel (PointContrast: 0.05). */
  overlapVoxel: number;
}

/** Default settings (PointContrast's). */
export const DEFAULT_PAIR_SETTINGS: PairSettings = {
  voxel: 0.025,
  radiusVoxels: 1.5,
  minOverlap: 0.3,
  overlapVoxel: 0.05,
};

/** A view pair that passed the overlap test. */
export interface CandidatePair {
  a: number;
  b: number;
  overlap: Overlap;
}

function bounds(p: Float32Array): Float64Array {
  const b = Float64Array.of(Infinity, Infinity, Infinity, -Infinity, -Infinity, -Infinity);
  for (let i = 0; i < p.length; i += 3) {
    for (let d = 0; d < 3; d++) {
      if (p[i + d] < b[d]) b[d] = p[i + d];
      if (p[i + d] > b[d + 3]) b[d + 3] = p[i + d];
    }
  }
  return b;
}

/**
 * All view pairs (a < b) with overlap ≥ minOverlap, in (a, b) order. Views are downsampled and
 * indexed once; pairs whose bounding boxes are further apart than the neighbour radius are skipped.
 */
export function overlappingPairs(
  views: readonly View[],
  s: PairSettings,
): { pairs: CandidatePair[]; tested: number } {
  const ds = views.map((v) => downsample(v.positions, s.overlapVoxel));
  const bb = ds.map(bounds);
  const r = 1.5 * s.overlapVoxel;
  const index = ds.map((d) => new RadiusIndex(d, r));
  const pairs: CandidatePair[] = [];
  let tested = 0;
  for (let a = 0; a < views.length; a++) {
    for (let b = a + 1; b < views.length; b++) {
      let apart = false;
      for (let d = 0; d < 3; d++)
        if (bb[a][d] > bb[b][d + 3] + r || bb[b][d] > bb[a][d + 3] + r) apart = true;
      if (apart || ds[a].length === 0 || ds[b].length === 0) continue;
      tested++;
      const matchAB = index[a].countWithin(ds[b]) / (ds[b].length / 3);
      const matchBA = index[b].countWithin(ds[a]) / (ds[a].length / 3);
      const overlap = Math.max(matchAB, matchBA);
      if (overlap >= s.minOverlap) pairs.push({ a, b, overlap: { overlap, matchAB, matchBA } });
    }
  }
  return { pairs, tested };
}

/** Builds the pair record of views a and b: all correspondences within radiusVoxels·voxel. */
export function buildPair(scene: string, a: View, b: View, overlap: Overlap, s: PairSettings): PointPair {
  // 1.5 × 0.025 is 0.037500000000000006 in binary: round to 12 digits so the radius is the 3.75 cm asked for
  const radius = +(s.radiusVoxels * s.voxel).toPrecision(12);
  const pair: PointPair = {
    scene,
    view0: { id: a.id, positions: a.positions, pose: a.pose },
    view1: { id: b.id, positions: b.positions, pose: b.pose },
    corr: radiusPairs(a.positions, b.positions, radius),
    overlap: overlap.overlap,
    radius,
    meta: { matchAB: overlap.matchAB, matchBA: overlap.matchBA },
  };
  if (a.colors) pair.view0.colors = a.colors;
  if (b.colors) pair.view1.colors = b.colors;
  return pair;
}
