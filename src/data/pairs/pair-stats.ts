/**
 * Statistics of a pair folder from its manifest alone (no pair file is read): how many pairs per
 * scene, and the 10th / 50th / 90th percentiles of overlap, points per view and correspondences
 * per pair — what tells real-scan, RGB-D and synthetic pair sources apart.
 */
import type { PairsManifest } from './manifest.js';

/** p10 / p50 / p90 of a sample (nearest rank on the sorted values). */
export interface Quantiles {
  p10: number;
  p50: number;
  p90: number;
}

/** The statistics of one pair folder. */
export interface PairStats {
  from: string;
  scenes: number;
  pairs: number;
  pairsPerScene: Quantiles;
  overlap: Quantiles;
  pointsPerView: Quantiles;
  correspondences: Quantiles;
  /** Correspondences per point of the smaller view (how much of a view is matched). */
  matchedFraction: Quantiles;
}

/** Nearest-rank quantiles: the value at index round(q·(n − 1)) of the sorted sample; 0s for an empty one. */
export function quantiles(values: ArrayLike<number>): Quantiles {
  const v = Float64Array.from(values).sort();
  const at = (q: number) => (v.length === 0 ? 0 : v[Math.round(q * (v.length - 1))]);
  return { p10: at(0.1), p50: at(0.5), p90: at(0.9) };
}

/** The statistics of a manifest. */
export function pairStats(m: PairsManifest): PairStats {
  return {
    from: m.settings.from,
    scenes: m.scenes.length,
    pairs: m.pairs.length,
    pairsPerScene: quantiles(m.scenes.map((s) => s.pairs)),
    overlap: quantiles(m.pairs.map((p) => p.overlap)),
    pointsPerView: quantiles(m.pairs.flatMap((p) => p.points)),
    correspondences: quantiles(m.pairs.map((p) => p.correspondences)),
    matchedFraction: quantiles(m.pairs.map((p) => p.correspondences / Math.max(1, Math.min(...p.points)))),
  };
}
