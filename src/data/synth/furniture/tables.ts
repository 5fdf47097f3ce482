/**
 * Tables and desks: rectangular and round dining tables, coffee and side tables (all "table"),
 * and desks with legs, side panels or a drawer pedestal. Tops register supports for clutter.
 */
import { L } from '../classes.js';
import { material, TEXTURE } from '../materials.js';
import type { Rng } from '../../../core/rng.js';
import { ShapeBuilder } from '../shape.js';
import { model, type Model } from './model.js';
import { fronts, legs } from './parts.js';

/** A table model plus whether it is round (chairs are arranged differently). */
export interface TableModel extends Model {
  round: boolean;
}

function topMaterial(rng: Rng) {
  return rng.weighted([
    [material(rng, 'wood', TEXTURE.wood), 3],
    [material(rng, 'painted'), 1.5],
    [material(rng, 'metal'), 0.3],
  ] as const);
}

/** A dining table: rectangular on four legs or trestles, or round on a pedestal or legs. */
export function diningTable(rng: Rng, maxW = 2.0): TableModel {
  const g = new ShapeBuilder(L.table);
  const top = topMaterial(rng);
  const legMat = rng.chance(0.6) ? top : material(rng, rng.chance(0.5) ? 'metal' : 'wood', TEXTURE.wood);
  const h = rng.uniform(0.72, 0.78);
  const tt = rng.uniform(0.025, 0.05);
  if (rng.chance(0.3)) {
    const r = rng.uniform(0.42, 0.65);
    g.cyl(0, 0, h - tt, h, r, r, top);
    if (rng.chance(0.6)) {
      g.cyl(0, 0, 0, 0.03, rng.uniform(0.2, 0.3), rng.uniform(0.18, 0.28), legMat);
      g.cyl(0, 0, 0.03, h - tt, rng.uniform(0.04, 0.08), rng.uniform(0.04, 0.08), legMat);
    } else {
      const lr = r * 0.62;
      legs(
        g,
        lr * Math.SQRT1_2,
        lr * Math.SQRT1_2,
        0,
        h - tt,
        rng.uniform(0.035, 0.06),
        rng.chance(0.5),
        legMat,
      );
    }
    g.support(-r * 0.68, -r * 0.68, r * 0.68, r * 0.68, h);
    return { ...model('round-table', g, 2 * r, 2 * r, h), round: true };
  }
  const w = rng.uniform(1.0, Math.max(1.05, maxW));
  const d = rng.uniform(0.7, Math.min(1.0, w));
  g.box(0, 0, h - tt, w, d, tt, top);
  if (rng.chance(0.18)) {
    const pt = rng.uniform(0.04, 0.07);
    for (const sx of [-1, 1]) {
      g.box(sx * (w / 2 - 0.15), 0, 0, pt, d - 0.2, h - tt, legMat);
    }
    g.box(0, 0, 0.15, w - 0.3 - pt, 0.05, 0.06, legMat);
  } else {
    const lt = rng.uniform(0.04, 0.08);
    const inset = rng.uniform(0.02, 0.1);
    const lx = w / 2 - inset - lt / 2;
    const ly = d / 2 - inset - lt / 2;
    legs(g, lx, ly, 0, h - tt, lt, rng.chance(0.35), legMat);
    if (rng.chance(0.6)) {
      const ah = rng.uniform(0.05, 0.1);
      for (const sy of [-1, 1]) g.box(0, sy * ly, h - tt - ah, 2 * lx - lt, 0.02, ah, legMat);
      for (const sx of [-1, 1]) g.box(sx * lx, 0, h - tt - ah, 0.02, 2 * ly - lt, ah, legMat);
    }
  }
  g.support(-w / 2 + 0.05, -d / 2 + 0.05, w / 2 - 0.05, d / 2 - 0.05, h);
  return { ...model('dining-table', g, w, d, h), round: false };
}

/** A low coffee table (legs or solid ends, optional lower shelf). */
export function coffeeTable(rng: Rng): Model {
  const g = new ShapeBuilder(L.table);
  const top = topMaterial(rng);
  const w = rng.uniform(0.8, 1.3);
  const d = rng.uniform(0.45, 0.7);
  const h = rng.uniform(0.35, 0.5);
  const tt = rng.uniform(0.02, 0.05);
  g.box(0, 0, h - tt, w, d, tt, top);
  if (rng.chance(0.35)) {
    for (const sx of [-1, 1]) g.box(sx * (w / 2 - 0.02), 0, 0, 0.04, d, h - tt, top);
    if (rng.chance(0.5)) g.box(0, 0, 0.06, w - 0.08, d - 0.04, 0.02, top);
  } else {
    const lt = rng.uniform(0.035, 0.06);
    legs(g, w / 2 - lt / 2 - 0.02, d / 2 - lt / 2 - 0.02, 0, h - tt, lt, rng.chance(0.4), top);
    if (rng.chance(0.4)) g.box(0, 0, rng.uniform(0.06, 0.14), w - 0.04 - 2 * lt, d - 0.04, 0.02, top);
  }
  g.support(-w / 2 + 0.04, -d / 2 + 0.04, w / 2 - 0.04, d / 2 - 0.04, h);
  return model('coffee-table', g, w, d, h);
}

/** A small square or round side table. */
export function sideTable(rng: Rng): Model {
  const g = new ShapeBuilder(L.table);
  const top = topMaterial(rng);
  const h = rng.uniform(0.45, 0.65);
  const s = rng.uniform(0.38, 0.58);
  if (rng.chance(0.4)) {
    g.cyl(0, 0, h - 0.03, h, s / 2, s / 2, top);
    g.cyl(0, 0, 0.02, h - 0.03, 0.025, 0.025, top);
    g.cyl(0, 0, 0, 0.02, s * 0.35, s * 0.35, top);
    g.support(-s * 0.33, -s * 0.33, s * 0.33, s * 0.33, h);
  } else {
    g.box(0, 0, h - 0.03, s, s, 0.03, top);
    legs(g, s / 2 - 0.04, s / 2 - 0.04, 0, h - 0.03, 0.035, rng.chance(0.5), top);
    g.support(-s / 2 + 0.03, -s / 2 + 0.03, s / 2 - 0.03, s / 2 - 0.03, h);
  }
  return model('side-table', g, s, s, h);
}

/** A desk: top on legs, on side panels with a modesty panel, or on a drawer pedestal. */
export function desk(rng: Rng, maxW = 1.8): Model {
  const g = new ShapeBuilder(L.desk);
  const top = topMaterial(rng);
  const frame = rng.chance(0.5) ? top : material(rng, rng.chance(0.5) ? 'metal' : 'painted');
  const handle = material(rng, 'metal');
  const w = rng.uniform(1.0, Math.max(1.05, maxW));
  const d = rng.uniform(0.55, 0.8);
  const h = rng.uniform(0.72, 0.77);
  const tt = rng.uniform(0.02, 0.04);
  const under = h - tt;
  g.box(0, 0, under, w, d, tt, top);
  const style = rng.pick(['legs', 'panels', 'pedestal'] as const);
  if (style === 'legs') {
    const lt = rng.uniform(0.035, 0.06);
    legs(g, w / 2 - lt / 2 - 0.02, d / 2 - lt / 2 - 0.02, 0, under, lt, rng.chance(0.4), frame);
  } else {
    const pt = rng.uniform(0.02, 0.04);
    const sideX = w / 2 - pt / 2;
    g.box(-sideX, 0, 0, pt, d, under, frame);
    let pw = pt;
    if (style === 'panels') {
      g.box(sideX, 0, 0, pt, d, under, frame);
    } else {
      pw = rng.uniform(0.38, 0.45);
      const px = w / 2 - pw / 2;
      const bodyD = d - 0.04;
      g.box(px, 0.02, 0, pw, bodyD, under, frame);
      fronts(
        g,
        rng,
        px - pw / 2,
        px + pw / 2,
        0.02,
        under - 0.01,
        0.02 - bodyD / 2,
        rng.between(2, 4),
        1,
        'drawer',
        frame,
        handle,
      );
    }
    if (rng.chance(0.7)) g.box((pt - pw) / 2, d / 2 - 0.05, under - 0.35, w - pw - pt, 0.02, 0.35, frame);
  }
  g.support(-w / 2 + 0.04, -d / 2 + 0.04, w / 2 - 0.04, d / 2 - 0.04, h);
  return model(`desk-${style}`, g, w, d, h);
}
