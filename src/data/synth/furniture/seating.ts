/**
 * Things to sit and lie on: dining chairs, office chairs, sofas, beds, each with several styles
 * and sizes built from boxes and cylinders.
 */
import { L } from '../classes.js';
import { material, TEXTURE } from '../materials.js';
import type { Rng } from '../../../core/rng.js';
import { ShapeBuilder, type Material } from '../shape.js';
import { model, type Model } from './model.js';

function leg(
  g: ShapeBuilder,
  round: boolean,
  x: number,
  y: number,
  z0: number,
  z1: number,
  t: number,
  m: Material,
): void {
  if (round) g.cyl(x, y, z0, z1, t / 2, t / 2, m);
  else g.box(x, y, z0, t, t, z1 - z0, m);
}

/** A four-legged chair with a panel, slatted or railed back, optional cushion, arms and stretchers. */
export function diningChair(rng: Rng): Model {
  const g = new ShapeBuilder(L.chair);
  const sw = rng.uniform(0.4, 0.5);
  const sd = rng.uniform(0.4, 0.5);
  const sh = rng.uniform(0.42, 0.48);
  const st = rng.uniform(0.025, 0.05);
  const lt = rng.uniform(0.028, 0.05);
  const li = rng.uniform(0.004, 0.03);
  const round = rng.chance(0.35);
  const frame = rng.weighted([
    [material(rng, 'wood', TEXTURE.wood), 3],
    [material(rng, 'metal'), 1],
    [material(rng, 'painted'), 1.5],
  ] as const);
  const seat = rng.chance(0.5) ? frame : material(rng, 'fabric', TEXTURE.fabric);
  const lx = sw / 2 - li - lt / 2;
  const ly = sd / 2 - li - lt / 2;
  const bh = rng.uniform(0.35, 0.55);
  const bt = rng.uniform(0.02, 0.04);
  const style = rng.pick(['panel', 'slats', 'rails'] as const);
  const posts = style !== 'panel' || rng.chance(0.5);
  for (const sx of [-1, 1]) {
    leg(g, round, sx * lx, -ly, 0, sh - st, lt, frame);
    leg(g, round, sx * lx, ly, 0, posts ? sh + bh : sh - st, lt, frame);
  }
  g.box(0, 0, sh - st, sw, sd, st, seat);
  if (rng.chance(0.3))
    g.box(
      0,
      -0.01,
      sh,
      sw - 0.03,
      sd - 0.06,
      rng.uniform(0.025, 0.05),
      material(rng, 'fabric', TEXTURE.fabric),
    );
  const by = sd / 2 - li - lt / 2;
  const inner = posts ? 2 * lx - lt : sw;
  if (style === 'panel') {
    g.box(0, by, sh + (posts ? 0.08 : 0), inner, bt, bh - (posts ? 0.08 : 0), frame);
  } else {
    const rail = rng.uniform(0.04, 0.08);
    g.box(0, by, sh + bh - rail, inner, Math.min(bt, lt), rail, frame);
    if (style === 'slats') {
      const n = rng.between(2, 5);
      for (let i = 1; i <= n; i++)
        g.box(-inner / 2 + (inner * i) / (n + 1), by, sh, 0.025, Math.min(bt, lt) * 0.8, bh - rail, frame);
    } else {
      const n = rng.between(1, 2);
      for (let i = 1; i <= n; i++)
        g.box(0, by, sh + ((bh - rail) * i) / (n + 1), inner, Math.min(bt, lt) * 0.8, 0.035, frame);
    }
  }
  if (rng.chance(0.4)) {
    const z = rng.uniform(0.1, 0.2);
    for (const sx of [-1, 1]) g.box(sx * lx, 0, z, lt * 0.6, 2 * ly - lt, 0.02, frame);
  }
  let w = sw;
  if (rng.chance(0.2)) {
    const aw = 0.04;
    const ah = rng.uniform(0.18, 0.25);
    for (const sx of [-1, 1]) {
      g.box(sx * (sw / 2 + aw / 2), -ly, sh - st, aw, 0.03, ah + st, frame);
      g.box(sx * (sw / 2 + aw / 2), 0, sh + ah, aw + 0.01, sd, 0.03, frame);
    }
    w = sw + 2 * aw + 0.01;
  }
  return model('dining-chair', g, w, sd, sh + bh);
}

/** A swivel chair: five-star base on casters, gas column, upholstered seat and back, optional arms. */
export function officeChair(rng: Rng): Model {
  const g = new ShapeBuilder(L.chair);
  const rb = rng.uniform(0.27, 0.34);
  const dark = material(rng, 'metal');
  const fabric = material(rng, 'fabric', TEXTURE.fabric);
  const phi0 = rng.uniform(0, Math.PI * 2);
  g.cyl(0, 0, 0.03, 0.11, 0.045, 0.04, dark);
  for (let k = 0; k < 5; k++) {
    const phi = phi0 + (k * 2 * Math.PI) / 5;
    const c = Math.cos(phi);
    const s = Math.sin(phi);
    g.box((c * (rb - 0.02)) / 2, (s * (rb - 0.02)) / 2, 0.05, rb - 0.02, 0.04, 0.03, dark, { rz: phi });
    g.cyl(c * (rb - 0.025), s * (rb - 0.025), 0, 0.05, 0.025, 0.025, dark);
  }
  const sh = rng.uniform(0.44, 0.53);
  const st = rng.uniform(0.06, 0.1);
  const sw = rng.uniform(0.46, 0.54);
  const sd = rng.uniform(0.44, 0.5);
  g.cyl(0, 0, 0.11, sh - st - 0.03, 0.025, 0.025, dark);
  g.box(0, 0, sh - st - 0.03, 0.2, 0.2, 0.03, dark);
  g.box(0, 0, sh - st, sw, sd, st, fabric);
  const bw = rng.uniform(0.4, sw);
  const bt = rng.uniform(0.05, 0.08);
  const b0 = sh + rng.uniform(0.05, 0.12);
  const bh = rng.uniform(0.35, 0.62);
  const by = sd / 2 + 0.02;
  g.box(0, (by + 0.025) / 2, sh - st - 0.03, 0.05, by + 0.025, 0.03, dark);
  g.box(0, by + 0.015, sh - st - 0.03, 0.05, 0.02, b0 - sh + st + 0.13, dark);
  g.box(0, by - bt / 2 + 0.005, b0, bw, bt, bh, fabric);
  let w = Math.max(2 * rb, sw);
  if (rng.chance(0.6)) {
    const ah = rng.uniform(0.18, 0.26);
    for (const sx of [-1, 1]) {
      const x = sx * (sw / 2 + 0.02);
      g.box(x, 0.02, sh - st + 0.02, 0.03, 0.05, ah + st - 0.02, dark);
      g.box(x, 0.0, sh + ah, 0.07, 0.26, 0.025, dark);
    }
    w = Math.max(w, sw + 0.11);
  }
  return model('office-chair', g, w, Math.max(2 * rb, sd + 0.1), b0 + bh);
}

/** A sofa for 2–3 (base, seat and back cushions, arms, optional legs). */
export function sofa(rng: Rng): Model {
  const g = new ShapeBuilder(L.sofa);
  const n = rng.between(2, 3);
  const cw = rng.uniform(0.55, 0.72);
  const aw = rng.uniform(0.1, 0.26);
  const w = n * cw + 2 * aw;
  const d = rng.uniform(0.8, 1.0);
  const legH = rng.chance(0.5) ? rng.uniform(0.06, 0.15) : 0;
  const seatTop = rng.uniform(0.4, 0.47);
  const ct = rng.uniform(0.1, 0.16);
  const bt = rng.uniform(0.14, 0.25);
  const h = rng.uniform(0.72, 0.92);
  const ah = rng.uniform(seatTop + 0.12, Math.min(h, seatTop + 0.3));
  const fabric = material(rng, 'fabric', TEXTURE.fabric);
  const cushion = rng.chance(0.7) ? fabric : material(rng, 'fabric', TEXTURE.fabric);
  const legMat = material(rng, rng.chance(0.5) ? 'wood' : 'metal');
  if (legH > 0) {
    for (const sx of [-1, 1])
      for (const sy of [-1, 1]) g.cyl(sx * (w / 2 - 0.06), sy * (d / 2 - 0.06), 0, legH, 0.02, 0.025, legMat);
  }
  const baseTop = seatTop - ct;
  g.box(0, 0, legH, w, d, baseTop - legH, fabric);
  g.box(0, d / 2 - bt / 2, baseTop, w - 2 * aw, bt, h - baseTop, fabric);
  for (const sx of [-1, 1]) g.box(sx * (w / 2 - aw / 2), 0, baseTop, aw, d, ah - baseTop, fabric);
  const seatD = d - bt;
  for (let i = 0; i < n; i++) {
    g.box(-w / 2 + aw + cw * (i + 0.5), -bt / 2, baseTop, cw - 0.008, seatD, ct, cushion);
  }
  if (rng.chance(0.6)) {
    const bct = rng.uniform(0.1, 0.16);
    const bch = rng.uniform(0.3, Math.max(0.31, h - seatTop - 0.02));
    for (let i = 0; i < n; i++) {
      g.box(-w / 2 + aw + cw * (i + 0.5), d / 2 - bt - bct / 2, seatTop, cw - 0.01, bct, bch, cushion);
    }
  }
  return model('sofa', g, w, d, h);
}

/** A sectional sofa and where a coffee table fits in front of it. */
export interface Sectional {
  model: Model;
  /** Middle (x, y) of the long part's front edge beside the forward part (model frame): a coffee table goes in front of it. */
  front: [number, number];
}

/**
 * An L-shaped sectional sofa (long part along the back, a second part of seats or a chaise coming
 * forward at one end; footprints like 2.2–3.2 × 1.5–2.4 m, as in many scanned living rooms):
 * base, seat cushions, backs along the back and, for a corner sofa, the outer side, an arm at the
 * other end, optional back cushions.
 */
export function sectionalSofa(rng: Rng): Sectional {
  const g = new ShapeBuilder(L.sofa);
  const d = rng.uniform(0.85, 1.0);
  const w = rng.uniform(2.2, 3.2);
  const D = Math.max(d + 0.6, rng.uniform(1.5, 2.4));
  const side = rng.chance(0.5) ? -1 : 1;
  const corner = rng.chance(0.5);
  const seatTop = rng.uniform(0.38, 0.46);
  const ct = rng.uniform(0.1, 0.16);
  const bt = rng.uniform(0.14, 0.25);
  const h = rng.uniform(0.7, 0.9);
  const aw = rng.uniform(0.1, 0.24);
  const ah = rng.uniform(seatTop + 0.1, Math.min(h, seatTop + 0.28));
  const fabric = material(rng, 'fabric', TEXTURE.fabric);
  const cushion = rng.chance(0.7) ? fabric : material(rng, 'fabric', TEXTURE.fabric);
  const baseTop = seatTop - ct;
  const yBack = D / 2;
  const yFrontMain = yBack - d;
  // Long part: base over the whole width, back along +y.
  g.box(0, yBack - d / 2, 0, w, d, baseTop, fabric);
  g.box(0, yBack - bt / 2, baseTop, w, bt, h - baseTop, fabric);
  // The part coming forward at `side`: base, and a back (corner sofa) or a low end (chaise).
  const xOuter = (side * w) / 2;
  const xc = xOuter - (side * d) / 2;
  const ext = D - d;
  g.box(xc, yFrontMain - ext / 2, 0, d, ext, baseTop, fabric);
  const sideBackH = corner ? h : ah;
  g.box(
    xOuter - (side * bt) / 2,
    -D / 2 + ext / 2 + (d - bt) / 2,
    baseTop,
    bt,
    D - bt,
    sideBackH - baseTop,
    fabric,
  );
  // Arm at the other end of the long part.
  g.box(-xOuter + (side * aw) / 2, yFrontMain + (d - bt) / 2, baseTop, aw, d - bt, ah - baseTop, fabric);
  // Seat cushions along the long part, then down the forward part.
  const seatW = w - bt - aw;
  const n = Math.max(2, Math.round(seatW / rng.uniform(0.55, 0.75)));
  const cw = seatW / n;
  const x0 = -xOuter + side * aw;
  for (let i = 0; i < n; i++) {
    const cx = x0 + side * cw * (i + 0.5);
    g.box(cx, yFrontMain + (d - bt) / 2, baseTop, cw - 0.008, d - bt, ct, cushion);
  }
  const m = Math.max(1, Math.round(ext / rng.uniform(0.6, 0.9)));
  const cl = ext / m;
  for (let i = 0; i < m; i++) {
    g.box(xc - (side * bt) / 2, yFrontMain - cl * (i + 0.5), baseTop, d - bt, cl - 0.008, ct, cushion);
  }
  if (rng.chance(0.6)) {
    const bct = rng.uniform(0.1, 0.16);
    const bch = rng.uniform(0.28, Math.max(0.29, h - seatTop - 0.02));
    for (let i = 0; i < n; i++) {
      const cx = x0 + side * cw * (i + 0.5);
      g.box(cx, yBack - bt - bct / 2, seatTop, cw - 0.01, bct, bch, cushion);
    }
  }
  return { model: model('sectional-sofa', g, w, D, h), front: [(-side * d) / 2, yFrontMain] };
}

/** A single or double bed: frame (on legs or a plinth), mattress, duvet, pillows, headboard, optional footboard. */
export function bed(rng: Rng, double = rng.chance(0.6)): Model {
  const g = new ShapeBuilder(L.bed);
  const w = double ? rng.uniform(1.4, 1.9) : rng.uniform(0.9, 1.05);
  const len = rng.uniform(1.95, 2.15);
  const frame = rng.chance(0.6)
    ? material(rng, 'wood', TEXTURE.wood)
    : material(rng, 'fabric', TEXTURE.fabric);
  const linen = material(rng, rng.chance(0.5) ? 'ceramic' : 'fabric', TEXTURE.fabric);
  const duvet = rng.chance(0.5) ? linen : material(rng, 'fabric', TEXTURE.fabric);
  const hbT = rng.uniform(0.04, 0.1);
  const hbH = rng.uniform(0.85, 1.25);
  const legH = rng.chance(0.5) ? rng.uniform(0.08, 0.2) : 0;
  const fh = rng.uniform(0.18, 0.32);
  const mt = rng.uniform(0.16, 0.28);
  const d = len + hbT;
  const y0 = -d / 2;
  const cy = y0 + len / 2;
  if (legH > 0) {
    for (const sx of [-1, 1])
      for (const yy of [y0 + 0.05, y0 + len - 0.05])
        g.box(sx * (w / 2 - 0.05), yy, 0, 0.06, 0.06, legH, frame);
  }
  g.box(0, cy, legH, w, len, fh, frame);
  const mTop = legH + fh + mt;
  g.box(0, cy, legH + fh, w - 0.04, len - 0.04, mt, linen);
  g.box(0, d / 2 - hbT / 2, 0, w, hbT, hbH, frame);
  if (rng.chance(0.3)) g.box(0, y0 + 0.02, 0, w, 0.04, mTop + rng.uniform(-0.1, 0.15), frame);
  // Duvet over the foot end, hanging a little over the sides.
  const dl = (len - 0.04) * rng.uniform(0.55, 0.78);
  const dt = rng.uniform(0.03, 0.07);
  const over = rng.uniform(0, 0.12);
  const dy = y0 + 0.02 + dl / 2;
  g.box(0, dy, mTop, w - 0.008, dl, dt, duvet);
  if (over > 0.02) {
    for (const sx of [-1, 1]) g.box(sx * (w / 2 - 0.012), dy, mTop - over, 0.016, dl, over, duvet);
  }
  const np = double ? 2 : 1;
  const pw = Math.min(0.65, (w - 0.1) / np - 0.04);
  for (let i = 0; i < np; i++) {
    const px = -w / 2 + ((i + 0.5) * w) / np;
    g.box(px, d / 2 - hbT - 0.04 - 0.2, mTop, pw, 0.38, rng.uniform(0.08, 0.14), linen);
  }
  return model(double ? 'double-bed' : 'single-bed', g, w, d, Math.max(hbH, mTop + 0.14));
}
