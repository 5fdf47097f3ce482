/**
 * Non-finite coordinates (NaN/±Inf): counting them, the policy for what a parser does with
 * them (error, drop, keep), and compacting per-point arrays when dropping.
 */
import type { TypedArray } from '../../geometry/point-cloud.js';

/** What a parser does with points whose x, y or z is NaN or ±Inf. */
export type NonFinitePolicy = 'error' | 'drop' | 'keep';

/** How many points had non-finite coordinates, and what was done with them. */
export interface NonFiniteReport {
  /** Points with a non-finite x, y or z in the file. */
  count: number;
  /** Index (in file order) of the first such point, -1 if none. */
  firstIndex: number;
  /** True when they were removed from the parsed data. */
  dropped: boolean;
}

/** Counts points i < n where xs[i], ys[i] or zs[i] is not finite. */
export function countNonFinite(
  xs: ArrayLike<number>,
  ys: ArrayLike<number>,
  zs: ArrayLike<number>,
  n: number,
  stride = 1,
): { count: number; firstIndex: number } {
  let count = 0;
  let firstIndex = -1;
  for (let i = 0, o = 0; i < n; i++, o += stride) {
    // x - x is 0 for finite x and NaN for NaN/±Inf: one test per coordinate.
    if (xs[o] - xs[o] + (ys[o] - ys[o]) + (zs[o] - zs[o]) !== 0) {
      if (count === 0) firstIndex = i;
      count++;
    }
  }
  return { count, firstIndex };
}

/** A 1/0 keep mask of the points with finite x, y and z. */
export function finiteMask(
  xs: ArrayLike<number>,
  ys: ArrayLike<number>,
  zs: ArrayLike<number>,
  n: number,
  stride = 1,
): Uint8Array {
  const keep = new Uint8Array(n);
  for (let i = 0, o = 0; i < n; i++, o += stride) {
    keep[i] = xs[o] - xs[o] + (ys[o] - ys[o]) + (zs[o] - zs[o]) === 0 ? 1 : 0;
  }
  return keep;
}

/** The rows of `a` (each `width` values) whose keep flag is 1, in order; `kept` = number of 1s. */
export function compactRows<T extends TypedArray>(a: T, keep: Uint8Array, kept: number, width = 1): T {
  const out = new (a.constructor as new (n: number) => T)(kept * width);
  let j = 0;
  for (let i = 0; i < keep.length; i++) {
    if (keep[i] === 0) continue;
    for (let k = 0; k < width; k++) out[j * width + k] = a[i * width + k];
    j++;
  }
  return out;
}

/** Describes the first bad point for an error message. */
export function describePoint(x: number, y: number, z: number): string {
  return `x=${x}, y=${y}, z=${z}`;
}
