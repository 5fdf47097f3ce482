/**
 * Colour helpers shared by the shaders' CPU twins and the legend: the generated class palette,
 * the instance hash colour (bit-exact with the GLSL version in render/point-material.ts), hex parsing.
 */

/** RGB, 0..255 each. */
export type Rgb = [number, number, number];

/** HSL (h in turns, s and l in 0..1) to 0..255 RGB. */
export function hslToRgb(h: number, s: number, l: number): Rgb {
  const a = s * Math.min(l, 1 - l);
  const f = (n: number): number => {
    const k = (n + h * 12) % 12;
    return Math.round(255 * (l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1))));
  };
  return [f(0), f(8), f(4)];
}

/** A distinct, deterministic colour for a class id without a palette entry (golden-angle hues). */
export function generatedClassColor(id: number): Rgb {
  const h = (((id * 0.618033988749895) % 1) + 1) % 1;
  const l = [0.55, 0.42, 0.68][((id % 3) + 3) % 3];
  return hslToRgb(h, 0.65, l);
}

/** Colour of instance `id` (-1 = none → grey); the shader computes the same bytes. */
export function instanceColor(id: number): Rgb {
  if (id < 0) return [128, 128, 128];
  let h = Math.imul(id + 1, 0x9e3779b1) >>> 0;
  h = (h ^ (h >>> 15)) >>> 0;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h = (h ^ (h >>> 13)) >>> 0;
  const lift = (v: number): number => 40 + ((v * 215) >> 8);
  return [lift(h & 255), lift((h >>> 8) & 255), lift((h >>> 16) & 255)];
}

/** `#rrggbb` or `rrggbb` → RGB; null when malformed. */
export function parseHexColor(s: string): Rgb | null {
  const m = /^#?([0-9a-fA-F]{6})$/.exec(s.trim());
  if (!m) return null;
  const v = parseInt(m[1], 16);
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
}

/** RGB → `#rrggbb`. */
export function toHexColor(c: Rgb): string {
  return `#${c.map((v) => Math.round(v).toString(16).padStart(2, '0')).join('')}`;
}
