/**
 * Sampling of matched pairs for the contrastive losses (PointContrast's PointInfoNCE recipe):
 * one random match per unique query row, then at most `npos` queries kept at random.
 */
import type { Rng } from '../core/rng.js';

export interface Matches {
  q: Int32Array;
  k: Int32Array;
}

/** Splits interleaved (q, k) pairs into two arrays. */
export function splitPairs(corr: Int32Array): Matches {
  const n = corr.length >> 1;
  const q = new Int32Array(n);
  const k = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    q[i] = corr[2 * i];
    k[i] = corr[2 * i + 1];
  }
  return { q, k };
}

/** Keeps `n` of `count` indices at random (all, in order, when count ≤ n). */
export function subsample(count: number, n: number, rng: Rng): Int32Array {
  // no draws when all are kept
  if (count <= n) return Int32Array.from({ length: count }, (_, i) => i);
  return rng.sample(count, n).sort();
}

/**
 * For each unique query q of the interleaved pairs, one of its keys uniformly at random; then at
 * most `npos` of those queries (uniformly). `nQueries` bounds the q values.
 */
export function sampleOneMatchPerQuery(corr: Int32Array, nQueries: number, npos: number, rng: Rng): Matches {
  const p = corr.length >> 1;
  const count = new Int32Array(nQueries + 1);
  for (let i = 0; i < p; i++) {
    const q = corr[2 * i];
    if (q < 0 || q >= nQueries)
      throw new RangeError(`correspondence ${i}: query row ${q} outside [0, ${nQueries})`);
    count[q + 1]++;
  }
  for (let q = 0; q < nQueries; q++) count[q + 1] += count[q];
  const keys = new Int32Array(p);
  const fill = count.slice(0, nQueries);
  for (let i = 0; i < p; i++) keys[fill[corr[2 * i]]++] = corr[2 * i + 1];
  const uq: number[] = [];
  for (let q = 0; q < nQueries; q++) if (count[q + 1] > count[q]) uq.push(q);
  const keep = subsample(uq.length, npos, rng);
  const q = new Int32Array(keep.length);
  const k = new Int32Array(keep.length);
  for (let i = 0; i < keep.length; i++) {
    const qi = uq[keep[i]];
    const from = count[qi];
    const n = count[qi + 1] - from;
    q[i] = qi;
    k[i] = keys[from + rng.int(n)];
  }
  return { q, k };
}
