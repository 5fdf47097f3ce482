/**
 * Room recipes: size ranges, openings and floor kinds per room type, and the furnishing order
 * (required pieces first, then groups, storage, decoration, clutter).
 */
import type { RoomType } from './classes.js';
import { coatRack, lamp, trashBin, wallShelf } from './furniture/decor.js';
import { bathtub, sink, toilet } from './furniture/bath.js';
import { diningChair, officeChair, sectionalSofa, sofa } from './furniture/seating.js';
import { cabinet, refrigerator } from './furniture/storage.js';
import { counterRun } from './kitchen.js';
import { placeAgainstWall, placeFree } from './layout.js';
import {
  bedSet,
  deskSet,
  diningSet,
  dressWindows,
  floorClutter,
  hangPictures,
  keepSupports,
  livingSet,
  placeOnWallAt,
  scatterClutter,
  shelfWithBooks,
  wallCurtain,
  type Ctx,
} from './groups.js';
import type { RoomSpec } from './room.js';
import type { Rng } from '../../core/rng.js';

/** Relative frequency of room types when none is requested. */
export const ROOM_WEIGHTS: readonly (readonly [RoomType, number])[] = [
  ['bedroom', 0.22],
  ['office', 0.24],
  ['livingroom', 0.22],
  ['kitchen', 0.18],
  ['bathroom', 0.14],
];

function size(rng: Rng, a: [number, number], b: [number, number]): [number, number] {
  const x = rng.uniform(...a);
  const y = rng.uniform(...b);
  return rng.chance(0.5) ? [x, y] : [y, x];
}

/** Draws the shell parameters of a room of type `t`. */
export function roomSpec(rng: Rng, t: RoomType, ceiling: boolean): RoomSpec {
  const H = rng.uniform(2.4, t === 'office' ? 3.2 : 3.0);
  const common = { height: H, ceiling, wallTiles: 0, doors: 1, windowSill: [0.75, 1.05] as [number, number] };
  switch (t) {
    case 'bedroom': {
      const [w, d] = size(rng, [3.0, 5.0], [2.8, 4.5]);
      return {
        ...common,
        width: w,
        depth: d,
        windows: rng.between(1, 2),
        windowWidth: [0.8, 2.0],
        floor: ['planks', 'carpet', 'planks'],
      };
    }
    case 'office': {
      const [w, d] = size(rng, [3.5, 7.5], [3.0, 6.0]);
      return {
        ...common,
        width: w,
        depth: d,
        doors: rng.chance(0.25) ? 2 : 1,
        windows: rng.between(1, 3),
        windowWidth: [1.0, 2.4],
        floor: ['carpet', 'tiles', 'planks', 'concrete'],
      };
    }
    case 'livingroom': {
      const [w, d] = size(rng, [4.0, 7.0], [3.5, 5.5]);
      return {
        ...common,
        width: w,
        depth: d,
        doors: rng.chance(0.3) ? 2 : 1,
        windows: rng.between(1, 3),
        windowWidth: [1.0, 2.4],
        floor: ['planks', 'carpet', 'tiles'],
      };
    }
    case 'kitchen': {
      const [w, d] = size(rng, [2.8, 5.0], [2.5, 4.2]);
      return {
        ...common,
        width: w,
        depth: d,
        windows: rng.between(0, 2),
        windowWidth: [0.6, 1.5],
        windowSill: [1.0, 1.2],
        wallTiles: 0.5,
        floor: ['tiles', 'tiles', 'planks'],
      };
    }
    case 'bathroom': {
      const [w, d] = size(rng, [1.9, 3.4], [1.7, 2.8]);
      return {
        ...common,
        width: w,
        depth: d,
        windows: rng.between(0, 1),
        windowWidth: [0.5, 1.0],
        windowSill: [1.2, 1.5],
        wallTiles: 0.85,
        floor: ['tiles'],
      };
    }
  }
}

/** A straight sofa, or with `variety` sometimes a sectional one. */
function anySofa(ctx: Ctx) {
  return ctx.variety && ctx.rng.chance(0.4) ? sectionalSofa(ctx.rng).model : sofa(ctx.rng);
}

function times(rng: Rng, lo: number, hi: number, f: () => unknown): void {
  for (let i = rng.between(lo, hi); i > 0; i--) f();
}

function bedroom(ctx: Ctx): void {
  const { rng, world, walls } = ctx;
  // The bed goes first (before curtains and radiators claim the walls); a smaller one if it does not fit.
  for (let t = 0; t < 3 && !bedSet(ctx, t > 0); t++);
  dressWindows(ctx, 0.7, 0.3);
  if (ctx.variety && rng.chance(0.5)) wallCurtain(ctx);
  if (rng.chance(0.7))
    placeAgainstWall(world, rng, walls, cabinet(rng, 'wardrobe', { h: Math.min(2.2, world.height - 0.2) }), {
      corner: rng.chance(0.5),
    });
  if (rng.chance(0.5)) keepSupports(ctx, placeAgainstWall(world, rng, walls, cabinet(rng, 'dresser')));
  if (rng.chance(0.4)) deskSet(ctx, false);
  if (rng.chance(0.35)) shelfWithBooks(ctx);
  if (rng.chance(0.25)) placeFree(world, rng, diningChair(rng), 0.3, 0.3);
  if (rng.chance(0.3)) placeAgainstWall(world, rng, walls, lamp(rng), { gap: 0.1, corner: true });
  if (rng.chance(0.3)) placeAgainstWall(world, rng, walls, trashBin(rng), { gap: 0.02 });
  if (rng.chance(0.2))
    keepSupports(ctx, placeAgainstWall(world, rng, walls, wallShelf(rng), { z: rng.uniform(1.1, 1.6) }));
  hangPictures(ctx, rng.between(0, 3));
  scatterClutter(ctx, ctx.variety ? 3 : 2);
  floorClutter(ctx, rng.between(0, 3));
}

function office(ctx: Ctx): void {
  const { rng, world, walls } = ctx;
  dressWindows(ctx, 0.3, 0.45);
  if (ctx.variety && rng.chance(0.3)) wallCurtain(ctx);
  const area = world.width * world.depth;
  const desks = Math.max(1, Math.min(5, Math.round(area / rng.uniform(5, 9))));
  for (let i = 0; i < desks; i++) deskSet(ctx, true);
  if (area > 16 && rng.chance(0.45)) diningSet(ctx, 6);
  times(rng, 0, 3, () => shelfWithBooks(ctx));
  times(rng, 0, 3, () =>
    keepSupports(
      ctx,
      placeAgainstWall(world, rng, walls, cabinet(rng, rng.chance(0.6) ? 'file' : 'tall', { h: undefined })),
    ),
  );
  if (rng.chance(0.15)) placeAgainstWall(world, rng, walls, anySofa(ctx));
  if (rng.chance(0.4)) placeAgainstWall(world, rng, walls, coatRack(rng), { gap: 0.15, corner: true });
  if (rng.chance(0.2)) placeFree(world, rng, officeChair(rng), 0.4, 0.2);
  times(rng, 1, 2, () => placeAgainstWall(world, rng, walls, trashBin(rng), { gap: 0.02 }));
  if (rng.chance(0.1)) placeAgainstWall(world, rng, walls, refrigerator(rng));
  hangPictures(ctx, rng.between(0, 3));
  scatterClutter(ctx, ctx.variety ? 3 : 2);
  floorClutter(ctx, rng.between(0, 4));
}

function livingroom(ctx: Ctx): void {
  const { rng, world, walls } = ctx;
  for (let t = 0; t < 3 && !livingSet(ctx); t++);
  dressWindows(ctx, 0.7, 0.35);
  if (ctx.variety && rng.chance(0.5)) wallCurtain(ctx);
  if (rng.chance(0.3)) placeAgainstWall(world, rng, walls, anySofa(ctx));
  if (world.width * world.depth > 18 && rng.chance(0.4)) diningSet(ctx, 6);
  if (rng.chance(0.5)) shelfWithBooks(ctx);
  if (rng.chance(0.3))
    keepSupports(
      ctx,
      placeAgainstWall(world, rng, walls, cabinet(rng, rng.chance(0.5) ? 'sideboard' : 'tall')),
    );
  times(rng, 0, 2, () => placeFree(world, rng, diningChair(rng), 0.4, 0.3));
  if (rng.chance(0.4)) placeAgainstWall(world, rng, walls, lamp(rng), { gap: 0.1, corner: true });
  if (rng.chance(0.2)) deskSet(ctx, false);
  hangPictures(ctx, rng.between(1, 3));
  scatterClutter(ctx, ctx.variety ? 3 : 2);
  floorClutter(ctx, rng.between(0, 3));
}

function kitchen(ctx: Ctx): void {
  const { rng, world, walls } = ctx;
  const order = rng.shuffle([...walls]).sort((a, b) => b.length - a.length);
  let run = null;
  let wall = order[0];
  for (let t = 0; t < 40 && !run; t++) {
    wall = order[t % 3 === 2 ? 1 : 0];
    const len = rng.uniform(Math.min(1.2, wall.length - 0.02), wall.length - 0.02);
    const a0 = rng.chance(0.5)
      ? rng.chance(0.5)
        ? 0
        : wall.length - len
      : rng.uniform(0, wall.length - len);
    run = counterRun(world, rng, wall, a0, len, { sink: true, wallCabinets: rng.chance(0.7), kind: 'base' });
  }
  const f = refrigerator(rng);
  let fridge = null;
  if (run) {
    ctx.supports.push(...run.supports);
    for (const a of rng.shuffle([run.a1 + f.w / 2 + 0.01, run.a0 - f.w / 2 - 0.01]))
      fridge ??= placeOnWallAt(ctx, wall, a, f);
  }
  if (!fridge) placeAgainstWall(world, rng, walls, f, { tries: 60 });
  dressWindows(ctx, 0.25, 0.15);
  if (rng.chance(0.35)) {
    const wall = order[2];
    const len = rng.uniform(0.9, Math.max(1.0, wall.length - 0.7));
    const run = counterRun(world, rng, wall, rng.chance(0.5) ? 0 : wall.length - len, len, {
      sink: false,
      wallCabinets: rng.chance(0.5),
      kind: 'base',
    });
    if (run) ctx.supports.push(...run.supports);
  }
  if (world.width * world.depth > 8 && rng.chance(0.75)) diningSet(ctx, 4);
  if (rng.chance(0.3))
    keepSupports(
      ctx,
      placeAgainstWall(world, rng, walls, cabinet(rng, 'tall', { h: Math.min(2.0, world.height - 0.3) })),
    );
  if (rng.chance(0.8)) placeAgainstWall(world, rng, walls, trashBin(rng), { gap: 0.02 });
  hangPictures(ctx, rng.between(0, 1));
  scatterClutter(ctx, ctx.variety ? 4 : 3, 'kitchen');
  floorClutter(ctx, rng.between(0, 2));
}

function bathroom(ctx: Ctx): void {
  const { rng, world, walls } = ctx;
  dressWindows(ctx, 0.1, 0.3);
  if (rng.chance(0.7)) placeAgainstWall(world, rng, walls, bathtub(rng), { corner: true, tries: 60 });
  placeAgainstWall(world, rng, walls, toilet(rng), { tries: 60 });
  let basinWall = null;
  if (rng.chance(0.5)) {
    for (let t = 0; t < 10 && !basinWall; t++) {
      const wall = rng.pick(walls);
      const len = rng.uniform(0.6, Math.min(1.4, wall.length - 0.1));
      const a0 = rng.uniform(0, wall.length - len);
      const run = counterRun(world, rng, wall, a0, len, { sink: true, wallCabinets: false, kind: 'vanity' });
      if (run) {
        ctx.supports.push(...run.supports);
        basinWall = { wall, a: (run.a0 + run.a1) / 2 };
      }
    }
  }
  if (!basinWall) {
    const s = placeAgainstWall(world, rng, walls, sink(rng), { tries: 60 });
    if (s) basinWall = { wall: s.wall, a: s.a };
  }
  if (basinWall && rng.chance(0.45)) {
    const c = cabinet(rng, 'wall', {
      w: rng.uniform(0.4, 0.7),
      d: rng.uniform(0.12, 0.2),
      h: rng.uniform(0.45, 0.7),
    });
    placeOnWallAt(ctx, basinWall.wall, basinWall.a, c, Math.min(1.35, world.height - c.h - 0.1));
  }
  if (rng.chance(0.5))
    keepSupports(ctx, placeAgainstWall(world, rng, walls, wallShelf(rng), { z: rng.uniform(1.0, 1.5) }));
  if (rng.chance(0.6)) placeAgainstWall(world, rng, walls, trashBin(rng), { gap: 0.02 });
  if (rng.chance(0.3))
    placeAgainstWall(
      world,
      rng,
      walls,
      cabinet(rng, 'tall', { d: rng.uniform(0.3, 0.4), h: Math.min(1.9, world.height - 0.3) }),
    );
  hangPictures(ctx, rng.chance(0.25) ? 1 : 0);
  scatterClutter(ctx, 2, 'bath');
  floorClutter(ctx, rng.chance(0.3) ? 1 : 0);
}

/** Furnishing procedure of each room type. */
export const FURNISH: Record<RoomType, (ctx: Ctx) => void> = {
  bedroom,
  office,
  livingroom,
  kitchen,
  bathroom,
};
