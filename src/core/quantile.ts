/** Quantiles of plain number arrays (scene statistics, the structure check). Platform-free. */

/** The q-quantile (nearest rank on the sorted finite values; NaN when there is none). */
export function quantileOf(values: ArrayLike<number>, q: number): number {
  const v = Float64Array.from(values).filter(Number.isFinite).sort();
  if (v.length === 0) return NaN;
  return v[Math.min(v.length - 1, Math.max(0, Math.round(q * (v.length - 1))))];
}
