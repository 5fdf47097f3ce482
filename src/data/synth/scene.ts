/**
 * `generateScene`: one synthetic indoor room (shell, furniture, clutter) sampled into a labelled
 * point cloud with instance boxes, plus its parametric surfaces for renderers. Deterministic per seed.
 */
import type { PointCloud } from '../../geometry/point-cloud.js';
import { ROOM_TYPES, SYNTH_LABEL_MAP, type RoomType } from './classes.js';
import type { Ctx } from './groups.js';
import { buildRoom } from './room.js';
import { FURNISH, ROOM_WEIGHTS, roomSpec } from './rooms.js';
import { Rng } from '../../core/rng.js';
import { STREAM } from './streams.js';
import { sampleWithBounds } from './sample.js';
import { captureCloud } from './capture.js';
import type { ScannerOptions } from './scanner.js';
import type { SceneSolid, SynthSurface, Vec3 } from './shape.js';
import type { SynthObject } from './world.js';

/** Options of `generateScene`; only `seed` is required. */
export interface SynthOptions {
  /** Any non-negative integer (up to 2^53); the same seed always gives the same scene. */
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
  /**
   * Keep only what a virtual person-height walk-around capture sees (`true` for the defaults of
   * `ScannerOptions`); off by default. Boxes then bound the seen points.
   */
  scanner?: boolean | ScannerOptions;
  /** Thin to this minimum point spacing in metres, like the vertices of a decimated mesh; off by default. */
  minSpacing?: number;
  /**
   * Furniture of scanned homes the plain recipes lack: L-shaped sectional sofas, curtains along
   * walls away from windows, more clutter on every support; off by default (the layout of a seed
   * then differs from the plain one).
   */
  variety?: boolean;
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
  /** `synth_<seed>`, the seed zero-padded to 5 digits (names sort by seed). */
  name: string;
  seed: number;
  roomType: RoomType;
  /** labels = train ids of datasets/synthetic.json; instances = instance id or -1 for wall/floor/ceiling. */
  cloud: PointCloud;
  /** One box per sampled instance of a detection class: bounds of its points before noise. */
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

/** Name of the scene of `seed`: `synth_00042`. */
export function synthSceneName(seed: number): string {
  return `synth_${String(seed).padStart(5, '0')}`;
}

/** Default sampling density (points per m²). */
export const DEFAULT_POINTS_PER_M2 = 1000;
/** Default position noise (metres). */
export const DEFAULT_NOISE = 0.005;

function validate(o: SynthOptions): void {
  if (!Number.isSafeInteger(o.seed) || o.seed < 0) {
    throw new Error(`synthetic scene: seed must be a non-negative integer, got ${o.seed}`);
  }
  if (o.pointsPerM2 !== undefined && !(o.pointsPerM2 > 0 && Number.isFinite(o.pointsPerM2))) {
    throw new Error(`synthetic scene: pointsPerM2 must be a positive number, got ${o.pointsPerM2}`);
  }
  if (o.noise !== undefined && !(o.noise >= 0 && Number.isFinite(o.noise))) {
    throw new Error(`synthetic scene: noise must be a non-negative number, got ${o.noise}`);
  }
  if (o.minSpacing !== undefined && !(o.minSpacing >= 0 && Number.isFinite(o.minSpacing))) {
    throw new Error(`synthetic scene: minSpacing must be a non-negative number, got ${o.minSpacing}`);
  }
  if (o.roomType !== undefined && !ROOM_TYPES.includes(o.roomType)) {
    throw new Error(`synthetic scene: roomType must be one of ${ROOM_TYPES.join(', ')}, got '${o.roomType}'`);
  }
}

/**
 * Instance boxes: for each instance of a detection class that got points, the axis-aligned bounds
 * of its points before noise (boxes from the annotated points, as ScanNet/VoteNet build them).
 */
function instanceBoxes(objects: readonly SynthObject[], bounds: Float64Array): SynthBox[] {
  const boxes: SynthBox[] = [];
  for (const o of objects) {
    const b = 6 * o.instance;
    if (
      !SYNTH_LABEL_MAP.classes[o.label].detection ||
      o.instance * 6 >= bounds.length ||
      !(bounds[b] <= bounds[b + 3])
    )
      continue;
    const center: Vec3 = [0, 0, 0];
    const size: Vec3 = [0, 0, 0];
    for (let k = 0; k < 3; k++) {
      // Rounded through float32 like the point coordinates, so a box contains its points exactly.
      const lo = Math.fround(bounds[b + k]);
      const hi = Math.fround(bounds[b + k + 3]);
      center[k] = (lo + hi) / 2;
      size[k] = hi - lo;
    }
    boxes.push({ label: o.label, instance: o.instance, center, size });
  }
  return boxes;
}

/** Generates one synthetic room; the layout depends only on seed and roomType (not density, noise or ceiling). */
export function generateScene(opts: SynthOptions): SynthScene {
  validate(opts);
  const seed = opts.seed;
  const rng = Rng.stream(seed, STREAM.layout);
  // Always draw both, so overriding one does not change the rest of the layout.
  const drawnType = rng.weighted(ROOM_WEIGHTS);
  const drawnCeiling = rng.chance(0.5);
  const roomType = opts.roomType ?? drawnType;
  const ceiling = opts.ceiling ?? drawnCeiling;
  const spec = roomSpec(rng, roomType, ceiling);
  const { world, walls } = buildRoom(rng, spec);
  const ctx: Ctx = { world, rng, walls, supports: [], variety: opts.variety === true };
  FURNISH[roomType](ctx);

  const lrng = Rng.stream(seed, STREAM.light);
  const phi = lrng.uniform(0, 2 * Math.PI);
  const noise = opts.noise ?? DEFAULT_NOISE;
  const captured = Boolean(opts.scanner) || Boolean(opts.minSpacing);
  const sampled = sampleWithBounds(world.surfaces, world.solids, {
    pointsPerM2: opts.pointsPerM2 ?? DEFAULT_POINTS_PER_M2,
    // a capture sees and thins the clean surfaces, then adds the noise itself
    noise: captured ? 0 : noise,
    seed,
    light: [Math.cos(phi) * 0.5, Math.sin(phi) * 0.5, 1],
    exposure: lrng.uniform(0.85, 1.08),
    surfaceIds: opts.surfaceIds,
  });
  const room = { min: [0, 0, 0] as Vec3, max: [world.width, world.depth, world.height] as Vec3 };
  const { cloud, instanceBounds } = captured
    ? captureCloud(sampled, world.surfaces, room, {
        scanner: opts.scanner === true ? {} : opts.scanner || undefined,
        minSpacing: opts.minSpacing,
        noise,
        seed,
      })
    : sampled;
  return {
    name: synthSceneName(seed),
    seed,
    roomType,
    cloud,
    boxes: instanceBoxes(world.objects, instanceBounds),
    room,
    surfaces: world.surfaces,
    solids: world.solids,
    objects: world.objects,
  };
}
