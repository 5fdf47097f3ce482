/**
 * `generateScene`: one synthetic indoor room (shell, furniture, clutter) sampled into a labelled
 * point cloud with instance boxes, plus its parametric surfaces for renderers. Deterministic per seed.
 */
import type { PointCloud } from '../../geometry/point-cloud.js';
import { ROOM_TYPES, SYNTH_LABEL_MAP, type RoomType } from './classes.js';
import type { Ctx } from './groups.js';
import { buildRoom } from './room.js';
import { FURNISH, ROOM_WEIGHTS, roomSpec } from './rooms.js';
import { Rng, STREAM } from './rng.js';
import { sampleSurfaces, surfaceBounds } from './sample.js';
import type { SceneSolid, SynthSurface, Vec3 } from './shape.js';
import type { SynthObject } from './world.js';

/** Options of `generateScene`; only `seed` is required. */
export interface SynthOptions {
  /** Any integer (up to 2^53); the same seed always gives the same scene. */
  seed: number;
  /** Surface sampling density before occlusion (points per m²); default 1000. */
  pointsPerM2?: number;
  /** Room type; default drawn from the seed. */
  roomType?: RoomType;
  /** Gaussian position noise, standard deviation per axis in metres; default 0.005. */
  noise?: number;
  /** Whether the room has a ceiling; default drawn from the seed (p = 0.5). */
  ceiling?: boolean;
  /** Also return `cloud.properties.surface`, each point's index into `surfaces`. */
  surfaceIds?: boolean;
}

/** An axis-aligned instance box. */
export interface SynthBox {
  /** Train id of the instance's class. */
  label: number;
  instance: number;
  center: Vec3;
  size: Vec3;
}

/** A generated scene. */
export interface SynthScene {
  /** `synth_<roomType>_<seed>`. */
  name: string;
  seed: number;
  roomType: RoomType;
  /** labels = train ids of datasets/synthetic.json; instances = instance id or -1 for wall/floor/ceiling. */
  cloud: PointCloud;
  /** One box per sampled instance of a detection class (bounds of its surfaces). */
  boxes: SynthBox[];
  /** Room interior; every surface lies inside it. */
  room: { min: Vec3; max: Vec3 };
  /** The parametric surfaces the cloud was sampled from (for renderers and virtual cameras). */
  surfaces: SynthSurface[];
  /** The solids that hid contact faces during sampling. */
  solids: SceneSolid[];
  /** Every object instance (index = instance id) with its class and model name. */
  objects: SynthObject[];
}

/** Default sampling density (points per m²). */
export const DEFAULT_POINTS_PER_M2 = 1000;
/** Default position noise (metres). */
export const DEFAULT_NOISE = 0.005;

function validate(o: SynthOptions): void {
  if (!Number.isSafeInteger(o.seed))
    throw new Error(`synthetic scene: seed must be an integer, got ${o.seed}`);
  if (o.pointsPerM2 !== undefined && !(o.pointsPerM2 > 0 && Number.isFinite(o.pointsPerM2))) {
    throw new Error(`synthetic scene: pointsPerM2 must be a positive number, got ${o.pointsPerM2}`);
  }
  if (o.noise !== undefined && !(o.noise >= 0 && Number.isFinite(o.noise))) {
    throw new Error(`synthetic scene: noise must be a non-negative number, got ${o.noise}`);
  }
  if (o.roomType !== undefined && !ROOM_TYPES.includes(o.roomType)) {
    throw new Error(`synthetic scene: roomType must be one of ${ROOM_TYPES.join(', ')}, got '${o.roomType}'`);
  }
}

/** Instance boxes: bounds of each detection-class instance's surfaces, for instances with ≥ 1 point. */
function instanceBoxes(
  surfaces: readonly SynthSurface[],
  objects: readonly SynthObject[],
  cloud: PointCloud,
): SynthBox[] {
  const n = objects.length;
  const lo = new Float64Array(3 * n).fill(Infinity);
  const hi = new Float64Array(3 * n).fill(-Infinity);
  for (const s of surfaces) {
    if (s.instance < 0) continue;
    const b = surfaceBounds(s);
    for (let k = 0; k < 3; k++) {
      lo[3 * s.instance + k] = Math.min(lo[3 * s.instance + k], b[k]);
      hi[3 * s.instance + k] = Math.max(hi[3 * s.instance + k], b[k + 3]);
    }
  }
  const counts = new Int32Array(n);
  for (const i of cloud.instances!) if (i >= 0) counts[i]++;
  const boxes: SynthBox[] = [];
  for (const o of objects) {
    const i = o.instance;
    if (!SYNTH_LABEL_MAP.classes[o.label].detection || counts[i] === 0) continue;
    const c: Vec3 = [0, 0, 0];
    const sz: Vec3 = [0, 0, 0];
    for (let k = 0; k < 3; k++) {
      c[k] = (lo[3 * i + k] + hi[3 * i + k]) / 2;
      sz[k] = hi[3 * i + k] - lo[3 * i + k];
    }
    boxes.push({ label: o.label, instance: i, center: c, size: sz });
  }
  return boxes;
}

/** Generates one synthetic room; the layout depends only on seed and roomType (not density, noise or ceiling). */
export function generateScene(opts: SynthOptions): SynthScene {
  validate(opts);
  const seed = opts.seed;
  const rng = new Rng(seed, STREAM.layout);
  // Always draw both, so overriding one does not change the rest of the layout.
  const drawnType = rng.weighted(ROOM_WEIGHTS);
  const drawnCeiling = rng.chance(0.5);
  const roomType = opts.roomType ?? drawnType;
  const ceiling = opts.ceiling ?? drawnCeiling;
  const spec = roomSpec(rng, roomType, ceiling);
  const { world, walls } = buildRoom(rng, spec);
  const ctx: Ctx = { world, rng, walls, supports: [] };
  FURNISH[roomType](ctx);

  const lrng = new Rng(seed, STREAM.light);
  const phi = lrng.range(0, 2 * Math.PI);
  const cloud = sampleSurfaces(world.surfaces, world.solids, {
    pointsPerM2: opts.pointsPerM2 ?? DEFAULT_POINTS_PER_M2,
    noise: opts.noise ?? DEFAULT_NOISE,
    seed,
    light: [Math.cos(phi) * 0.5, Math.sin(phi) * 0.5, 1],
    exposure: lrng.range(0.85, 1.08),
    surfaceIds: opts.surfaceIds,
  });
  return {
    name: `synth_${roomType}_${seed}`,
    seed,
    roomType,
    cloud,
    boxes: instanceBoxes(world.surfaces, world.objects, cloud),
    room: { min: [0, 0, 0], max: [world.width, world.depth, world.height] },
    surfaces: world.surfaces,
    solids: world.solids,
    objects: world.objects,
  };
}
