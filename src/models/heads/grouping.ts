/**
 * Proposal grouping of VoteNet on typed arrays: farthest point sampling of voted centres (the
 * proposal seeds) and fixed-radius ball queries collecting each proposal's member votes.
 * Platform-free, no tensors: the indices feed differentiable row gathers.
 */

/**
 * Farthest point sampling among `candidates` (indices of 3-float rows of `positions`): starts at
 * candidates[0], then repeatedly takes the candidate farthest from everything taken (ties: the
 * earliest). Returns min(k, candidates.length) point indices.
 */
export function farthestPointSample(positions: Float32Array, candidates: Int32Array, k: number): Int32Array {
  const n = candidates.length;
  const m = Math.min(k, n);
  const out = new Int32Array(m);
  if (m === 0) return out;
  const dist = new Float64Array(n).fill(Infinity);
  let cur = 0;
  for (let s = 0; s < m; s++) {
    const p = candidates[cur];
    out[s] = p;
    const x = positions[p * 3];
    const y = positions[p * 3 + 1];
    const z = positions[p * 3 + 2];
    let best = -1;
    let bestD = -1;
    for (let i = 0; i < n; i++) {
      const q = candidates[i] * 3;
      const dx = positions[q] - x;
      const dy = positions[q + 1] - y;
      const dz = positions[q + 2] - z;
      const d = dx * dx + dy * dy + dz * dz;
      if (d < dist[i]) dist[i] = d;
      if (dist[i] > bestD) {
        bestD = dist[i];
        best = i;
      }
    }
    cur = best;
  }
  return out;
}

/**
 * For each centre (a point index), the first `nsample` candidates (in candidate order) within
 * `radius` of it, padded by repeating the first one found (PointNet++'s ball query). A centre
 * that is itself a candidate always finds at least itself; one with no candidate in range gets
 * itself. Returns centres.length × nsample point indices.
 */
export function ballQuery(
  positions: Float32Array,
  candidates: Int32Array,
  centres: Int32Array,
  radius: number,
  nsample: number,
): Int32Array {
  const out = new Int32Array(centres.length * nsample);
  const r2 = radius * radius;
  for (let c = 0; c < centres.length; c++) {
    const p = centres[c] * 3;
    const x = positions[p];
    const y = positions[p + 1];
    const z = positions[p + 2];
    let found = 0;
    for (let i = 0; i < candidates.length && found < nsample; i++) {
      const q = candidates[i] * 3;
      const dx = positions[q] - x;
      const dy = positions[q + 1] - y;
      const dz = positions[q + 2] - z;
      if (dx * dx + dy * dy + dz * dz <= r2) out[c * nsample + found++] = candidates[i];
    }
    const first = found > 0 ? out[c * nsample] : centres[c];
    for (let s = found; s < nsample; s++) out[c * nsample + s] = first;
  }
  return out;
}
