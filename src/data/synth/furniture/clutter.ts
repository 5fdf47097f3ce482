/**
 * Small objects ("otherprop"): books on shelves, stacks, boxes, cups, bottles, vases, bowls,
 * plants, keyboards, laptops, papers. Each is one instance; a shelf row of books is one instance.
 */
import { L } from '../classes.js';
import { material, pickColor, solidColor, TEXTURE } from '../materials.js';
import type { Rng } from '../../../core/rng.js';
import { ShapeBuilder } from '../shape.js';
import { model, type Model } from './model.js';

const GREEN: [number, number, number][] = [
  [60, 120, 50],
  [40, 90, 40],
  [90, 140, 60],
  [50, 100, 70],
];

/** A row of upright books (with gaps and the odd lying stack) filling width × depth under maxH. */
export function bookRow(rng: Rng, width: number, depth: number, maxH: number): Model | null {
  const g = new ShapeBuilder(L.otherprop);
  const fill = rng.uniform(0.3, 0.95);
  let x = -width / 2 + rng.uniform(0, width * (1 - fill));
  const end = Math.min(width / 2, x + width * fill);
  let hMax = 0;
  let count = 0;
  while (x < end - 0.02) {
    const bh = Math.min(maxH - 0.01, rng.uniform(0.15, 0.32));
    const bd = Math.min(depth - 0.01, rng.uniform(0.12, 0.24));
    if (bh < 0.08 || bd < 0.08) break;
    const m = material(rng, 'paper');
    if (rng.chance(0.08) && end - x > 0.25) {
      const n = rng.between(2, 5);
      const bw = rng.uniform(0.15, 0.22);
      let z = 0;
      for (let i = 0; i < n && z < maxH - 0.06; i++) {
        const t = rng.uniform(0.02, 0.05);
        g.box(x + bw / 2, depth / 2 - bd / 2 - 0.005, z, bw, bd, t, material(rng, 'paper'));
        z += t;
      }
      hMax = Math.max(hMax, z);
      x += bw + 0.01;
    } else {
      const t = rng.uniform(0.015, 0.055);
      if (x + t > end) break;
      g.box(x + t / 2, depth / 2 - bd / 2 - 0.005 * rng.next(), 0, t, bd, bh, m);
      hMax = Math.max(hMax, bh);
      x += t + (rng.chance(0.15) ? rng.uniform(0.005, 0.03) : 0);
    }
    count++;
  }
  if (count === 0) return null;
  return model('books', g, width, depth, hMax);
}

/** Where a small object goes: its mix of kinds. */
export type ClutterPlace = 'table' | 'shelf' | 'kitchen' | 'bath' | 'floor';

const KINDS: Record<ClutterPlace, readonly (readonly [string, number])[]> = {
  table: [
    ['book-stack', 2],
    ['box', 1.2],
    ['cup', 2],
    ['bottle', 1.5],
    ['vase', 1],
    ['bowl', 1],
    ['plant', 1],
    ['papers', 1.5],
    ['laptop', 0.8],
  ],
  shelf: [
    ['book-stack', 2],
    ['box', 1.5],
    ['vase', 1.5],
    ['bowl', 0.5],
    ['plant', 1],
    ['bottle', 0.5],
  ],
  kitchen: [
    ['cup', 2],
    ['bottle', 2.5],
    ['bowl', 2],
    ['box', 1.5],
    ['vase', 0.5],
    ['plant', 0.7],
    ['papers', 0.5],
  ],
  bath: [
    ['bottle', 3],
    ['cup', 1.5],
    ['box', 1],
    ['plant', 0.5],
  ],
  floor: [
    ['box', 3],
    ['plant', 2],
    ['basket', 1.5],
    ['bag', 1.5],
  ],
};

/** A keyboard (for desks in front of monitors). */
export function keyboard(rng: Rng): Model {
  const g = new ShapeBuilder(L.otherprop);
  const w = rng.uniform(0.36, 0.46);
  const d = rng.uniform(0.12, 0.16);
  g.box(0, 0, 0, w, d, 0.025, material(rng, 'plastic'));
  return model('keyboard', g, w, d, 0.025);
}

/** One small object for a support surface or the floor (`where` sets the mix of kinds). */
export function smallObject(rng: Rng, where: ClutterPlace): Model {
  const g = new ShapeBuilder(L.otherprop);
  const big = where === 'floor';
  const kind: string = rng.weighted(KINDS[where]);
  switch (kind) {
    case 'book-stack': {
      const w = rng.uniform(0.14, 0.24);
      const d = rng.uniform(0.1, 0.17);
      let z = 0;
      for (let i = rng.between(1, 5); i > 0; i--) {
        const t = rng.uniform(0.015, 0.05);
        g.box(rng.uniform(-0.01, 0.01), rng.uniform(-0.01, 0.01), z, w, d, t, material(rng, 'paper'), {
          rz: rng.uniform(-0.15, 0.15),
        });
        z += t;
      }
      return model(kind, g, w + 0.06, d + 0.06, z);
    }
    case 'box':
    case 'bag': {
      const s = big ? rng.uniform(0.25, 0.6) : rng.uniform(0.08, 0.25);
      const w = s * rng.uniform(0.7, 1.3);
      const d = s * rng.uniform(0.6, 1);
      const h = s * rng.uniform(0.4, 1.1);
      g.box(
        0,
        0,
        0,
        w,
        d,
        h,
        material(rng, kind === 'bag' ? 'fabric' : rng.chance(0.5) ? 'paper' : 'plastic', TEXTURE.fabric),
      );
      if (kind === 'bag') g.box(0, 0, h, w * 0.5, 0.02, 0.12, material(rng, 'fabric'));
      return model(kind, g, w, d, h);
    }
    case 'cup': {
      const r = rng.uniform(0.03, 0.05);
      const h = rng.uniform(0.07, 0.12);
      g.vessel(
        { cx: 0, cy: 0, z0: 0, z1: h, r0: r * rng.uniform(0.8, 1), r1: r },
        0.004,
        material(rng, rng.chance(0.5) ? 'ceramic' : 'plastic'),
      );
      return model(kind, g, 2 * r, 2 * r, h);
    }
    case 'bottle': {
      const r = rng.uniform(0.025, 0.045);
      const h = rng.uniform(0.18, 0.32);
      const m = solidColor(pickColor(rng, rng.chance(0.5) ? 'plastic' : 'paper'));
      g.cyl(0, 0, 0, h * 0.65, r, r, m);
      g.cyl(0, 0, h * 0.65, h * 0.85, r, r * 0.4, m);
      g.cyl(0, 0, h * 0.85, h, r * 0.4, r * 0.4, material(rng, 'plastic'));
      return model(kind, g, 2 * r, 2 * r, h);
    }
    case 'vase':
    case 'bowl':
    case 'basket': {
      const big = kind === 'basket';
      const r = big
        ? rng.uniform(0.15, 0.25)
        : kind === 'bowl'
          ? rng.uniform(0.08, 0.16)
          : rng.uniform(0.05, 0.09);
      const h = big
        ? rng.uniform(0.2, 0.4)
        : kind === 'bowl'
          ? rng.uniform(0.05, 0.09)
          : rng.uniform(0.15, 0.35);
      const r0 = kind === 'bowl' ? r * 0.5 : r * rng.uniform(0.7, 1.1);
      g.vessel(
        { cx: 0, cy: 0, z0: 0, z1: h, r0, r1: r },
        0.006,
        material(rng, big ? 'wood' : 'ceramic', big ? TEXTURE.fabric : TEXTURE.plain),
      );
      return model(kind, g, 2 * Math.max(r, r0), 2 * Math.max(r, r0), h);
    }
    case 'plant': {
      const r = big ? rng.uniform(0.12, 0.22) : rng.uniform(0.05, 0.09);
      const ph = big ? rng.uniform(0.25, 0.45) : rng.uniform(0.08, 0.14);
      g.vessel(
        { cx: 0, cy: 0, z0: 0, z1: ph, r0: r * 0.75, r1: r },
        0.01,
        material(rng, rng.chance(0.5) ? 'ceramic' : 'paper'),
      );
      g.disk(0, 0, ph - 0.02, 0, r - 0.01, true, solidColor([70, 50, 35], TEXTURE.fabric));
      const fh = big ? rng.uniform(0.4, 1.2) : rng.uniform(0.1, 0.3);
      const n = rng.between(6, 14);
      const leaf = solidColor(rng.pick(GREEN), TEXTURE.fabric);
      const spread = r * (big ? 1.6 : 1.5);
      for (let i = 0; i < n; i++) {
        const z = ph + fh * rng.uniform(0.05, 0.85);
        const rad = spread * rng.uniform(0.1, 0.6);
        const phi = rng.uniform(0, 2 * Math.PI);
        const s = (big ? 0.2 : 0.07) * rng.uniform(0.6, 1.2);
        g.box(rad * Math.cos(phi), rad * Math.sin(phi), z, s, s * 0.35, s * 0.5, leaf, { rz: phi });
      }
      g.cyl(0, 0, ph - 0.02, ph + fh * 0.5, 0.008, 0.006, leaf);
      const ext = 2 * Math.max(r, 0.6 * spread + (big ? 0.15 : 0.06));
      return model(kind, g, ext, ext, ph + fh);
    }
    case 'papers': {
      const t = rng.uniform(0.003, 0.03);
      g.box(0, 0, 0, 0.21, 0.297, t, solidColor(pickColor(rng, 'paper', 0.03)), {
        rz: rng.uniform(-0.3, 0.3),
      });
      return model(kind, g, 0.37, 0.37, t);
    }
    case 'laptop': {
      const m = material(rng, 'metal');
      const w = rng.uniform(0.3, 0.38);
      const d = w * 0.68;
      g.box(0, 0, 0, w, d, 0.018, m);
      g.box(0, d / 2 - 0.005, 0.018, w, 0.008, d * 0.95, m);
      return model(kind, g, w, d, 0.018 + d * 0.95);
    }
    default:
      return keyboard(rng);
  }
}
