/**
 * Lamps, monitors and TVs, pictures, curtains, and "other furniture" (bins, coat racks,
 * radiators): the smaller things that make a room look lived in.
 */
import { L } from '../classes.js';
import { material, pickColor, solidColor, TEXTURE } from '../materials.js';
import type { Rng } from '../../../core/rng.js';
import { ShapeBuilder, aabbBlock } from '../shape.js';
import { model, type Model } from './model.js';

/** A floor lamp (base, pole, open shade) or, with `table`, a table lamp. */
export function lamp(rng: Rng, table = false): Model {
  const g = new ShapeBuilder(L.lamp);
  const metal = material(rng, 'metal');
  const shade = material(rng, rng.chance(0.5) ? 'ceramic' : 'fabric', TEXTURE.fabric);
  const h = table ? rng.uniform(0.35, 0.62) : rng.uniform(1.35, 1.8);
  const sh = table ? rng.uniform(0.15, 0.25) : rng.uniform(0.2, 0.35);
  const rb = table ? rng.uniform(0.09, 0.16) : rng.uniform(0.18, 0.26);
  const rt = rb * rng.uniform(0.55, 0.95);
  const base = table ? rng.uniform(0.06, 0.13) : rng.uniform(0.14, 0.2);
  if (table && rng.chance(0.5)) {
    const bodyH = rng.uniform(0.12, h - sh - 0.04);
    g.cyl(
      0,
      0,
      0,
      bodyH,
      base * 0.8,
      base,
      rng.chance(0.5) ? material(rng, 'ceramic') : material(rng, 'plastic'),
    );
    g.cyl(0, 0, bodyH, h - sh * 0.5, 0.008, 0.008, metal);
  } else {
    g.cyl(0, 0, 0, 0.025, base, base * 0.95, metal);
    g.cyl(0, 0, 0.025, h - sh * 0.5, table ? 0.008 : 0.012, table ? 0.008 : 0.012, metal);
  }
  g.vessel({ cx: 0, cy: 0, z0: h - sh, z1: h, r0: rb, r1: rt }, 0.003, shade, false);
  g.hull({ kind: 'cylinder', cx: 0, cy: 0, z0: h - sh, z1: h, hx: 0, hy: 0, angle: 0, r0: rb, r1: rt });
  const r = Math.max(rb, base);
  return model(table ? 'table-lamp' : 'floor-lamp', g, 2 * r, 2 * r, h);
}

/** A computer monitor on a stand or, with `tv`, a television on feet (at most maxW wide). */
export function monitor(rng: Rng, tv = false, maxW = Infinity): Model {
  const g = new ShapeBuilder(L.monitor);
  const frame = material(rng, 'metal');
  const screen = solidColor(pickColor(rng, 'painted', 0.05).map((c) => c * 0.12) as [number, number, number]);
  const w = Math.min(maxW, tv ? rng.uniform(0.8, 1.45) : rng.uniform(0.45, 0.72));
  const sh = w * rng.uniform(0.56, 0.62);
  const t = tv ? rng.uniform(0.03, 0.07) : rng.uniform(0.015, 0.05);
  const lift = tv ? rng.uniform(0.04, 0.1) : rng.uniform(0.06, 0.16);
  const bd = tv ? rng.uniform(0.18, 0.28) : rng.uniform(0.15, 0.22);
  const sy = bd / 2 - 0.04;
  if (tv && rng.chance(0.5)) {
    for (const sx of [-1, 1]) g.box(sx * w * 0.38, 0, 0, 0.06, bd, 0.015, frame);
    for (const sx of [-1, 1]) g.box(sx * w * 0.38, sy - t / 2 - 0.01, 0.015, 0.04, 0.02, lift + 0.05, frame);
  } else {
    g.box(0, 0, 0, tv ? 0.3 : rng.uniform(0.18, 0.26), bd, 0.015, frame);
    g.box(0, sy, 0.015, 0.05, 0.03, lift + sh * 0.4, frame);
  }
  const y = sy - 0.015 - t / 2;
  g.box(0, y, 0.015 + lift, w, t, sh, frame);
  g.box(0, y - t / 2 - 0.001, 0.015 + lift + 0.012, w - 0.024, 0.002, sh - 0.024, screen);
  return model(tv ? 'tv' : 'monitor', g, w, bd, 0.015 + lift + sh);
}

/** A framed picture hung on the wall (its back at y = depth/2). */
export function picture(rng: Rng, maxW = 1.2): Model {
  const g = new ShapeBuilder(L.picture);
  const w = rng.uniform(0.25, Math.max(0.3, maxW));
  const h = Math.min(1.0, w * rng.uniform(0.6, 1.4));
  const d = rng.uniform(0.015, 0.04);
  const frame = material(rng, rng.chance(0.5) ? 'wood' : 'painted', TEXTURE.wood);
  const fw = rng.uniform(0.015, 0.06);
  const D = d + 0.004;
  g.box(0, D / 2 - d / 2, 0, w, d, h, frame);
  const canvas = material(rng, 'paper', TEXTURE.painting, {
    color2: pickColor(rng, 'paper'),
    scale: rng.uniform(3, 14),
  });
  g.box(0, -D / 2 + 0.002, fw, w - 2 * fw, 0.004, h - 2 * fw, canvas);
  return model('picture', g, w, D, h);
}

/**
 * Curtains for a window of width `ww` whose frame/sill reach `depth` into the room: a rod with
 * brackets and two pleated panels, `closed` ∈ [0, 1] of the way across, to the floor or the sill.
 * Unlike other models the origin is on the wall (at the window's centre, floor level) and the
 * curtains occupy −depth..0 in y; the panels hang from `top` to `bottom`. `shape` sets the fold
 * depth and the closed fraction instead of drawing them.
 */
export function curtains(
  rng: Rng,
  ww: number,
  depth: number,
  top: number,
  bottom: number,
  shape: { amp?: number; closed?: number } = {},
): Model {
  const g = new ShapeBuilder(L.curtain);
  const cloth = material(rng, 'fabric', TEXTURE.fabric);
  const rodMat = material(rng, 'metal');
  const ext = rng.uniform(0.12, 0.3);
  const off = depth + rng.uniform(0.04, 0.09);
  const amp = shape.amp ?? rng.uniform(0.03, 0.07);
  const closed = shape.closed ?? rng.uniform(0.12, 1);
  const half = ww / 2 + ext;
  g.box(0, -off - amp / 2, top + 0.01, 2 * half + 0.06, 0.025, 0.025, rodMat);
  for (const sx of [-1, 1])
    g.box(sx * (half + 0.015), -(off + amp / 2) / 2, top + 0.01, 0.02, off + amp / 2, 0.025, rodMat);
  const pw = ext + (closed * ww) / 2;
  const fold = rng.uniform(0.07, 0.14);
  const n = Math.max(2, Math.round(pw / fold));
  const hgt = top - bottom;
  for (const sx of [-1, 1]) {
    const x0 = sx < 0 ? -half : half - pw;
    // The solid behind a panel hides the wall and window it covers.
    const occ = g.occluder(aabbBlock(x0, -off, bottom, x0 + pw, 0, top));
    g.hull(aabbBlock(x0, -off - amp, bottom, x0 + pw, -off, top));
    for (let i = 0; i < 2 * n; i++) {
      const xa = x0 + (pw * i) / (2 * n);
      const xb = x0 + (pw * (i + 1)) / (2 * n);
      const ya = -off - (i % 2 === 1 ? amp : 0);
      const yb = -off - (i % 2 === 0 ? amp : 0);
      g.quad([xa, ya, bottom], [xb - xa, yb - ya, 0], [0, 0, hgt], cloth, occ);
    }
  }
  return model('curtains', g, 2 * half + 0.06, off + amp, top + 0.035);
}

/** A waste bin: round or square, open at the top. */
export function trashBin(rng: Rng): Model {
  const g = new ShapeBuilder(L.otherfurniture);
  const m = rng.chance(0.5) ? material(rng, 'plastic') : material(rng, 'metal');
  const h = rng.uniform(0.28, 0.65);
  if (rng.chance(0.6)) {
    const r = rng.uniform(0.11, 0.2);
    g.vessel({ cx: 0, cy: 0, z0: 0, z1: h, r0: r * rng.uniform(0.8, 1), r1: r }, 0.006, m);
    return model('round-bin', g, 2 * r, 2 * r, h);
  }
  const w = rng.uniform(0.22, 0.4);
  const d = rng.uniform(0.2, 0.35);
  const t = 0.01;
  g.box(0, 0, 0, w, d, t, m);
  for (const sx of [-1, 1]) g.box((sx * (w - t)) / 2, 0, t, t, d, h - t, m);
  for (const sy of [-1, 1]) g.box(0, (sy * (d - t)) / 2, t, w - 2 * t, t, h - t, m);
  return model('square-bin', g, w, d, h);
}

/** A coat stand: weighted base, pole and radial hooks near the top. */
export function coatRack(rng: Rng): Model {
  const g = new ShapeBuilder(L.otherfurniture);
  const m = material(rng, rng.chance(0.5) ? 'wood' : 'metal', TEXTURE.wood);
  const h = rng.uniform(1.6, 1.9);
  const rb = rng.uniform(0.16, 0.25);
  g.cyl(0, 0, 0, 0.04, rb, rb * 0.9, m);
  g.cyl(0, 0, 0.04, h, 0.02, 0.018, m);
  const n = rng.between(3, 6);
  const phi0 = rng.uniform(0, Math.PI);
  for (let k = 0; k < n; k++) {
    const phi = phi0 + (k * 2 * Math.PI) / n;
    g.box(Math.cos(phi) * 0.09, Math.sin(phi) * 0.09, h - 0.18, 0.14, 0.02, 0.02, m, { rz: phi });
  }
  return model('coat-rack', g, 2 * rb, 2 * rb, h);
}

/** A wall radiator of vertical fins on a gap above the floor (its back at y = depth/2). */
export function radiator(rng: Rng, maxH: number): Model {
  const g = new ShapeBuilder(L.otherfurniture);
  const m = material(rng, 'painted');
  const w = rng.uniform(0.5, 1.4);
  const z0 = rng.uniform(0.1, 0.18);
  const h = Math.max(0.3, Math.min(maxH - z0, rng.uniform(0.4, 0.7)));
  const d = rng.uniform(0.06, 0.11);
  const gap = 0.04;
  const n = Math.max(4, Math.round(w / 0.06));
  const fw = w / n;
  g.box(0, d / 2 - gap / 2, z0 + h * 0.3, 0.05, gap, 0.05, m);
  for (let i = 0; i < n; i++) g.box(-w / 2 + fw * (i + 0.5), -gap / 2, z0, fw * 0.55, d - gap, h, m);
  g.box(0, -gap / 2, z0 + h - 0.03, w, d - gap, 0.03, m);
  return model('radiator', g, w, d, z0 + h);
}

/** A wall-mounted shelf board on two brackets (its back at y = depth/2), with a support on top. */
export function wallShelf(rng: Rng): Model {
  const g = new ShapeBuilder(L.otherfurniture);
  const m = rng.chance(0.5) ? material(rng, 'wood', TEXTURE.wood) : material(rng, 'painted');
  const w = rng.uniform(0.4, 0.9);
  const d = rng.uniform(0.12, 0.22);
  const t = rng.uniform(0.018, 0.03);
  const bh = rng.uniform(0.08, 0.15);
  for (const sx of [-1, 1]) g.box(sx * (w / 2 - 0.08), d / 2 - 0.01, 0, 0.02, 0.02, bh, m);
  for (const sx of [-1, 1]) g.box(sx * (w / 2 - 0.08), 0.01, bh - 0.02, 0.02, d - 0.04, 0.02, m);
  g.box(0, 0, bh, w, d, t, m);
  g.support(-w / 2 + 0.02, -d / 2 + 0.02, w / 2 - 0.02, d / 2 - 0.02, bh + t);
  return model('wall-shelf', g, w, d, bh + t);
}
