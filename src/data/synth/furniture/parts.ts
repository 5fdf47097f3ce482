/**
 * Parts shared by several furniture builders: door and drawer fronts with handles, leg sets.
 */
import type { Rng } from '../../../core/rng.js';
import type { Material, ShapeBuilder } from '../shape.js';

/** Front thickness of doors and drawers. */
export const FRONT_T = 0.018;

/**
 * Covers x0..x1 × z0..z1 of a body whose front face is the plane y = yFront with rows × cols
 * fronts (3 mm gaps) and handles; drawers get a centred bar, doors a bar near their free edge.
 */
export function fronts(
  g: ShapeBuilder,
  rng: Rng,
  x0: number,
  x1: number,
  z0: number,
  z1: number,
  yFront: number,
  rows: number,
  cols: number,
  kind: 'drawer' | 'door',
  m: Material,
  handle: Material,
): void {
  const gap = 0.003;
  const fw = (x1 - x0) / cols;
  const fh = (z1 - z0) / rows;
  const knob = rng.chance(0.25);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const cx = x0 + fw * (c + 0.5);
      const bz = z0 + fh * r + gap / 2;
      g.box(cx, yFront - FRONT_T / 2, bz, fw - gap, FRONT_T, fh - gap, m);
      const hy = yFront - FRONT_T - 0.0125;
      if (kind === 'drawer') {
        const hw = Math.min(0.16, fw * 0.4);
        if (knob) g.box(cx, hy, bz + fh / 2 - 0.0125, 0.025, 0.025, 0.025, handle);
        else g.box(cx, hy, bz + fh / 2 - 0.01, hw, 0.025, 0.02, handle);
      } else {
        const side = cols === 1 ? 1 : c % 2 === 0 ? 1 : -1;
        const hx = cx + side * (fw / 2 - 0.045);
        const hh = Math.min(0.2, fh * 0.3);
        const hz =
          fh > 1 ? z0 + Math.min(1.0, fh / 2) : bz + (r === rows - 1 && rows > 1 ? 0.06 : fh - 0.06 - hh);
        if (knob) g.box(hx, hy, hz + hh / 2, 0.025, 0.025, 0.025, handle);
        else g.box(hx, hy, Math.max(bz + 0.02, Math.min(hz, bz + fh - hh - 0.02)), 0.02, 0.025, hh, handle);
      }
    }
  }
}

/** Four legs at (±x, ±y) from z0 to z1: square (side t) or round (diameter t). */
export function legs(
  g: ShapeBuilder,
  x: number,
  y: number,
  z0: number,
  z1: number,
  t: number,
  round: boolean,
  m: Material,
): void {
  for (const sx of [-1, 1]) {
    for (const sy of [-1, 1]) {
      if (round) g.cyl(sx * x, sy * y, z0, z1, t / 2, t / 2, m);
      else g.box(sx * x, sy * y, z0, t, t, z1 - z0, m);
    }
  }
}
