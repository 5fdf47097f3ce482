/**
 * A synthetic dataset as files (platform-free): one binary PLY per scene (x y z, normals, colour,
 * label = train id, instance) and a scenes.json index with every scene's room and boxes.
 */
import { writePly } from '../formats/ply-write.js';
import { SYNTH_LABEL_MAP, type RoomType } from './classes.js';
import {
  DEFAULT_NOISE,
  DEFAULT_POINTS_PER_M2,
  generateScene,
  type SynthBox,
  type SynthScene,
} from './scene.js';
import type { Vec3 } from './shape.js';

/** What `pointcontrast data synth` generates. */
export interface SynthDatasetOptions {
  /** Number of scenes; scene i uses seed `seed + i`. */
  scenes: number;
  seed?: number;
  pointsPerM2?: number;
  noise?: number;
  roomType?: RoomType;
  /** `generateScene` scan-like options (off by default; recorded in scenes.json only when on). */
  scanner?: boolean;
  minSpacing?: number;
  /** `generateScene` variety (off by default; recorded in scenes.json only when on). */
  variety?: boolean;
}

/** One scene's entry in scenes.json. */
export interface SynthIndexEntry {
  name: string;
  /** File name relative to the output folder. */
  file: string;
  seed: number;
  roomType: RoomType;
  points: number;
  room: { min: Vec3; max: Vec3 };
  boxes: SynthBox[];
}

/** The scenes.json index. */
export interface SynthIndex {
  format: 'pointcontrast-synth';
  version: 1;
  /** Label map name (datasets/synthetic.json); labels in the PLYs are its train ids. */
  labelMap: string;
  classes: string[];
  options: Required<Omit<SynthDatasetOptions, 'roomType' | 'scanner' | 'minSpacing' | 'variety'>> & {
    roomType: RoomType | null;
    scanner?: boolean;
    minSpacing?: number;
    variety?: boolean;
  };
  scenes: SynthIndexEntry[];
}

/** Encodes a scene as a binary little-endian PLY with its generator settings in header comments. */
export function synthScenePly(scene: SynthScene): Uint8Array {
  return writePly(scene.cloud, {
    comments: [
      `pointcontrast synthetic scene ${scene.name}`,
      `seed ${scene.seed} roomType ${scene.roomType}`,
      `label = train id of datasets/synthetic.json; instance = -1 for wall/floor/ceiling`,
    ],
  });
}

function checkOptions(
  o: SynthDatasetOptions,
): Required<Omit<SynthDatasetOptions, 'roomType' | 'scanner' | 'minSpacing' | 'variety'>> {
  if (!Number.isInteger(o.scenes) || o.scenes < 1)
    throw new Error(`scenes: expected an integer ≥ 1, got ${o.scenes}`);
  const seed = o.seed ?? 0;
  if (!Number.isSafeInteger(seed) || seed < 0)
    throw new Error(`seed: expected an integer ≥ 0, got ${o.seed}`);
  return {
    scenes: o.scenes,
    seed,
    pointsPerM2: o.pointsPerM2 ?? DEFAULT_POINTS_PER_M2,
    noise: o.noise ?? DEFAULT_NOISE,
  };
}

/** The scan-like and variety options that are on (none by default, so default outputs stay as they were). */
function scanOptions(o: SynthDatasetOptions): { scanner?: boolean; minSpacing?: number; variety?: boolean } {
  return {
    ...(o.scanner ? { scanner: true } : {}),
    ...(o.minSpacing ? { minSpacing: o.minSpacing } : {}),
    ...(o.variety ? { variety: true } : {}),
  };
}

/**
 * Generates the dataset scene by scene: `write(file, bytes)` is called for each PLY, then once
 * for scenes.json (so a caller writing atomically never leaves an index pointing at missing files).
 */
export function writeSynthDataset(
  opts: SynthDatasetOptions,
  write: (file: string, bytes: Uint8Array | string) => void,
  onProgress?: (done: number, total: number, points: number) => void,
): SynthIndex {
  const o = checkOptions(opts);
  const scenes: SynthIndexEntry[] = [];
  for (let i = 0; i < o.scenes; i++) {
    const scene = generateScene({
      seed: o.seed + i,
      pointsPerM2: o.pointsPerM2,
      noise: o.noise,
      roomType: opts.roomType,
      ...scanOptions(opts),
    });
    const file = `${scene.name}.ply`;
    write(file, synthScenePly(scene));
    const points = scene.cloud.positions.length / 3;
    scenes.push({
      name: scene.name,
      file,
      seed: scene.seed,
      roomType: scene.roomType,
      points,
      room: scene.room,
      boxes: scene.boxes,
    });
    onProgress?.(i + 1, o.scenes, points);
  }
  const index: SynthIndex = {
    format: 'pointcontrast-synth',
    version: 1,
    labelMap: SYNTH_LABEL_MAP.name,
    classes: SYNTH_LABEL_MAP.classes.map((c) => c.name),
    options: { ...o, roomType: opts.roomType ?? null, ...scanOptions(opts) },
    scenes,
  };
  write('scenes.json', `${JSON.stringify(index, null, 2)}\n`);
  return index;
}
