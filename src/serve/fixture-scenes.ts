/**
 * Small, exactly known prediction folders (index.json + PLY per scene, the prediction writer's
 * layout) for the viewer's browser tests and load-time benchmark: a floor, a wall, a chair that is
 * half mispredicted as table, a table, and ignored clutter, with boxes.
 */
import { join } from 'node:path';
import { Rng } from '../core/rng.js';
import type { PointCloud } from '../geometry/point-cloud.js';
import { writePly } from '../data/formats/index.js';
import { writeFileAtomic, writeJsonAtomic } from '../data/io/atomic-write.js';
import {
  PREDICTIONS_INDEX,
  type Box,
  type ClassInfo,
  type PredictionsIndex,
  type SceneEntry,
} from '../core/viewer-contract.js';

/** Classes of the fixture (scannet20 ids and colours; ids are sparse on purpose: 0 1 4 5 6). */
export const FIXTURE_CLASSES: ClassInfo[] = [
  { id: 0, name: 'wall', color: [174, 199, 232] },
  { id: 1, name: 'floor', color: [152, 223, 138] },
  { id: 4, name: 'chair', color: [188, 189, 34] },
  { id: 5, name: 'sofa', color: [140, 86, 75] },
  { id: 6, name: 'table', color: [255, 152, 150] },
];

type Vec3 = [number, number, number];

/** One block of the fixture: where its points are and what they are. */
export interface FixtureBlock {
  name: string;
  /** Share of the scene's points. */
  share: number;
  min: Vec3;
  max: Vec3;
  gt: number;
  /** Predicted class; a block with `wrongBelowX` is predicted `wrongAs` where x < wrongBelowX. */
  pred: number;
  wrongBelowX?: number;
  wrongAs?: number;
  rgb: Vec3;
  instance: number;
}

/** One block as a row of the table below (the chair adds its wrong half). */
type BlockRow = [
  name: string,
  share: number,
  min: Vec3,
  max: Vec3,
  gt: number,
  pred: number,
  rgb: Vec3,
  instance: number,
  wrong?: Pick<FixtureBlock, 'wrongBelowX' | 'wrongAs'>,
];

const BLOCK_ROWS: BlockRow[] = [
  // name, share, min, max, gt, pred, rgb, instance[, wrong]
  ['floor', 0.4, [0, 0, 0], [6, 4, 0.01], 1, 1, [120, 100, 80], 0],
  ['wall', 0.2, [0, 3.95, 0], [6, 4, 2.5], 0, 0, [200, 200, 190], 1],
  ['chair', 0.15, [1, 1, 0], [2, 2, 1], 4, 4, [30, 60, 200], 2, { wrongBelowX: 1.5, wrongAs: 6 }],
  ['table', 0.15, [3.5, 1, 0], [5, 2.5, 0.8], 6, 6, [150, 90, 40], 3],
  ['clutter', 0.1, [5.2, 0.2, 0], [5.8, 0.8, 0.5], -1, 5, [90, 160, 90], -1],
];

/** The blocks, in point order before shuffling (x 0..6 m, y 0..4 m, z up). */
export const FIXTURE_BLOCKS: FixtureBlock[] = BLOCK_ROWS.map(
  ([name, share, min, max, gt, pred, rgb, instance, wrong]) => ({
    name,
    share,
    min,
    max,
    gt,
    pred,
    ...wrong,
    rgb,
    instance,
  }),
);

function rng(seed: number): () => number {
  return new Rng(seed).rand();
}

/** The points of a fixture scene (block by block, uniformly inside each block). */
export function fixtureCloud(points: number, seed = 1): PointCloud {
  const rand = rng(seed);
  const positions = new Float32Array(points * 3);
  const colors = new Uint8Array(points * 3);
  const pred = new Int16Array(points);
  const gt = new Int16Array(points);
  const confidence = new Float32Array(points);
  const curvature = new Float32Array(points);
  const instances = new Int32Array(points);
  let i = 0;
  FIXTURE_BLOCKS.forEach((b, k) => {
    const end = k === FIXTURE_BLOCKS.length - 1 ? points : Math.min(points, i + Math.round(b.share * points));
    for (; i < end; i++) {
      const p = [0, 1, 2].map((d) => b.min[d] + rand() * (b.max[d] - b.min[d]));
      positions.set(p, i * 3);
      colors.set(b.rgb, i * 3);
      gt[i] = b.gt;
      const wrong = b.wrongBelowX !== undefined && p[0] < b.wrongBelowX;
      pred[i] = wrong ? (b.wrongAs ?? b.pred) : b.pred;
      confidence[i] = wrong ? 0.3 + 0.2 * rand() : 0.6 + 0.4 * rand();
      curvature[i] = p[2] * 0.1;
      instances[i] = b.instance;
    }
  });
  return { positions, colors, instances, properties: { pred, confidence, gt, curvature } };
}

/** Boxes of the chair and table (gt), their predictions and one low-score false positive. */
export function fixtureBoxes(): { gt: Box[]; pred: Box[] } {
  const box = (b: FixtureBlock): Pick<Box, 'center' | 'size'> => ({
    center: [0, 1, 2].map((d) => (b.min[d] + b.max[d]) / 2) as Vec3,
    size: [0, 1, 2].map((d) => b.max[d] - b.min[d]) as Vec3,
  });
  const chair = FIXTURE_BLOCKS[2];
  const table = FIXTURE_BLOCKS[3];
  return {
    gt: [
      { label: 4, ...box(chair) },
      { label: 6, ...box(table) },
    ],
    pred: [
      { label: 4, score: 0.87, center: [1.55, 1.5, 0.5], size: [1.1, 1, 1] },
      { label: 6, score: 0.95, ...box(table) },
      { label: 5, score: 0.2, center: [5.5, 0.5, 0.25], size: [0.6, 0.6, 0.5] },
    ],
  };
}

/** Writes a predictions folder with one fixture scene per entry of `scenes`; returns its index. */
export function writeFixturePredictions(
  dir: string,
  scenes: { name: string; points: number; seed?: number; boxes?: boolean }[],
): PredictionsIndex {
  const entries: SceneEntry[] = scenes.map((s) => {
    const file = `${s.name}.ply`;
    writeFileAtomic(
      join(dir, file),
      writePly(fixtureCloud(s.points, s.seed ?? 1), { comments: ['pointcontrast viewer fixture'] }),
    );
    const entry: SceneEntry = { name: s.name, file, points: s.points };
    if (s.boxes) entry.boxes = fixtureBoxes();
    return entry;
  });
  const index: PredictionsIndex = {
    format: 'pointcontrast-predictions',
    version: 1,
    labelSet: 'fixture',
    ignoreLabel: -1,
    classes: FIXTURE_CLASSES,
    scenes: entries,
  };
  writeJsonAtomic(join(dir, PREDICTIONS_INDEX), index);
  return index;
}
