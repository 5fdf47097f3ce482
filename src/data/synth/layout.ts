/**
 * Placement strategies on top of World's collision checks: against a wall, in a corner, free on
 * the floor, relative to another object, and on a support surface (tables, shelves).
 */
import type { Model } from './furniture/model.js';
import { wallPose, type Wall } from './room.js';
import type { Rng } from '../../core/rng.js';
import { composePose, type Pose, type Support } from './shape.js';
import type { World } from './world.js';

/** A placed object. */
export interface Placed {
  instance: number;
  pose: Pose;
  model: Model;
}

/** Local x/y bounds of a model's collision hulls. */
export function hullBounds(m: Model): [number, number, number, number] {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const b of m.shape.hulls) {
    const c = Math.cos(b.angle);
    const s = Math.sin(b.angle);
    const hx = b.kind === 'box' ? b.hx : Math.max(b.r0, b.r1);
    const hy = b.kind === 'box' ? b.hy : Math.max(b.r0, b.r1);
    const ex = b.kind === 'box' ? Math.abs(c) * hx + Math.abs(s) * hy : hx;
    const ey = b.kind === 'box' ? Math.abs(s) * hx + Math.abs(c) * hy : hy;
    x0 = Math.min(x0, b.cx - ex);
    x1 = Math.max(x1, b.cx + ex);
    y0 = Math.min(y0, b.cy - ey);
    y1 = Math.max(y1, b.cy + ey);
  }
  return [x0, y0, x1, y1];
}

/** Places `m` at `pose` if it fits. */
export function placeAt(world: World, m: Model, pose: Pose, ignore: readonly number[] = []): Placed | null {
  const instance = world.tryPlace(m.shape, pose, m.label, m.kind, ignore);
  return instance < 0 ? null : { instance, pose, model: m };
}

/** Options for wall placement. */
export interface WallOptions {
  /** Restrict to this wall. */
  wall?: Wall;
  /** Extra distance between the back and the wall. */
  gap?: number;
  /** Height of the object's base (wall cabinets, pictures). */
  z?: number;
  /** Push into a corner (either end of the wall). */
  corner?: boolean;
  tries?: number;
}

/** Places `m` with its back against a (random) wall; returns null if nothing fits. */
export function placeAgainstWall(
  world: World,
  rng: Rng,
  walls: readonly Wall[],
  m: Model,
  o: WallOptions = {},
): (Placed & { wall: Wall; a: number }) | null {
  const [x0, y0, x1, y1] = hullBounds(m);
  void y0;
  for (let t = 0; t < (o.tries ?? 40); t++) {
    const wall = o.wall ?? rng.weighted(walls.map((w) => [w, w.length] as const));
    const lo = -x0;
    const hi = wall.length - x1;
    if (hi < lo) continue;
    const a = o.corner ? (rng.chance(0.5) ? lo : hi) : rng.uniform(lo, hi);
    const pose = wallPose(wall, a, y1 + (o.gap ?? 0), o.z ?? 0);
    const p = placeAt(world, m, pose);
    if (p) return { ...p, wall, a };
  }
  return null;
}

/** Places `m` anywhere on the floor at least `margin` from the walls, aligned with the room or at any angle. */
export function placeFree(
  world: World,
  rng: Rng,
  m: Model,
  margin = 0.3,
  aligned = 0.6,
  tries = 40,
): Placed | null {
  for (let t = 0; t < tries; t++) {
    const theta = rng.chance(aligned)
      ? (rng.between(0, 3) * Math.PI) / 2 + rng.uniform(-0.08, 0.08)
      : rng.uniform(0, 2 * Math.PI);
    const x = rng.uniform(margin, world.width - margin);
    const y = rng.uniform(margin, world.depth - margin);
    const p = placeAt(world, m, { x, y, z: 0, theta });
    if (p) return p;
  }
  return null;
}

/** Places `m` at `local` relative to `parent` (e.g. a chair at a table). */
export function placeRelative(world: World, parent: Pose, local: Pose, m: Model): Placed | null {
  return placeAt(world, m, composePose(parent, local));
}

/** Places `m` on `support` (fully inside its rectangle), at a random spot and heading. */
export function placeOn(
  world: World,
  rng: Rng,
  support: Support,
  m: Model,
  tries = 12,
  facing?: number,
): Placed | null {
  const [x0, y0, x1, y1] = hullBounds(m);
  for (let t = 0; t < tries; t++) {
    const rz =
      facing ??
      (rng.chance(0.6)
        ? (rng.between(0, 3) * Math.PI) / 2 + rng.uniform(-0.2, 0.2)
        : rng.uniform(0, 2 * Math.PI));
    const c = Math.cos(rz);
    const s = Math.sin(rz);
    let ex0 = Infinity;
    let ex1 = -Infinity;
    let ey0 = Infinity;
    let ey1 = -Infinity;
    for (const [px, py] of [
      [x0, y0],
      [x1, y0],
      [x0, y1],
      [x1, y1],
    ]) {
      const qx = c * px - s * py;
      const qy = s * px + c * py;
      ex0 = Math.min(ex0, qx);
      ex1 = Math.max(ex1, qx);
      ey0 = Math.min(ey0, qy);
      ey1 = Math.max(ey1, qy);
    }
    const lo = -support.hx - ex0;
    const hi = support.hx - ex1;
    const loY = -support.hy - ey0;
    const hiY = support.hy - ey1;
    if (hi < lo || hiY < loY) return null;
    const local: Pose = { x: rng.uniform(lo, hi), y: rng.uniform(loY, hiY), z: 0, theta: rz };
    const p = placeAt(world, m, composePose(support.pose, local));
    if (p) return p;
  }
  return null;
}
