/**
 * Furniture groups and decoration passes shared by room recipes: desk + chair + monitor, dining
 * table + chairs, bed + nightstands + lamps, sofa + coffee table + TV, curtains and radiators at
 * windows, pictures, books on shelves and small objects on every support.
 */
import { bed, diningChair, officeChair, sectionalSofa, sofa } from './furniture/seating.js';
import { coffeeTable, desk, diningTable, sideTable } from './furniture/tables.js';
import { bookshelf, cabinet, nightstand } from './furniture/storage.js';
import { curtains, lamp, monitor, picture, radiator } from './furniture/decor.js';
import { bookRow, keyboard, smallObject, type ClutterPlace } from './furniture/clutter.js';
import type { Model } from './furniture/model.js';
import { hullBounds, placeAgainstWall, placeAt, placeFree, placeOn, type Placed } from './layout.js';
import { wallPose, type Wall } from './room.js';
import type { Rng } from '../../core/rng.js';
import { composePose, type Pose, type Support } from './shape.js';
import { RESERVED, type World } from './world.js';

/** Everything a recipe needs while furnishing a room. */
export interface Ctx {
  world: World;
  rng: Rng;
  walls: Wall[];
  /** Places small objects can go, filled last. */
  supports: Support[];
  /** The furniture of `SynthOptions.variety` (sectional sofas, wall curtains, more clutter). */
  variety?: boolean;
}

/** Records the supports of a placed object. */
export function keepSupports(ctx: Ctx, p: Placed | null): Placed | null {
  if (p) ctx.supports.push(...ctx.world.supportsAt(p.model.shape, p.pose));
  return p;
}

/** Places `m` against the wall at `a` on `wall` (back flush), if it fits. */
export function placeOnWallAt(ctx: Ctx, wall: Wall, a: number, m: Model, z = 0): Placed | null {
  const [, , , y1] = hullBounds(m);
  return placeAt(ctx.world, m, wallPose(wall, a, y1, z));
}

/** Seats `chair` (heading `facing` in the parent frame) at the edge point (x, y), trying distances `dists` back from it. */
function seatAround(
  ctx: Ctx,
  parent: Pose,
  x: number,
  y: number,
  facing: number,
  chair: Model,
  dists: number[],
): Placed | null {
  const { rng } = ctx;
  const dx = Math.cos(facing + Math.PI / 2);
  const dy = Math.sin(facing + Math.PI / 2);
  for (const d of dists) {
    const dd = d + rng.uniform(-0.03, 0.03);
    const local: Pose = { x: x + dx * dd, y: y + dy * dd, z: 0, theta: facing + rng.uniform(-0.2, 0.2) };
    const p = placeAt(ctx.world, chair, composePose(parent, local));
    if (p) return p;
  }
  return null;
}

/** A desk against a wall with a chair, monitor(s), keyboard and clutter. */
export function deskSet(ctx: Ctx, office: boolean): Placed | null {
  const { rng, world } = ctx;
  const m = desk(rng, Math.min(1.8, world.width - 0.2, world.depth - 0.2));
  const d = keepSupports(ctx, placeAgainstWall(world, rng, ctx.walls, m));
  if (!d) return null;
  const chair = office || rng.chance(0.3) ? officeChair(rng) : diningChair(rng);
  const cd = chair.d / 2;
  // The chair faces the desk's front (−y): its own front (−y) must point to +y.
  seatAround(ctx, d.pose, rng.uniform(-0.15, 0.15) * m.w, -m.d / 2, Math.PI, chair, [
    cd - 0.12,
    cd + 0.05,
    cd + 0.25,
    cd + 0.45,
  ]);
  const support = ctx.supports[ctx.supports.length - 1];
  const n = office ? rng.between(1, 2) : rng.chance(0.5) ? 1 : 0;
  let monitors = 0;
  for (let i = 0; i < n; i++) {
    const mon = monitor(rng);
    const [, , , y1] = hullBounds(mon);
    const x =
      n === 1 ? rng.uniform(-0.15, 0.15) * m.w : (i === 0 ? -0.5 : 0.5) * mon.w + rng.uniform(-0.05, 0.05);
    // Turned a little towards the chair; less (and further forward) if the back corners hit the wall.
    for (let t = 0; t < 4; t++) {
      const turn = rng.uniform(-0.25, 0.25) / (t + 1);
      const local: Pose = { x, y: support.hy - y1 - rng.uniform(0, 0.12) - 0.05 * t, z: 0, theta: turn };
      if (placeAt(world, mon, composePose(support.pose, local))) {
        monitors++;
        break;
      }
    }
  }
  if (monitors > 0 && rng.chance(0.8)) {
    const kb = keyboard(rng);
    placeAt(
      world,
      kb,
      composePose(support.pose, {
        x: rng.uniform(-0.1, 0.1),
        y: -support.hy + 0.15,
        z: 0,
        theta: rng.uniform(-0.1, 0.1),
      }),
    );
  }
  if (rng.chance(0.3)) placeOn(world, rng, support, lamp(rng, true));
  return d;
}

/** A dining table (rectangular or round) with matching chairs around it. */
export function diningSet(ctx: Ctx, maxChairs = 8): Placed | null {
  const { rng, world } = ctx;
  const t = diningTable(rng, Math.min(2.0, world.width - 1.6, world.depth - 1.2));
  const p = keepSupports(ctx, placeFree(world, rng, t, 0.5, 0.8));
  if (!p) return null;
  const chair = diningChair(rng);
  const cd = chair.d / 2;
  const dists = [cd - 0.15, cd - 0.05, cd + 0.1, cd + 0.3];
  const seats: [number, number, number][] = [];
  if (t.round) {
    const n = Math.min(maxChairs, Math.max(2, Math.floor((2 * Math.PI * t.w) / 2 / 0.6)));
    const phi0 = rng.uniform(0, Math.PI);
    for (let i = 0; i < n; i++) {
      const phi = phi0 + (i * 2 * Math.PI) / n;
      // Facing the centre: the chair front (−y) must point along −(cos φ, sin φ).
      seats.push([(Math.cos(phi) * t.w) / 2, (Math.sin(phi) * t.w) / 2, phi - Math.PI / 2]);
    }
  } else {
    const per = Math.max(1, Math.floor((t.w - 0.1) / 0.6));
    for (const side of [-1, 1]) {
      const n = rng.between(Math.max(1, per - 1), per);
      for (let i = 0; i < n; i++)
        seats.push([-t.w / 2 + (t.w * (i + 0.5)) / n, (side * t.d) / 2, side < 0 ? Math.PI : 0]);
    }
    for (const side of [-1, 1])
      if (rng.chance(0.35)) seats.push([(side * t.w) / 2, 0, side < 0 ? Math.PI / 2 : -Math.PI / 2]);
  }
  for (const [x, y, facing] of seats.slice(0, maxChairs)) {
    if (rng.chance(0.1)) continue;
    seatAround(ctx, p.pose, x, y, facing, chair, dists);
  }
  return p;
}

/** A bed with its head against a wall, nightstands with lamps beside it (`single` forces a single bed). */
export function bedSet(ctx: Ctx, single = false): Placed | null {
  const { rng, world } = ctx;
  const b = bed(rng, !single && world.width > 2.6 && world.depth > 2.6 && rng.chance(0.65));
  const p = placeAgainstWall(world, rng, ctx.walls, b, { tries: 60 });
  if (!p) return null;
  const ns = nightstand(rng);
  for (const side of [-1, 1]) {
    if (!rng.chance(b.w > 1.2 ? 0.85 : 0.55)) continue;
    const a = p.a + side * (b.w / 2 + ns.w / 2 + rng.uniform(0.02, 0.1));
    const q = keepSupports(ctx, placeOnWallAt(ctx, p.wall, a, ns));
    if (q && rng.chance(0.75)) {
      placeOn(world, rng, ctx.supports[ctx.supports.length - 1], lamp(rng, true));
    }
  }
  return p;
}

/** A sofa against a wall with a coffee table in front and, opposite, a TV on a low cabinet. */
export function livingSet(ctx: Ctx): Placed | null {
  const { rng, world } = ctx;
  const sectional = ctx.variety && rng.chance(0.5) ? sectionalSofa(rng) : null;
  const s = sectional?.model ?? sofa(rng);
  const p = placeAgainstWall(world, rng, ctx.walls, s, { tries: 60 });
  if (!p) return null;
  const [fx, fy] = sectional?.front ?? [0, -s.d / 2];
  const ct = coffeeTable(rng);
  const gap = rng.uniform(0.3, 0.55);
  keepSupports(
    ctx,
    placeAt(
      world,
      ct,
      composePose(p.pose, {
        x: fx + rng.uniform(-0.1, 0.1),
        y: fy - gap - ct.d / 2,
        z: 0,
        theta: rng.uniform(-0.05, 0.05),
      }),
    ),
  );
  const opposite = ctx.walls[(ctx.walls.indexOf(p.wall) + 2) % 4];
  const stand = cabinet(rng, 'sideboard', { h: rng.uniform(0.4, 0.6) });
  const st = keepSupports(
    ctx,
    placeOnWallAt(ctx, opposite, opposite.length - p.a + rng.uniform(-0.3, 0.3), stand),
  );
  if (st) {
    const support = ctx.supports[ctx.supports.length - 1];
    const tv = monitor(rng, true, 2 * support.hx - 0.02);
    const [, , , y1] = hullBounds(tv);
    if (tv.w > 0.5)
      placeAt(world, tv, composePose(support.pose, { x: 0, y: support.hy - y1 - 0.02, z: 0, theta: 0 }));
  }
  for (const side of [-1, 1]) {
    if (!rng.chance(0.4)) continue;
    const item = rng.chance(0.5) ? lamp(rng) : sideTable(rng);
    const q = placeAt(
      world,
      item,
      composePose(p.pose, {
        x: side * (s.w / 2 + item.w / 2 + 0.05),
        y: s.d / 2 - item.d / 2 - 0.02,
        z: 0,
        theta: 0,
      }),
    );
    if (q && item.kind === 'side-table') {
      keepSupports(ctx, q);
      if (rng.chance(0.6)) placeOn(world, rng, ctx.supports[ctx.supports.length - 1], lamp(rng, true));
    }
  }
  return p;
}

/** Curtains (probability pc) and radiators (pr) at each window. */
export function dressWindows(ctx: Ctx, pc: number, pr: number): void {
  const { rng, world } = ctx;
  for (const wall of ctx.walls) {
    for (const o of wall.openings) {
      if (o.kind !== 'window') continue;
      const longCurtain = rng.chance(0.5);
      if (rng.chance(pr) && !(longCurtain && rng.chance(pc))) {
        const r = radiator(rng, o.z0 - 0.1);
        placeOnWallAt(ctx, wall, (o.a0 + o.a1) / 2 + rng.uniform(-0.1, 0.1), r);
      }
      if (!rng.chance(pc)) continue;
      const top = Math.min(o.z1 + rng.uniform(0.06, 0.25), world.height - 0.06);
      const bottom = longCurtain ? rng.uniform(0.01, 0.04) : Math.max(0.05, o.z0 - rng.uniform(0.06, 0.18));
      const c = curtains(rng, o.a1 - o.a0, o.depth, top, bottom);
      placeAt(world, c, wallPose(wall, (o.a0 + o.a1) / 2, 0), [o.instance, RESERVED]);
    }
  }
}

/**
 * A curtain along a stretch of wall away from any window (a closet, a room divider, a wall of
 * drapes): 1.2–4.5 m wide, hung near the ceiling to the floor, mostly drawn, in deep folds.
 */
export function wallCurtain(ctx: Ctx): Placed | null {
  const { rng, world } = ctx;
  for (let t = 0; t < 12; t++) {
    const wall = rng.weighted(ctx.walls.map((w) => [w, w.length] as const));
    // Openings and furniture take parts of most walls: narrow the curtain until it finds a gap.
    for (let ww = rng.uniform(1.2, Math.min(4.5, wall.length - 0.4)); ww >= 0.9; ww *= 0.75) {
      const top = world.height - rng.uniform(0.04, 0.25);
      const c = curtains(rng, ww, 0, top, rng.uniform(0.01, 0.04), {
        amp: rng.uniform(0.05, 0.15),
        closed: rng.uniform(0.7, 1),
      });
      const half = c.w / 2;
      if (wall.length < 2 * half + 0.02) continue;
      const p = placeAt(world, c, wallPose(wall, rng.uniform(half + 0.01, wall.length - half - 0.01), 0));
      if (p) return p;
    }
  }
  return null;
}

/** Hangs up to n pictures at eye height on free wall space. */
export function hangPictures(ctx: Ctx, n: number): void {
  const { rng, world } = ctx;
  for (let i = 0; i < n; i++) {
    const p = picture(rng);
    const zc = rng.uniform(1.2, 1.75);
    const z = Math.min(zc - p.h / 2, world.height - p.h - 0.1);
    if (z < 0.9) continue;
    placeAgainstWall(world, rng, ctx.walls, p, { z, tries: 15 });
  }
}

/** A bookshelf against a wall with rows of books and a few objects on its shelves. */
export function shelfWithBooks(ctx: Ctx): Placed | null {
  const { rng, world } = ctx;
  const b = bookshelf(rng, world.height - 0.3);
  const p = placeAgainstWall(world, rng, ctx.walls, b, { corner: rng.chance(0.3) });
  if (!p) return null;
  for (const s of b.shelves) {
    const pose = composePose(p.pose, { x: (s.x0 + s.x1) / 2, y: (s.y0 + s.y1) / 2, z: s.z, theta: 0 });
    if (rng.chance(0.75)) {
      const row = bookRow(rng, s.x1 - s.x0, s.y1 - s.y0, s.clear);
      if (row) placeAt(world, row, pose);
    } else if (rng.chance(0.6)) {
      placeOn(world, rng, { pose, hx: (s.x1 - s.x0) / 2, hy: (s.y1 - s.y0) / 2 }, smallObject(rng, 'shelf'));
    }
  }
  return p;
}

/** Puts 0..maxEach small objects (scaled by support area) of the `where` mix on every recorded support. */
export function scatterClutter(ctx: Ctx, maxEach: number, where: ClutterPlace = 'table'): void {
  for (const s of ctx.supports) {
    const n = ctx.rng.between(0, Math.max(0, Math.round(maxEach * Math.min(1.5, (s.hx * s.hy) / 0.15))));
    for (let i = 0; i < n; i++) placeOn(ctx.world, ctx.rng, s, smallObject(ctx.rng, where));
  }
}

/** Drops n bigger objects (boxes, plants, baskets, bags) on the floor, mostly near walls. */
export function floorClutter(ctx: Ctx, n: number): void {
  for (let i = 0; i < n; i++) {
    const m = smallObject(ctx.rng, 'floor');
    if (ctx.rng.chance(0.7))
      placeAgainstWall(ctx.world, ctx.rng, ctx.walls, m, { gap: ctx.rng.uniform(0.01, 0.1), tries: 10 });
    else placeFree(ctx.world, ctx.rng, m, 0.3, 0.3, 10);
  }
}
