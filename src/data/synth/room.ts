/**
 * The room shell: floor, walls with door and window openings, optional ceiling, skirting, the
 * slabs behind them (they hide whatever touches a wall or the floor), and the door/window objects.
 */
import { L } from './classes.js';
import { material, solidColor, TEXTURE, pickColor } from './materials.js';
import type { Rng } from '../../core/rng.js';
import { aabbBlock, ShapeBuilder, transformBlock, type Material, type Pose } from './shape.js';
import { World } from './world.js';

/** A door or window hole in a wall: a0..a1 along the wall, z0..z1 in height. */
export interface Opening {
  kind: 'door' | 'window';
  a0: number;
  a1: number;
  z0: number;
  z1: number;
  /** How far the window's frame and sill reach into the room. */
  depth: number;
  instance: number;
}

/** One wall, seen from inside: it runs from (x0, y0) along (dx, dy); the room lies to its right. */
export interface Wall {
  x0: number;
  y0: number;
  dx: number;
  dy: number;
  length: number;
  /** Rotation of an object whose back is against this wall. */
  theta: number;
  openings: Opening[];
}

/** What the room shell needs to know. */
export interface RoomSpec {
  width: number;
  depth: number;
  height: number;
  doors: number;
  windows: number;
  windowSill: [number, number];
  windowWidth: [number, number];
  floor: readonly ('planks' | 'tiles' | 'carpet' | 'concrete')[];
  /** Probability of a tiled lower band on the walls (kitchens, bathrooms). */
  wallTiles: number;
  ceiling: boolean;
}

/** A built shell: the world with the room's stuff, doors and windows in it. */
export interface RoomShell {
  world: World;
  walls: Wall[];
}

/** Pose of an object standing `offset` metres in front of wall `w` at `a` along it, back to the wall. */
export function wallPose(w: Wall, a: number, offset: number, z = 0): Pose {
  return { x: w.x0 + w.dx * a + w.dy * offset, y: w.y0 + w.dy * a - w.dx * offset, z, theta: w.theta };
}

const SLAB = 0.2;
const CHUNK = 1.2;

function makeWalls(W: number, D: number): Wall[] {
  const mk = (x0: number, y0: number, dx: number, dy: number, length: number): Wall => ({
    x0,
    y0,
    dx,
    dy,
    length,
    theta: Math.atan2(dy, dx),
    openings: [],
  });
  return [mk(W, 0, -1, 0, W), mk(0, 0, 0, 1, D), mk(0, D, 1, 0, W), mk(W, D, 0, -1, D)];
}

function pickWall(rng: Rng, walls: Wall[]): Wall {
  return rng.weighted(walls.map((w) => [w, w.length] as const));
}

function freeAt(w: Wall, a0: number, a1: number, margin: number): boolean {
  if (a0 < margin || a1 > w.length - margin) return false;
  return w.openings.every((o) => a1 + margin <= o.a0 || o.a1 + margin <= a0);
}

function splits(a0: number, a1: number): number[] {
  const n = Math.max(1, Math.ceil((a1 - a0) / CHUNK - 1e-9));
  return Array.from({ length: n + 1 }, (_, i) => a0 + ((a1 - a0) * i) / n);
}

/** Adds the wall surface pieces around the openings of `w`, tiled for fast occlusion tests. */
function buildWall(
  g: ShapeBuilder,
  w: Wall,
  H: number,
  slab: number,
  paint: Material,
  tiles: Material | null,
  tileTop: number,
): void {
  const xs = [0, w.length, ...w.openings.flatMap((o) => [o.a0, o.a1])].sort((a, b) => a - b);
  const zs = tiles ? [0, tileTop, H] : [0, H];
  for (let i = 0; i + 1 < xs.length; i++) {
    const xa = xs[i];
    const xb = xs[i + 1];
    if (xb - xa < 1e-9) continue;
    const hole = w.openings.find((o) => o.a0 < xb - 1e-9 && o.a1 > xa + 1e-9);
    for (let k = 0; k + 1 < zs.length; k++) {
      const bands: [number, number][] = hole
        ? [
            [zs[k], Math.min(zs[k + 1], hole.z0)],
            [Math.max(zs[k], hole.z1), zs[k + 1]],
          ]
        : [[zs[k], zs[k + 1]]];
      const m = tiles && k === 0 ? tiles : paint;
      for (const [za, zb] of bands) {
        if (zb - za < 1e-9) continue;
        const ax = splits(xa, xb);
        const az = splits(za, zb);
        for (let p = 0; p + 1 < ax.length; p++) {
          for (let q = 0; q + 1 < az.length; q++) {
            const origin: [number, number, number] = [w.x0 + w.dx * ax[p], w.y0 + w.dy * ax[p], az[q]];
            const len = ax[p + 1] - ax[p];
            g.quad(
              origin,
              [w.dx * len, w.dy * len, 0],
              [0, 0, az[q + 1] - az[q]],
              { ...m, uv: [ax[p], az[q]] },
              slab,
            );
          }
        }
      }
    }
  }
}

/** Adds a horizontal plane (floor or ceiling) of W × D chunks. */
function buildPlane(
  g: ShapeBuilder,
  W: number,
  D: number,
  z: number,
  up: boolean,
  m: Material,
  slab: number,
): void {
  const xs = splits(0, W);
  const ys = splits(0, D);
  for (let i = 0; i + 1 < xs.length; i++) {
    for (let j = 0; j + 1 < ys.length; j++) {
      const dx = xs[i + 1] - xs[i];
      const dy = ys[j + 1] - ys[j];
      if (up) g.quad([xs[i], ys[j], z], [dx, 0, 0], [0, dy, 0], { ...m, uv: [xs[i], ys[j]] }, slab);
      else g.quad([xs[i], ys[j], z], [0, dy, 0], [dx, 0, 0], { ...m, uv: [ys[j], xs[i]] }, slab);
    }
  }
}

function floorMaterial(rng: Rng, kind: RoomSpec['floor'][number], seed: number): Material {
  if (kind === 'planks')
    return material(rng, 'wood', TEXTURE.planks, { scale: rng.uniform(0.1, 0.22), seed });
  if (kind === 'tiles') {
    return material(rng, 'floorTile', TEXTURE.tiles, {
      scale: rng.pick([0.2, 0.3, 0.4, 0.6]),
      color2: pickColor(rng, 'painted'),
      seed,
    });
  }
  if (kind === 'carpet') return material(rng, 'carpet', TEXTURE.fabric, { seed });
  return solidColor(pickColor(rng, 'painted'), TEXTURE.fabric, { seed });
}

/** A door (frame casing and leaf, closed or open) in opening `o`, in the opening's frame. */
function doorShape(rng: Rng, o: Opening): ShapeBuilder {
  const g = new ShapeBuilder(L.door);
  const w = o.a1 - o.a0;
  const h = o.z1;
  const leafMat = rng.chance(0.5) ? material(rng, 'wood', TEXTURE.wood) : material(rng, 'painted');
  const caseMat = rng.chance(0.6) ? material(rng, 'painted') : leafMat;
  const metal = material(rng, 'metal');
  const cw = rng.uniform(0.05, 0.09);
  const cd = rng.uniform(0.012, 0.03);
  g.box(-w / 2 - cw / 2, -cd / 2, 0, cw, cd, h + cw, caseMat);
  g.box(w / 2 + cw / 2, -cd / 2, 0, cw, cd, h + cw, caseMat);
  g.box(0, -cd / 2, h, w, cd, cw, caseMat);
  const lt = rng.uniform(0.035, 0.05);
  const lw = w - 0.006;
  const lh = h - 0.012;
  const hingeLeft = rng.chance(0.5);
  if (rng.chance(0.35)) {
    // Open: the leaf swings into the room (−y) about a hinge just inside the frame.
    const alpha = rng.uniform(1.0, 1.55);
    const beta = hingeLeft ? -alpha : Math.PI + alpha;
    const ux = Math.cos(beta);
    const uy = Math.sin(beta);
    const hx = hingeLeft ? -w / 2 + lt / 2 + 0.003 : w / 2 - lt / 2 - 0.003;
    const hy = -lt / 2 - 0.004;
    g.box(hx + (ux * lw) / 2, hy + (uy * lw) / 2, 0.008, lw, lt, lh, leafMat, { rz: beta });
    const fx = hx + ux * (lw - 0.07);
    const fy = hy + uy * (lw - 0.07);
    for (const s of [1, -1]) {
      const off = s * (lt / 2 + 0.01);
      g.box(fx - uy * off, fy + ux * off, 0.98, 0.12, 0.02, 0.02, metal, { rz: beta });
    }
  } else {
    g.box(0, -lt / 2, 0.008, lw, lt, lh, leafMat);
    g.box((hingeLeft ? 1 : -1) * (w / 2 - 0.07), -lt - 0.01, 0.98, 0.12, 0.02, 0.02, metal);
  }
  // Keep a walkway in front of the door free.
  g.hull(aabbBlock(-w / 2, -Math.max(w, 0.9) - 0.1, 0, w / 2, 0, h));
  return g;
}

/** A window (frame, mullions, glass, sill) in opening `o`, in the opening's frame. */
function windowShape(rng: Rng, o: Opening): ShapeBuilder {
  const g = new ShapeBuilder(L.window);
  const w = o.a1 - o.a0;
  const z0 = o.z0;
  const h = o.z1 - o.z0;
  const frame = rng.chance(0.6) ? material(rng, 'painted') : material(rng, 'wood', TEXTURE.wood);
  const fw = rng.uniform(0.04, 0.08);
  const fd = rng.uniform(0.03, 0.08);
  g.box(-w / 2, -fd / 2, z0, fw, fd, h, frame);
  g.box(w / 2, -fd / 2, z0, fw, fd, h, frame);
  g.box(0, -fd / 2, z0 + h - fw / 2, w - fw, fd, fw / 2, frame);
  g.box(0, -fd / 2, z0, w - fw, fd, fw / 2, frame);
  const gd = rng.uniform(0.01, fd - 0.008);
  const cols = Math.max(1, Math.round(w / rng.uniform(0.45, 0.9)));
  const rows = rng.chance(0.4) ? 2 : 1;
  const mw = fw * 0.6;
  for (let i = 1; i < cols; i++)
    g.box(-w / 2 + (w * i) / cols, -(gd + 0.012) / 2, z0, mw, gd + 0.012, h, frame);
  for (let j = 1; j < rows; j++)
    g.box(0, -(gd + 0.012) / 2, z0 + (h * j) / rows - mw / 2, w, gd + 0.012, mw, frame);
  const glass = solidColor(pickColor(rng, 'painted', 0.1), TEXTURE.plain, { density: 0.35 });
  glass.color = [glass.color[0] * 0.85, glass.color[1] * 0.92, Math.min(255, glass.color[2] * 1.05)];
  g.quad([-w / 2, -gd, z0], [w, 0, 0], [0, 0, h], glass);
  const sd = rng.uniform(fd, 0.22);
  const st = rng.uniform(0.02, 0.04);
  g.box(0, -sd / 2, z0 - st, w + 2 * fw + rng.uniform(0, 0.08), sd, st, frame);
  o.depth = Math.max(fd, sd);
  g.hull(aabbBlock(-w / 2, -o.depth - 0.01, z0 - st, w / 2, 0, z0 + h));
  return g;
}

/** Builds the shell of a room (stuff + doors + windows) into a new World. */
export function buildRoom(rng: Rng, spec: RoomSpec): RoomShell {
  const { width: W, depth: D, height: H } = spec;
  const world = new World(W, D, H);
  const walls = makeWalls(W, D);

  for (let n = 0; n < spec.doors; n++) {
    for (let t = 0; t < 30; t++) {
      const w = pickWall(rng, walls);
      const dw = rng.chance(0.12) && w.length > 3 ? rng.uniform(1.3, 1.6) : rng.uniform(0.78, 0.98);
      const a0 = rng.uniform(0.12, w.length - dw - 0.12);
      if (!freeAt(w, a0 - 0.1, a0 + dw + 0.1, 0.02)) continue;
      w.openings.push({
        kind: 'door',
        a0,
        a1: a0 + dw,
        z0: 0,
        z1: Math.min(rng.uniform(2.0, 2.15), H - 0.15),
        depth: 0,
        instance: -1,
      });
      break;
    }
  }
  for (let n = 0; n < spec.windows; n++) {
    for (let t = 0; t < 30; t++) {
      const w = pickWall(rng, walls);
      const ww = Math.min(rng.uniform(...spec.windowWidth), w.length - 0.8);
      if (ww < 0.4) continue;
      const a0 = rng.uniform(0.3, w.length - ww - 0.3);
      if (!freeAt(w, a0, a0 + ww, 0.35)) continue;
      const z0 = rng.uniform(...spec.windowSill);
      const z1 = Math.min(z0 + rng.uniform(0.9, 1.7), H - rng.uniform(0.2, 0.4));
      if (z1 - z0 < 0.4) continue;
      w.openings.push({ kind: 'window', a0, a1: a0 + ww, z0, z1, depth: 0, instance: -1 });
      break;
    }
  }
  for (const w of walls) w.openings.sort((a, b) => a.a0 - b.a0);

  // Stuff: floor, walls, ceiling, skirting, and the slabs behind them.
  const g = new ShapeBuilder(L.floor);
  const floorSlab = g.occluder(aabbBlock(-SLAB, -SLAB, -SLAB, W + SLAB, D + SLAB, 0));
  buildPlane(g, W, D, 0, true, floorMaterial(rng, rng.pick(spec.floor), rng.between(0, 1e6)), floorSlab);
  g.label = L.wall;
  const paint = material(rng, 'wallPaint', TEXTURE.plain);
  const tiles = rng.chance(spec.wallTiles)
    ? material(rng, 'floorTile', TEXTURE.tiles, {
        scale: rng.pick([0.1, 0.15, 0.2, 0.3]),
        color2: pickColor(rng, 'painted'),
        seed: rng.between(0, 1e6),
      })
    : null;
  const tileTop = rng.uniform(1.1, Math.min(2.1, H - 0.3));
  const slabs = [
    aabbBlock(-SLAB, -SLAB, -SLAB, W + SLAB, 0, H + SLAB),
    aabbBlock(-SLAB, -SLAB, -SLAB, 0, D + SLAB, H + SLAB),
    aabbBlock(-SLAB, D, -SLAB, W + SLAB, D + SLAB, H + SLAB),
    aabbBlock(W, -SLAB, -SLAB, W + SLAB, D + SLAB, H + SLAB),
  ];
  walls.forEach((w, i) => buildWall(g, w, H, g.occluder(slabs[i]), paint, tiles, tileTop));
  if (rng.chance(0.6)) {
    const sh = rng.uniform(0.05, 0.11);
    const sd = rng.uniform(0.01, 0.02);
    const sm = rng.chance(0.5) ? material(rng, 'painted') : material(rng, 'wood', TEXTURE.wood);
    for (const w of walls) {
      const xs = [
        0,
        ...w.openings.filter((o) => o.kind === 'door').flatMap((o) => [o.a0 - 0.07, o.a1 + 0.07]),
        w.length,
      ];
      for (let i = 0; i + 1 < xs.length; i += 2) {
        const a0 = Math.max(0, xs[i]);
        const a1 = Math.min(w.length, xs[i + 1]);
        if (a1 - a0 < 0.05) continue;
        const p = wallPose(w, (a0 + a1) / 2, sd / 2);
        g.box(p.x, p.y, 0, a1 - a0, sd, sh, sm, { rz: w.theta, hull: false });
      }
    }
  }
  const ceilMat = material(rng, 'painted', TEXTURE.plain);
  if (spec.ceiling) {
    g.label = L.ceiling;
    const ceilSlab = g.occluder(aabbBlock(-SLAB, -SLAB, H, W + SLAB, D + SLAB, H + SLAB));
    buildPlane(g, W, D, H, false, ceilMat, ceilSlab);
  }
  // Slabs are room bounds, not furniture hulls.
  g.shape.hulls.length = 0;
  world.add(g.shape, { x: 0, y: 0, z: 0, theta: 0 }, -1);

  for (const w of walls) {
    for (const o of w.openings) {
      const shape = o.kind === 'door' ? doorShape(rng, o) : windowShape(rng, o);
      const pose = wallPose(w, (o.a0 + o.a1) / 2, 0);
      o.instance = world.newInstance(o.kind === 'door' ? L.door : L.window, o.kind);
      world.add(shape.shape, pose, o.instance);
      // The opening itself stays clear of furniture hung on the wall.
      world.reserve(
        transformBlock(pose, aabbBlock(-(o.a1 - o.a0) / 2, -0.03, o.z0, (o.a1 - o.a0) / 2, 0, o.z1)),
      );
    }
  }
  return { world, walls };
}
