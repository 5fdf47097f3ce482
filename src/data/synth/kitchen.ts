/**
 * Fitted runs along a wall: base cabinets under one counter top, an optional basin set into it
 * (kitchen sink or bathroom vanity), optional wall cabinets above. Each unit is its own instance.
 */
import { L } from './classes.js';
import { cabinet } from './furniture/storage.js';
import { FRONT_T } from './furniture/parts.js';
import { basin, tap } from './furniture/bath.js';
import { material, pickColor, solidColor, TEXTURE } from './materials.js';
import { placeAt, type Placed } from './layout.js';
import { wallPose, type Wall } from './room.js';
import type { Rng } from '../../core/rng.js';
import { ShapeBuilder, type Support } from './shape.js';
import type { World } from './world.js';

/** Options of a fitted run. */
export interface RunOptions {
  /** Put a basin into one unit. */
  sink: boolean;
  /** Hang wall cabinets above (kitchens). */
  wallCabinets: boolean;
  /** 'vanity' units are lower and shallower. */
  kind: 'base' | 'vanity';
}

/** A placed run: the supports on its counter (for clutter) and the range it occupies on the wall. */
export interface Run {
  supports: Support[];
  a0: number;
  a1: number;
  placed: Placed[];
}

function partition(rng: Rng, len: number): number[] {
  const out: number[] = [];
  let left = len;
  while (left > 0.95) {
    const w = rng.uniform(0.4, Math.min(0.9, left - 0.4));
    out.push(w);
    left -= w;
  }
  out.push(left);
  return out;
}

/** Builds a run of length `len` starting `a0` along `wall`, if the space is free; returns null otherwise. */
export function counterRun(
  world: World,
  rng: Rng,
  wall: Wall,
  a0: number,
  len: number,
  o: RunOptions,
): Run | null {
  const vanity = o.kind === 'vanity';
  const ch = vanity ? rng.uniform(0.8, 0.86) : rng.uniform(0.88, 0.94);
  const tt = rng.uniform(0.025, 0.045);
  const cd = vanity ? rng.uniform(0.48, 0.56) : rng.uniform(0.6, 0.66);
  const over = 0.025;
  const bodyD = cd - over;
  const probe = new ShapeBuilder(L.counter);
  probe.box(0, 0, 0, len, cd, ch, solidColor([0, 0, 0]));
  if (!world.fits(probe.shape, wallPose(wall, a0 + len / 2, cd / 2))) return null;

  const body = rng.chance(0.5) ? material(rng, 'painted') : material(rng, 'wood', TEXTURE.wood);
  const topMat = rng.weighted([
    [material(rng, 'floorTile', TEXTURE.fabric), 2],
    [material(rng, 'wood', TEXTURE.wood), 1],
    [material(rng, 'painted', TEXTURE.fabric), 1],
  ] as const);
  const widths = vanity ? [len] : partition(rng, len);
  // A basin needs one unit of at least 0.55 m: merge units until there is one.
  while (o.sink && widths.length > 1 && widths.every((w) => w < 0.55))
    widths.splice(0, 2, widths[0] + widths[1]);
  const fitsBasin = widths.map((w, i) => [w, i] as const).filter(([w]) => w >= 0.5);
  const sinkIdx = o.sink && fitsBasin.length > 0 ? rng.pick(fitsBasin)[1] : -1;
  const placed: Placed[] = [];
  const runPose = wallPose(wall, a0 + len / 2, cd / 2);
  // Run frame: x along the wall from the run's centre, y ∈ [−cd/2, cd/2] with the wall at +cd/2.
  const innerD = bodyD - FRONT_T - 0.025;
  const bw = sinkIdx >= 0 ? Math.min(widths[sinkIdx] - 0.14, rng.uniform(0.4, 0.75)) : 0;
  const bd = Math.min(innerD - 0.12, rng.uniform(0.35, 0.45));
  const bh = rng.uniform(0.14, 0.2);
  const hy = cd / 2 - innerD / 2;
  let hx = 0;
  let a = a0;
  for (let i = 0; i < widths.length; i++) {
    const w = widths[i];
    const cutout = i === sinkIdx ? { w: bw, d: bd, depth: bh - tt } : undefined;
    const m = cabinet(rng, o.kind, { w, d: bodyD, h: ch - tt, body, cutout });
    const pose = wallPose(wall, a + w / 2, bodyD / 2);
    const instance = world.newInstance(m.label, m.kind);
    world.add(m.shape, pose, instance);
    placed.push({ instance, pose, model: m });
    if (i === sinkIdx) hx = a + w / 2 - (a0 + len / 2);
    a += w;
  }

  // Counter top over the whole run, with a hole for the basin.
  const top = new ShapeBuilder(L.counter);
  const z = ch - tt;
  if (sinkIdx >= 0) {
    const xl = hx - bw / 2;
    const xr = hx + bw / 2;
    top.box((-len / 2 + xl) / 2, 0, z, xl + len / 2, cd, tt, topMat);
    top.box((xr + len / 2) / 2, 0, z, len / 2 - xr, cd, tt, topMat);
    const yf = hy - bd / 2;
    const yb = hy + bd / 2;
    top.box(hx, (-cd / 2 + yf) / 2, z, bw, yf + cd / 2, tt, topMat);
    top.box(hx, (yb + cd / 2) / 2, z, bw, cd / 2 - yb, tt, topMat);
    top.support(-len / 2 + 0.03, -cd / 2 + 0.03, xl - 0.03, cd / 2 - 0.03, ch);
    top.support(xr + 0.03, -cd / 2 + 0.03, len / 2 - 0.03, cd / 2 - 0.03, ch);
  } else {
    top.box(0, 0, z, len, cd, tt, topMat);
    top.support(-len / 2 + 0.03, -cd / 2 + 0.03, len / 2 - 0.03, cd / 2 - 0.03, ch);
  }
  const topInst = world.newInstance(L.counter, vanity ? 'vanity-top' : 'counter');
  world.add(top.shape, runPose, topInst);
  placed.push({
    instance: topInst,
    pose: runPose,
    model: { kind: 'counter', label: L.counter, shape: top.shape, w: len, d: cd, h: ch },
  });
  const supports = world.supportsAt(top.shape, runPose);

  if (sinkIdx >= 0) {
    const g = new ShapeBuilder(L.sink);
    const sm = vanity || rng.chance(0.4) ? material(rng, 'ceramic') : solidColor(pickColor(rng, 'metal'));
    // The basin fills the hole: rim flush with the counter top, bottom resting on the unit below.
    basin(g, { cx: hx, cy: hy, z0: ch - bh, w: bw, d: bd, h: bh }, 0.015, sm);
    tap(g, hx, (hy + bd / 2 + cd / 2) / 2, ch, 0.12, solidColor([196, 198, 204]));
    const instance = world.newInstance(L.sink, vanity ? 'vanity-basin' : 'kitchen-sink');
    world.add(g.shape, runPose, instance);
    placed.push({
      instance,
      pose: runPose,
      model: { kind: 'sink', label: L.sink, shape: g.shape, w: bw, d: bd, h: bh },
    });
  }

  if (o.wallCabinets) {
    const wz = ch + rng.uniform(0.45, 0.6);
    const wh = Math.min(rng.uniform(0.55, 0.8), world.height - wz - 0.05);
    const wd = rng.uniform(0.3, 0.37);
    if (wh > 0.3) {
      let aw = a0;
      for (const w of partition(rng, len)) {
        const m = cabinet(rng, 'wall', { w, d: wd, h: wh, body });
        const p = placeAt(world, m, wallPose(wall, aw + w / 2, wd / 2, wz));
        if (p) placed.push(p);
        aw += w;
      }
    }
  }
  return { supports, a0, a1: a0 + len, placed };
}
