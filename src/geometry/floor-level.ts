/**
 * The floor level of a gravity-aligned cloud (z up): the 1st percentile of z, read from a 1 cm
 * histogram, so a few points below the floor (sensor noise, reflections) do not set it. VoteNet's
 * height feature takes the same percentile. A cloud without a floor gets its lowest 1 %.
 */

/** The share of the points at or below the floor level. */
export const FLOOR_PERCENTILE = 0.01;

const BIN = 0.01;

/** The z of the floor: the FLOOR_PERCENTILE quantile of z to 1 cm (0 for an empty cloud). */
export function floorLevel(positions: Float32Array): number {
  const n = positions.length / 3;
  if (n === 0) return 0;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < n; i++) {
    const z = positions[i * 3 + 2];
    if (Number.isNaN(z)) throw new Error(`floor level: point ${i} has a non-finite z (NaN)`);
    if (z < lo) lo = z;
    if (z > hi) hi = z;
  }
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) {
    throw new Error(`floor level: the cloud has a non-finite z (range ${lo} … ${hi})`);
  }
  const bins = Math.min(Math.floor((hi - lo) / BIN) + 1, 1 << 20);
  const width = bins > 1 ? (hi - lo) / (bins - 1) : 1;
  const counts = new Uint32Array(bins);
  for (let i = 0; i < n; i++) counts[Math.min(bins - 1, Math.floor((positions[i * 3 + 2] - lo) / width))]++;
  const target = Math.max(1, Math.ceil(FLOOR_PERCENTILE * n));
  let seen = 0;
  for (let b = 0; b < bins; b++) {
    seen += counts[b];
    if (seen >= target) return lo + b * width;
  }
  return lo;
}

/**
 * The height above the floor of every point of a gravity-aligned cloud, or of the points `index`
 * picks (an augmented cloud's input indices), so that tilts and distortions applied after this do
 * not change a point's height.
 */
export function pointHeights(positions: Float32Array, index?: Int32Array | null): Float32Array {
  const floor = floorLevel(positions);
  const n = index ? index.length : positions.length / 3;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = positions[(index ? index[i] : i) * 3 + 2] - floor;
  return out;
}
