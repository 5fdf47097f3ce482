/**
 * Colour ramps for scalar fields (confidence, height, any numeric property): named stop lists,
 * sampled into a 256×1 RGBA texture the shader reads with (value - min) / (max - min).
 */
import type { Rgb } from './colors.js';

/** Ramp stops, evenly spaced from 0 to 1. */
export const RAMPS = {
  viridis: [
    [68, 1, 84],
    [59, 82, 139],
    [33, 145, 140],
    [94, 201, 98],
    [253, 231, 37],
  ],
  // ColorBrewer RdYlGn: low confidence red, high green.
  redgreen: [
    [215, 25, 28],
    [253, 174, 97],
    [255, 255, 191],
    [166, 217, 106],
    [26, 150, 65],
  ],
  coolwarm: [
    [59, 76, 192],
    [221, 221, 221],
    [180, 4, 38],
  ],
  grey: [
    [20, 20, 20],
    [235, 235, 235],
  ],
} as const satisfies Record<string, readonly (readonly [number, number, number])[]>;

/** A ramp name. */
export type RampName = keyof typeof RAMPS;

/** The ramp names, for menus. */
export const RAMP_NAMES = Object.keys(RAMPS) as RampName[];

/** Colour of `t` (clamped to 0..1) on a ramp, linearly interpolated between stops. */
export function rampColor(name: RampName, t: number): Rgb {
  const stops = RAMPS[name];
  const x = Math.min(1, Math.max(0, Number.isNaN(t) ? 0 : t)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x));
  const f = x - i;
  const a = stops[i];
  const b = stops[i + 1];
  return [0, 1, 2].map((k) => Math.round(a[k] + (b[k] - a[k]) * f)) as Rgb;
}

/** 256 RGBA texels of a ramp (texel k = rampColor(k / 255)). */
export function rampTexels(name: RampName): Uint8Array {
  const out = new Uint8Array(256 * 4);
  for (let k = 0; k < 256; k++) {
    const c = rampColor(name, k / 255);
    out.set([c[0], c[1], c[2], 255], k * 4);
  }
  return out;
}

/** Min and max of the finite values of an array (null when none are finite). */
export function finiteRange(values: ArrayLike<number>): [number, number] | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!(v > -Infinity && v < Infinity)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : null;
}
