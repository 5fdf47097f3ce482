/**
 * Test oracles for synthetic scenes, written independently of the sampler: exact distance from a
 * point to a parametric surface and the surface's normal at the closest point.
 */
import type { SynthSurface } from '../../../src/data/synth/shape.js';

function segDist(px: number, pz: number, ax: number, az: number, bx: number, bz: number): number {
  const dx = bx - ax;
  const dz = bz - az;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (pz - az) * dz) / (dx * dx + dz * dz)));
  return Math.hypot(px - ax - t * dx, pz - az - t * dz);
}

/** Euclidean distance from (x, y, z) to surface `s` (rectangles, frusta, annuli). */
export function distanceToSurface(s: SynthSurface, x: number, y: number, z: number): number {
  if (s.kind === 'quad') {
    const d = [x - s.origin[0], y - s.origin[1], z - s.origin[2]];
    const uu = s.u[0] ** 2 + s.u[1] ** 2 + s.u[2] ** 2;
    const vv = s.v[0] ** 2 + s.v[1] ** 2 + s.v[2] ** 2;
    // Quads are rectangles (u ⊥ v), so clamping the coordinates gives the closest point.
    const a = Math.max(0, Math.min(1, (d[0] * s.u[0] + d[1] * s.u[1] + d[2] * s.u[2]) / uu));
    const b = Math.max(0, Math.min(1, (d[0] * s.v[0] + d[1] * s.v[1] + d[2] * s.v[2]) / vv));
    return Math.hypot(
      d[0] - a * s.u[0] - b * s.v[0],
      d[1] - a * s.u[1] - b * s.v[1],
      d[2] - a * s.u[2] - b * s.v[2],
    );
  }
  if (s.kind === 'frustum') {
    const rho = Math.hypot(x - s.center[0], y - s.center[1]);
    return segDist(rho, z, s.r0, s.z0, s.r1, s.z1);
  }
  const rho = Math.hypot(x - s.center[0], y - s.center[1]);
  const dr = rho < s.r0 ? s.r0 - rho : rho > s.r1 ? rho - s.r1 : 0;
  return Math.hypot(dr, z - s.center[2]);
}

/** The outward (visible-side) unit normal of `s` at the point (x, y, z) on it. */
export function surfaceNormal(s: SynthSurface, x: number, y: number): [number, number, number] {
  if (s.kind === 'quad') {
    const [ux, uy, uz] = s.u;
    const [vx, vy, vz] = s.v;
    const n = [uy * vz - uz * vy, uz * vx - ux * vz, ux * vy - uy * vx];
    const l = Math.hypot(n[0], n[1], n[2]);
    return [n[0] / l, n[1] / l, n[2] / l];
  }
  if (s.kind === 'frustum') {
    const rx = x - s.center[0];
    const ry = y - s.center[1];
    const rl = Math.hypot(rx, ry);
    // Normal of the generating segment in the (ρ, z) half-plane.
    const h = s.z1 - s.z0;
    const dr = s.r1 - s.r0;
    const l = Math.hypot(h, dr);
    const sign = s.inward ? -1 : 1;
    return [(sign * (rx / rl) * h) / l, (sign * (ry / rl) * h) / l, (-sign * dr) / l];
  }
  return [0, 0, s.up ? 1 : -1];
}
