/**
 * Colours and procedural textures of synthetic scenes: palettes shared across classes (so colour
 * alone never gives the class away) and the per-point texture function the sampler calls.
 */
import type { Material, Vec3 } from './shape.js';
import type { Rng } from '../../core/rng.js';

/** Procedural texture kinds (Material.texture). */
export const TEXTURE = { plain: 0, wood: 1, planks: 2, tiles: 3, fabric: 4, painting: 5 } as const;

/** Named colour palettes; objects draw a base colour from one and jitter it. */
export const PALETTE = {
  wood: [
    [196, 160, 112],
    [110, 74, 48],
    [150, 90, 62],
    [222, 192, 146],
    [84, 58, 40],
    [170, 130, 90],
  ],
  painted: [
    [236, 234, 228],
    [245, 245, 245],
    [40, 40, 42],
    [128, 130, 132],
    [190, 205, 215],
    [200, 210, 190],
    [230, 220, 200],
  ],
  fabric: [
    [120, 120, 126],
    [200, 186, 160],
    [44, 58, 96],
    [150, 44, 44],
    [72, 110, 84],
    [98, 62, 44],
    [36, 36, 40],
    [74, 112, 170],
    [196, 158, 64],
    [176, 170, 164],
  ],
  metal: [
    [192, 192, 198],
    [34, 34, 36],
    [150, 152, 158],
    [236, 236, 236],
  ],
  ceramic: [
    [246, 246, 243],
    [232, 230, 222],
    [238, 240, 244],
  ],
  wallPaint: [
    [238, 236, 230],
    [246, 244, 238],
    [228, 222, 208],
    [214, 218, 220],
    [206, 220, 230],
    [214, 226, 206],
    [236, 214, 196],
    [200, 196, 220],
  ],
  plastic: [
    [240, 240, 240],
    [30, 30, 32],
    [130, 130, 134],
    [200, 40, 40],
    [40, 90, 190],
    [50, 150, 70],
    [240, 200, 40],
    [240, 130, 30],
  ],
  paper: [
    [236, 232, 220],
    [190, 160, 120],
    [160, 60, 50],
    [50, 80, 130],
    [60, 110, 70],
    [220, 200, 80],
    [90, 90, 90],
    [180, 120, 160],
  ],
  floorTile: [
    [230, 228, 222],
    [170, 170, 168],
    [214, 200, 176],
    [180, 100, 70],
    [90, 90, 94],
  ],
  carpet: [
    [150, 146, 140],
    [196, 184, 160],
    [80, 96, 130],
    [110, 70, 60],
    [90, 110, 90],
  ],
} as const satisfies Record<string, readonly (readonly [number, number, number])[]>;

/** Name of a PALETTE entry. */
export type PaletteName = keyof typeof PALETTE;

/** A colour from `palette`, jittered by ±`jitter` (relative) per channel with a shared brightness factor. */
export function pickColor(rng: Rng, palette: PaletteName, jitter = 0.08): Vec3 {
  const base = rng.pick(PALETTE[palette] as readonly (readonly number[])[]);
  const k = 1 + rng.uniform(-jitter, jitter);
  const ch = (v: number) => Math.max(0, Math.min(255, v * k * (1 + rng.uniform(-jitter / 3, jitter / 3))));
  return [ch(base[0]), ch(base[1]), ch(base[2])];
}

/** A material with a colour drawn from `palette`. */
export function material(
  rng: Rng,
  palette: PaletteName,
  texture: number = TEXTURE.plain,
  extra: Partial<Material> = {},
): Material {
  return { color: pickColor(rng, palette), texture, ...extra };
}

/** A material of a fixed colour. */
export function solidColor(
  color: Vec3,
  texture: number = TEXTURE.plain,
  extra: Partial<Material> = {},
): Material {
  return { color, texture, ...extra };
}

/** Deterministic hash of two integers and a seed to [0, 1). */
export function hash01(i: number, j: number, seed: number): number {
  let h = Math.imul(i | 0, 0x27d4eb2d) ^ Math.imul(j | 0, 0x165667b1) ^ Math.imul(seed | 0, 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}

/**
 * Writes the textured colour (0..255, unshaded) of material `m` at surface coordinates (a, b)
 * in metres into out[0..2]; `seed` varies planks/tiles between surfaces.
 */
export function textureColor(m: Material, a: number, b: number, seed: number, out: Float64Array): void {
  const c = m.color;
  let f = 1;
  switch (m.texture) {
    case TEXTURE.wood:
      f = 1 + 0.07 * Math.sin(b * 55 + 2.5 * Math.sin(a * 3.1 + b * 7));
      break;
    case TEXTURE.planks: {
      const w = m.scale ?? 0.15;
      const k = Math.floor(b / w);
      const len = 1.2;
      const shift = hash01(k, 0, seed) * len;
      const j = Math.floor((a + shift) / len);
      const fb = b / w - k;
      const fa = (a + shift) / len - j;
      const gap = fb < 0.04 || fa < 0.006;
      f =
        (gap ? 0.62 : 0.86 + 0.26 * hash01(k, j, seed)) * (1 + 0.05 * Math.sin(b * 90 + 3 * Math.sin(a * 4)));
      break;
    }
    case TEXTURE.tiles: {
      const t = m.scale ?? 0.3;
      const fa = a / t - Math.floor(a / t);
      const fb = b / t - Math.floor(b / t);
      if (fa < 0.025 || fb < 0.025) {
        const g = m.color2 ?? [200, 200, 200];
        out[0] = g[0];
        out[1] = g[1];
        out[2] = g[2];
        return;
      }
      f = 0.95 + 0.1 * hash01(Math.floor(a / t), Math.floor(b / t), seed);
      break;
    }
    case TEXTURE.fabric:
      f = 0.93 + 0.14 * hash01(Math.floor(a * 120), Math.floor(b * 120), seed);
      break;
    case TEXTURE.painting: {
      const c2 = m.color2 ?? [40, 40, 40];
      const s = m.scale ?? 6;
      const t =
        0.5 + 0.5 * Math.sin(a * s + 2 * Math.sin(b * s * 0.7 + seed)) * Math.cos(b * s * 1.3 - a * 2);
      out[0] = c[0] + (c2[0] - c[0]) * t;
      out[1] = c[1] + (c2[1] - c[1]) * t;
      out[2] = c[2] + (c2[2] - c[2]) * t;
      return;
    }
  }
  out[0] = c[0] * f;
  out[1] = c[1] * f;
  out[2] = c[2] * f;
}
