/**
 * Bathroom fixtures: toilets (tank, bowl, seat, lid), pedestal or wall-hung sinks and basins set
 * into counters, and bathtubs (hollow tubs of boxes with a tap).
 */
import { L } from '../classes.js';
import { material, solidColor } from '../materials.js';
import type { Rng } from '../../../core/rng.js';
import { ShapeBuilder, type Material } from '../shape.js';
import { model, type Model } from './model.js';

/** A toilet against the wall: tank (with lid) behind a round bowl on a pedestal, seat ring, lid up or down. */
export function toilet(rng: Rng): Model {
  const g = new ShapeBuilder(L.toilet);
  const m = material(rng, 'ceramic');
  const tw = rng.uniform(0.34, 0.48);
  const td = rng.uniform(0.14, 0.22);
  const tz0 = rng.uniform(0.38, 0.45);
  const th = rng.uniform(0.3, 0.42);
  const r = rng.uniform(0.17, 0.21);
  const d = td + 2 * r + rng.uniform(0.04, 0.1);
  const ty = d / 2 - td / 2;
  const by = d / 2 - td - r - 0.02;
  const hasTank = rng.chance(0.8);
  if (hasTank) {
    g.box(0, ty, tz0, tw, td, th, m);
    g.box(0, ty - 0.005, tz0 + th, tw + 0.01, td + 0.01, 0.025, m);
    g.box(0, ty, 0, 0.14, td * 0.8, tz0, m);
  } else {
    g.box(0, d / 2 - 0.04, 0.05, 0.3, 0.08, 0.34, m);
  }
  const bz = rng.uniform(0.36, 0.41);
  g.cyl(0, by, 0, 0.22, r * 0.65, r * 0.55, m);
  const seatT = 0.025;
  g.vessel({ cx: 0, cy: by, z0: 0.22, z1: bz - seatT, r0: r * 0.8, r1: r }, 0.02, m);
  const seat: Material = rng.chance(0.7) ? m : material(rng, 'plastic');
  g.vessel({ cx: 0, cy: by, z0: bz - seatT, z1: bz, r0: r, r1: r }, r * 0.45, seat, false);
  if (rng.chance(0.5)) {
    g.cyl(0, by, bz, bz + 0.015, r, r, seat);
  } else if (hasTank) {
    g.box(0, ty - td / 2 - 0.012, bz, 2 * r * 0.9, 0.02, Math.min(2 * r, tz0 + th - bz - 0.02), seat);
  }
  g.hull({ kind: 'cylinder', cx: 0, cy: by, z0: bz - seatT, z1: bz, hx: 0, hy: 0, angle: 0, r0: r, r1: r });
  const w = Math.max(tw + 0.01, 2 * r);
  return model('toilet', g, w, d, hasTank ? tz0 + th + 0.025 : bz + 0.02);
}

/** A box's footprint centre (cx, cy), base height z0 and size w × d × h. */
export interface BoxExtent {
  cx: number;
  cy: number;
  z0: number;
  w: number;
  d: number;
  h: number;
}

/** A hollow rectangular basin of outer size w × d × h with wall thickness t, standing at z0. */
export function basin(g: ShapeBuilder, outer: BoxExtent, t: number, m: Material): void {
  const { cx, cy, z0, w, d, h } = outer;
  g.box(cx, cy, z0, w, d, t, m);
  g.box(cx - w / 2 + t / 2, cy, z0 + t, t, d, h - t, m);
  g.box(cx + w / 2 - t / 2, cy, z0 + t, t, d, h - t, m);
  g.box(cx, cy - d / 2 + t / 2, z0 + t, w - 2 * t, t, h - t, m);
  g.box(cx, cy + d / 2 - t / 2, z0 + t, w - 2 * t, t, h - t, m);
}

/** A tap: vertical body with a spout reaching forward, at (x, y) on a surface at height z. */
export function tap(g: ShapeBuilder, x: number, y: number, z: number, reach: number, m: Material): void {
  g.cyl(x, y, z, z + 0.16, 0.018, 0.015, m);
  g.box(x, y - reach / 2, z + 0.12, 0.022, reach, 0.022, m);
}

/** A sink against the wall: basin on a pedestal or hung on the wall, with a tap. */
export function sink(rng: Rng): Model {
  const g = new ShapeBuilder(L.sink);
  const m = material(rng, 'ceramic');
  const chrome = solidColor([196, 198, 204]);
  const w = rng.uniform(0.42, 0.65);
  const d = rng.uniform(0.36, 0.5);
  const bh = rng.uniform(0.14, 0.22);
  const top = rng.uniform(0.8, 0.88);
  const t = rng.uniform(0.025, 0.05);
  basin(g, { cx: 0, cy: 0, z0: top - bh, w, d, h: bh }, t, m);
  if (rng.chance(0.6)) {
    g.cyl(0, 0.02, 0, top - bh, rng.uniform(0.08, 0.11), rng.uniform(0.06, 0.09), m);
  } else {
    g.box(0, d / 2 - 0.04, top - bh - 0.12, 0.06, 0.08, 0.12, chrome);
  }
  g.box(0, d / 2 - 0.04, top, 0.18, 0.08, 0.02, m);
  tap(g, 0, d / 2 - 0.04, top + 0.02, 0.1, chrome);
  return model('sink', g, w, d, top + 0.18);
}

/** A built-in bathtub: hollow tub with thick rims and a tap at one end. */
export function bathtub(rng: Rng): Model {
  const g = new ShapeBuilder(L.bathtub);
  const m = material(rng, 'ceramic');
  const w = rng.uniform(1.45, 1.8);
  const d = rng.uniform(0.68, 0.82);
  const h = rng.uniform(0.45, 0.6);
  const t = rng.uniform(0.06, 0.12);
  basin(g, { cx: 0, cy: 0, z0: 0, w, d, h }, t, m);
  tap(g, -w / 2 + t / 2, d / 2 - t / 2, h, 0.15, solidColor([196, 198, 204]));
  return model('bathtub', g, w, d, h + 0.16);
}
