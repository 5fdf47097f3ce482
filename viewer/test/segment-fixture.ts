/**
 * A tiny segmentation run for the in-browser segmentation tests: `data prepare scannet` +
 * `finetune seg` for 3 steps on ../shared/data ScanNet scene0000_00, a 10k-point subset of
 * scene0000_01 (every 8th point; for the software GPU backends and the JS cpu backend), and
 * `predict`'s PLY for the full scan and the subset, the oracle of every agreement check.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePointCloud, writePly } from '../../src/data/formats/index.js';
import type { PointCloud } from '../../src/geometry/point-cloud.js';
import { requireShared } from '../../test/helpers/requires.js';
import { cliOk as cli } from '../../test/helpers/cli.js';

export const SHARED = join(import.meta.dirname, '../../../shared/data/scannet');
export const SCAN = join(SHARED, 'scans/scene0000_01/scene0000_01_vh_clean_2.ply');
/** False when the shared scan exists, else the reason to skip. */
export const SKIP_DATA: false | string = requireShared(SCAN);

/** The run, the subset file, and predict's output per input file. */
export interface SegmentFixture {
  run: string;
  subset: string;
  /** predict's PLY (parsed) per input path: SCAN and the subset. */
  predicted: Map<string, PointCloud>;
  /** predict's index.json scene entries, in input order. */
  files: string[];
}

/** Prepares the ScanNet fixture in `tmp/prep` and trains a 3-step segmentation checkpoint into `run`. */
export function trainFixtureCheckpoint(tmp: string, run: string): void {
  cli('data', 'prepare', 'scannet', '--root', SHARED, '--out', join(tmp, 'prep'), '--val', 'scene0000_01');
  cli(
    'finetune',
    'seg',
    '--config',
    new URL('../../configs/finetune/scannet-fixture.yaml', import.meta.url).pathname,
    '--data',
    join(tmp, 'prep'),
    '--out',
    run,
    '--max-steps',
    '3',
    '--set',
    'data.loader.workers=0',
    '--json',
  );
}

/** Trains the tiny checkpoint in `tmp/run` and predicts SCAN and its subset into `tmp/pred`. */
export function makeSegmentFixture(tmp: string): SegmentFixture {
  const run = join(tmp, 'run');
  trainFixtureCheckpoint(tmp, run);
  const subset = join(tmp, 'scene0000_01_every8th.ply');
  const full = parsePointCloud(readFileSync(SCAN), SCAN);
  const n = full.positions.length / 3;
  const keep = Array.from({ length: Math.ceil(n / 8) }, (_, i) => i * 8);
  const positions = new Float32Array(keep.length * 3);
  const colors = new Uint8Array(keep.length * 3);
  keep.forEach((p, i) => {
    positions.set(full.positions.subarray(p * 3, p * 3 + 3), i * 3);
    colors.set(full.colors!.subarray(p * 3, p * 3 + 3), i * 3);
  });
  writeFileSync(subset, writePly({ positions, colors }));
  const out = join(tmp, 'pred');
  cli('predict', '--checkpoint', run, '--input', SCAN, '--input', subset, '--out', out, '--json');
  const index = JSON.parse(readFileSync(join(out, 'index.json'), 'utf8')) as { scenes: { file: string }[] };
  const predicted = new Map<string, PointCloud>();
  [SCAN, subset].forEach((file, i) =>
    predicted.set(file, parsePointCloud(readFileSync(join(out, index.scenes[i].file)), index.scenes[i].file)),
  );
  return { run, subset, predicted, files: index.scenes.map((s) => s.file) };
}

/** Share of points whose label equals predict's. */
export function agreement(pred: ArrayLike<number>, want: ArrayLike<number>): number {
  assert.equal(pred.length, want.length, 'one label per point of the file');
  let same = 0;
  for (let i = 0; i < pred.length; i++) if (pred[i] === want[i]) same++;
  return same / pred.length;
}
