/**
 * Storage furniture: cabinets of many kinds (wardrobe, dresser, sideboard, filing, kitchen base
 * and wall units), nightstands, bookshelves (with their shelf levels) and refrigerators.
 */
import { L } from '../classes.js';
import { material, TEXTURE } from '../materials.js';
import type { Rng } from '../../../core/rng.js';
import { ShapeBuilder, type Material } from '../shape.js';
import { model, type Model } from './model.js';
import { FRONT_T, fronts } from './parts.js';

/** Cabinet families with their own size ranges and fronts. */
export type CabinetKind = 'wardrobe' | 'dresser' | 'sideboard' | 'file' | 'base' | 'wall' | 'tall' | 'vanity';

interface CabinetSize {
  w: [number, number];
  d: [number, number];
  h: [number, number];
}

const SIZES: Record<CabinetKind, CabinetSize> = {
  wardrobe: { w: [0.8, 2.0], d: [0.55, 0.65], h: [1.8, 2.2] },
  dresser: { w: [0.7, 1.4], d: [0.4, 0.55], h: [0.7, 1.1] },
  sideboard: { w: [1.0, 2.0], d: [0.38, 0.5], h: [0.45, 0.85] },
  file: { w: [0.4, 0.5], d: [0.5, 0.62], h: [0.65, 1.35] },
  base: { w: [0.4, 0.9], d: [0.56, 0.6], h: [0.82, 0.88] },
  wall: { w: [0.4, 0.9], d: [0.3, 0.38], h: [0.55, 0.8] },
  tall: { w: [0.4, 0.9], d: [0.35, 0.6], h: [1.3, 2.0] },
  vanity: { w: [0.5, 1.2], d: [0.45, 0.55], h: [0.78, 0.84] },
};

function frontMaterial(rng: Rng): Material {
  return rng.weighted([
    [material(rng, 'wood', TEXTURE.wood), 2],
    [material(rng, 'painted'), 2],
    [material(rng, 'metal'), 0.4],
  ] as const);
}

/** Size override for a cabinet (any field left out is drawn from the kind's range). */
export interface CabinetOptions {
  w?: number;
  d?: number;
  h?: number;
  /** Body and front material (kitchens keep one across units). */
  body?: Material;
  /** A hole w × d, `depth` deep, centred in the body's top (a basin sits in it). */
  cutout?: { w: number; d: number; depth: number };
}

/** A cabinet: body on a plinth or legs, door or drawer fronts with handles; low ones get a top support. */
export function cabinet(rng: Rng, kind: CabinetKind, o: CabinetOptions = {}): Model {
  const g = new ShapeBuilder(L.cabinet);
  const size = SIZES[kind];
  const w = o.w ?? rng.uniform(...size.w);
  const d = o.d ?? rng.uniform(...size.d);
  const h = o.h ?? rng.uniform(...size.h);
  const body = o.body ?? frontMaterial(rng);
  const front = o.body ?? (rng.chance(0.7) ? body : frontMaterial(rng));
  const handle = material(rng, 'metal');
  const bodyD = d - FRONT_T - 0.025;
  const by = d / 2 - bodyD / 2;
  const yFront = d / 2 - bodyD;
  let z0 = 0;
  if ((kind === 'dresser' || kind === 'sideboard') && rng.chance(0.45)) {
    z0 = rng.uniform(0.1, 0.22);
    for (const sx of [-1, 1]) {
      for (const sy of [-1, 1])
        g.box(sx * (w / 2 - 0.04), by + sy * (bodyD / 2 - 0.04), 0, 0.035, 0.035, z0, body);
    }
  } else if (kind !== 'wall' && rng.chance(0.8)) {
    z0 = rng.uniform(0.05, 0.11);
    g.box(0, by + 0.02, 0, w - 0.02, bodyD - 0.04, z0, material(rng, 'painted'));
  }
  const cut = o.cutout;
  if (cut) {
    // Lower body up to the basin's bottom, then a ring of four boxes around the basin.
    const zc = h - cut.depth;
    g.box(0, by, z0, w, bodyD, zc - z0, body);
    const sx = (w - cut.w) / 2;
    const sy = (bodyD - cut.d) / 2;
    for (const k of [-1, 1]) {
      g.box((k * (w - sx)) / 2, by, zc, sx, bodyD, cut.depth, body);
      g.box(0, by + (k * (bodyD - sy)) / 2, zc, cut.w, sy, cut.depth, body);
    }
  } else {
    g.box(0, by, z0, w, bodyD, h - z0, body);
  }
  const fz0 = z0 + 0.004;
  const fz1 = h - 0.004;
  const fh = fz1 - fz0;
  // fronts over the full width from za to zb (the arguments drawn in the order they always were)
  const cover = (za: number, zb: number, rows: number, cols: number, type: 'drawer' | 'door'): void =>
    fronts(g, rng, -w / 2, w / 2, za, zb, yFront, rows, cols, type, front, handle);
  switch (kind) {
    case 'dresser':
      cover(fz0, fz1, Math.max(2, Math.round(fh / 0.2)), w > 1 && rng.chance(0.5) ? 2 : 1, 'drawer');
      break;
    case 'file':
      cover(fz0, fz1, Math.max(2, Math.round(fh / 0.3)), 1, 'drawer');
      break;
    case 'base':
    case 'vanity':
      if (rng.chance(0.35) && kind === 'base') {
        cover(fz0, fz1, rng.between(2, 4), 1, 'drawer');
      } else {
        const dz = fz1 - 0.16;
        if (rng.chance(0.5)) cover(dz, fz1, 1, 1, 'drawer');
        cover(fz0, rng.chance(0.5) ? dz : fz1, 1, w > 0.6 ? 2 : 1, 'door');
      }
      break;
    case 'sideboard':
      cover(fz0, fz1, 1, Math.max(2, Math.round(w / 0.5)), rng.chance(0.7) ? 'door' : 'drawer');
      break;
    default:
      cover(fz0, fz1, 1, Math.max(1, Math.round(w / 0.5)), 'door');
  }
  if (h < 1.3 && kind !== 'wall') g.support(-w / 2 + 0.03, yFront + 0.03, w / 2 - 0.03, d / 2 - 0.03, h);
  return model(`${kind}-cabinet`, g, w, d, h);
}

/** A bedside table with one to three drawers, on legs or a plinth. */
export function nightstand(rng: Rng): Model {
  const g = new ShapeBuilder(L.nightstand);
  const w = rng.uniform(0.4, 0.6);
  const d = rng.uniform(0.35, 0.5);
  const h = rng.uniform(0.45, 0.68);
  const body = frontMaterial(rng);
  const handle = material(rng, 'metal');
  const bodyD = d - FRONT_T - 0.025;
  const by = d / 2 - bodyD / 2;
  const yFront = d / 2 - bodyD;
  let z0 = 0;
  if (rng.chance(0.5)) {
    z0 = rng.uniform(0.08, 0.2);
    for (const sx of [-1, 1])
      for (const sy of [-1, 1])
        g.box(sx * (w / 2 - 0.03), by + sy * (bodyD / 2 - 0.03), 0, 0.03, 0.03, z0, body);
  }
  g.box(0, by, z0, w, bodyD, h - z0, body);
  const rows = rng.between(1, 3);
  const openNiche = rows === 1 && rng.chance(0.5);
  const fz0 = openNiche ? h - 0.18 : z0 + 0.004;
  fronts(g, rng, -w / 2, w / 2, fz0, h - 0.004, yFront, rows, 1, 'drawer', body, handle);
  g.support(-w / 2 + 0.03, yFront + 0.03, w / 2 - 0.03, d / 2 - 0.03, h);
  return model('nightstand', g, w, d, h);
}

/** A shelf level of a bookshelf: inner rectangle (local frame) and clear height. */
export interface Shelf {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
  z: number;
  clear: number;
}

/** A bookshelf model with its shelf levels (for filling with books). */
export interface BookshelfModel extends Model {
  shelves: Shelf[];
}

/** An open bookshelf: sides, top, kick, back panel and 2–6 shelves. */
export function bookshelf(rng: Rng, maxH = 2.2): BookshelfModel {
  const g = new ShapeBuilder(L.bookshelf);
  const w = rng.uniform(0.6, 1.2);
  const d = rng.uniform(0.25, 0.4);
  const h = rng.uniform(0.8, Math.max(0.85, maxH));
  const m = frontMaterial(rng);
  const t = rng.uniform(0.016, 0.03);
  const kick = rng.uniform(0.04, 0.1);
  const bt = 0.008;
  g.box(-w / 2 + t / 2, 0, 0, t, d, h, m);
  g.box(w / 2 - t / 2, 0, 0, t, d, h, m);
  g.box(0, 0, h - t, w - 2 * t, d, t, m);
  g.box(0, -t / 2, 0, w - 2 * t, d - t, kick, m);
  g.box(0, d / 2 - bt / 2, kick, w - 2 * t, bt, h - t - kick, m);
  const n = Math.max(1, Math.round((h - kick) / rng.uniform(0.28, 0.4)));
  const step = (h - t - kick) / n;
  const shelves: Shelf[] = [];
  for (let i = 0; i < n; i++) {
    const z = kick + i * step;
    if (i > 0) g.box(0, -bt / 2, z - t, w - 2 * t, d - bt, t, m);
    shelves.push({
      x0: -w / 2 + t,
      x1: w / 2 - t,
      y0: -d / 2,
      y1: d / 2 - bt,
      z,
      clear: step - (i + 1 < n ? t : 0),
    });
  }
  return { ...model('bookshelf', g, w, d, h), shelves };
}

/** A refrigerator: body, one or two doors (top/bottom freezer or side by side), long handles. */
export function refrigerator(rng: Rng): Model {
  const g = new ShapeBuilder(L.refrigerator);
  const w = rng.uniform(0.6, 0.92);
  const d = rng.uniform(0.6, 0.75);
  const h = rng.uniform(1.45, 1.95);
  const m = rng.chance(0.6) ? material(rng, 'ceramic') : material(rng, 'metal');
  const handle = material(rng, 'metal');
  const dt = rng.uniform(0.03, 0.06);
  const bodyD = d - dt - 0.04;
  const by = d / 2 - bodyD / 2;
  const yFront = d / 2 - bodyD;
  const z0 = 0.02;
  g.box(0, by, 0, w - 0.02, bodyD, z0, material(rng, 'metal'));
  g.box(0, by, z0, w, bodyD, h - z0, m);
  const layout = w > 0.85 && rng.chance(0.5) ? 'side' : rng.pick(['top', 'bottom', 'single'] as const);
  const door = (x0: number, x1: number, z0d: number, z1d: number, hx: number) => {
    g.box((x0 + x1) / 2, yFront - dt / 2, z0d + 0.003, x1 - x0 - 0.006, dt, z1d - z0d - 0.006, m);
    const hh = Math.min(0.6, (z1d - z0d) * 0.5);
    g.box(hx, yFront - dt - 0.02, (z0d + z1d) / 2 - hh / 2, 0.025, 0.04, hh, handle);
  };
  const right = w / 2 - 0.05;
  if (layout === 'side') {
    door(-w / 2, 0, z0, h, -0.05);
    door(0, w / 2, z0, h, 0.05);
  } else if (layout === 'single') {
    door(-w / 2, w / 2, z0, h, right);
  } else {
    const split = layout === 'top' ? h - rng.uniform(0.35, 0.5) : z0 + rng.uniform(0.45, 0.65);
    door(-w / 2, w / 2, z0, split, right);
    door(-w / 2, w / 2, split, h, right);
  }
  return model('refrigerator', g, w, d, h);
}
