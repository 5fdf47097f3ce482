/**
 * Overlap of two partial views, PointContrast's definition: both views voxel-downsampled (first
 * point per voxel), match(a→b) = fraction of b's points with a neighbour in a within
 * radiusFactor·voxel, overlap = max(match(a→b), match(b→a)).
 */
import { voxelize } from './voxelize.js';
import { RadiusIndex } from './radius-search.js';

/** Overlap of two views and its two directed parts. */
export interface Overlap {
  overlap: number;
  /** Fraction of b's points with a neighbour in a. */
  matchAB: number;
  /** Fraction of a's points with a neighbour in b. */
  matchBA: number;
}

/** The first point of every occupied voxel (positions 3M). */
export function downsample(positions: Float32Array, voxel: number): Float32Array {
  const { pointIndex } = voxelize(positions, voxel);
  const out = new Float32Array(pointIndex.length * 3);
  for (let v = 0; v < pointIndex.length; v++) {
    const s = pointIndex[v] * 3;
    out[v * 3] = positions[s];
    out[v * 3 + 1] = positions[s + 1];
    out[v * 3 + 2] = positions[s + 2];
  }
  return out;
}

/** Fraction of `query`'s points with a point of `ref` within `radius` (0 for an empty query). */
export function matchFraction(query: Float32Array, ref: Float32Array, radius: number): number {
  const n = query.length / 3;
  return n === 0 ? 0 : new RadiusIndex(ref, radius).countWithin(query) / n;
}

/**
 * Overlap of two clouds already downsampled (e.g. with `downsample`) at `voxel`; the neighbour
 * radius is radiusFactor·voxel (PointContrast: 1.5).
 */
export function overlapOfDownsampled(
  a: Float32Array,
  b: Float32Array,
  voxel: number,
  radiusFactor = 1.5,
): Overlap {
  const r = radiusFactor * voxel;
  const matchAB = matchFraction(b, a, r);
  const matchBA = matchFraction(a, b, r);
  return { overlap: Math.max(matchAB, matchBA), matchAB, matchBA };
}

/** Overlap of two raw views: downsample both at `voxel`, then `overlapOfDownsampled`. */
export function viewOverlap(a: Float32Array, b: Float32Array, voxel: number, radiusFactor = 1.5): Overlap {
  return overlapOfDownsampled(downsample(a, voxel), downsample(b, voxel), voxel, radiusFactor);
}
