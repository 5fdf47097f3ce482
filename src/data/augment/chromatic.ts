/**
 * Colour augmentations of PointContrast's downstream recipe on 0..255 uint8 colours: auto-contrast
 * (blend with the per-channel min–max stretched colours), a random per-cloud colour shift, and
 * per-point Gaussian jitter. Results are rounded and clamped to 0..255; clouds without colours pass.
 */
import { z } from 'zod';
import { defineTransform, prob, withProbability } from './factory.js';
import type { AugState } from './state.js';
import type { Rng } from '../../core/rng.js';

function toByte(v: number): number {
  return v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v);
}

/** Blends colours with their per-channel min–max stretch to 0..255 by `blend` ∈ [0, 1] (new array). */
export function autoContrast(colors: Uint8Array, blend: number): Uint8Array {
  const out = new Uint8Array(colors.length);
  for (let c = 0; c < 3; c++) {
    let lo = 255;
    let hi = 0;
    for (let i = c; i < colors.length; i += 3) {
      if (colors[i] < lo) lo = colors[i];
      if (colors[i] > hi) hi = colors[i];
    }
    const span = hi - lo;
    for (let i = c; i < colors.length; i += 3) {
      const v = colors[i];
      out[i] = span > 0 ? toByte((1 - blend) * v + (blend * ((v - lo) * 255)) / span) : v;
    }
  }
  return out;
}

/** Adds one offset per channel to every point (new array, clamped). */
export function translateColors(colors: Uint8Array, offset: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(colors.length);
  for (let i = 0; i < colors.length; i += 3) {
    out[i] = toByte(colors[i] + offset[0]);
    out[i + 1] = toByte(colors[i + 1] + offset[1]);
    out[i + 2] = toByte(colors[i + 2] + offset[2]);
  }
  return out;
}

/** Adds N(0, (std·255)²) to every channel of every point (new array, clamped). */
export function jitterColors(colors: Uint8Array, std: number, rng: Rng): Uint8Array {
  const out = new Uint8Array(colors.length);
  const s = std * 255;
  for (let i = 0; i < colors.length; i++) out[i] = toByte(colors[i] + s * rng.normal());
  return out;
}

function withColors(s: AugState, colors: Uint8Array): AugState {
  return { ...s, cloud: { ...s.cloud, colors } };
}

/** The colour transforms, by config name. */
export const CHROMATIC_TRANSFORMS = {
  'chromatic-auto-contrast': defineTransform({
    doc: 'blend colours with their min–max stretch; blend ~ U[0,1] unless blendFactor is set (PointContrast p 0.2)',
    schema: z.strictObject({
      type: z.literal('chromatic-auto-contrast'),
      blendFactor: z.number().min(0).max(1).optional(),
      p: prob,
    }),
    create: ({ blendFactor, p }) =>
      withProbability(p, (s, rng) => {
        const blend = blendFactor ?? rng.next();
        return s.cloud.colors ? withColors(s, autoContrast(s.cloud.colors, blend)) : s;
      }),
  }),
  'chromatic-translation': defineTransform({
    doc: 'add (U[0,1) − 0.5)·2·ratio·255 per channel to all points (PointContrast ratio 0.1, p 0.95)',
    schema: z.strictObject({
      type: z.literal('chromatic-translation'),
      ratio: z.number().min(0).max(1).default(0.1),
      p: prob,
    }),
    create: ({ ratio, p }) =>
      withProbability(p, (s, rng) => {
        const t = [0, 1, 2].map(() => (rng.next() - 0.5) * 255 * 2 * ratio);
        return s.cloud.colors ? withColors(s, translateColors(s.cloud.colors, t)) : s;
      }),
  }),
  'chromatic-jitter': defineTransform({
    doc: 'add N(0, std·255) per channel per point (PointContrast std 0.05, p 0.95)',
    schema: z.strictObject({
      type: z.literal('chromatic-jitter'),
      std: z.number().min(0).default(0.05),
      p: prob,
    }),
    create: ({ std, p }) =>
      withProbability(p, (s, rng) =>
        s.cloud.colors ? withColors(s, jitterColors(s.cloud.colors, std, rng)) : s,
      ),
  }),
} as const;
