/**
 * The label-free structure check on a built room whose classes are known by construction: a
 * tilted floor, four walls, a table in the middle and a cabinet against a wall. The oracle must
 * find the planes, its sets must agree with the construction, and the scores must be the
 * hand-counted rates of a few predictions. `evaluate structure` reads predictions folders, scores
 * each and summarises the seeds of a run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { predictedShares, structureOracle, structureScores } from '../../src/eval/structure-check.js';
import { predictionPly, readPredictionPly } from '../../src/tasks/segment/prediction-cloud.js';
import { writePly } from '../../src/data/formats/index.js';
import type { PredictionsIndex } from '../../src/core/viewer-contract.js';

const CLASSES = ['wall', 'floor', 'cabinet', 'table', 'curtain'];
const [WALL, FLOOR, CABINET, TABLE, CURTAIN] = [0, 1, 2, 3, 4];

/** A 4 m × 3 m room (x ∈ [−2, 2], y ∈ [−1.5, 1.5]), floor z = 0.01·x, walls 2.4 m high, 5 cm spacing. */
function room() {
  const p: number[] = [];
  const gt: number[] = [];
  const add = (x: number, y: number, z: number, c: number) => {
    p.push(x, y, z);
    gt.push(c);
  };
  const s = 0.05;
  for (let x = -2 + s; x < 2 - s / 2; x += s)
    for (let y = -1.5 + s; y < 1.5 - s / 2; y += s) add(x, y, 0.01 * x, FLOOR);
  for (let z = 0; z <= 2.4; z += s) {
    for (let x = -2; x <= 2 + 1e-9; x += s) {
      add(x, -1.5, z + 0.01 * x, WALL);
      add(x, 1.5, z + 0.01 * x, WALL);
    }
    for (let y = -1.5 + s; y < 1.5 - s / 2; y += s) {
      add(-2, y, z - 0.02, WALL);
      add(2, y, z + 0.02, WALL);
    }
  }
  // a table top (0.8 m × 0.8 m at 0.75 m) in the middle
  for (let x = -0.4; x <= 0.4 + 1e-9; x += s)
    for (let y = -0.4; y <= 0.4 + 1e-9; y += s) add(x, y, 0.75, TABLE);
  // a cabinet front 0.4 m off the +y wall (x ∈ [−1.6, −1.0], 0.3–1.2 m)
  for (let x = -1.6; x <= -1.0 + 1e-9; x += s)
    for (let z = 0.3; z <= 1.2 + 1e-9; z += s) add(x, 1.1, z, CABINET);
  return { positions: new Float32Array(p), gt: Int16Array.from(gt) };
}

test('the oracle finds the floor plane and the four wall planes of a built room', () => {
  const { positions, gt } = room();
  const o = structureOracle(positions);
  assert.ok(Math.abs(o.floorPlane[0] - 0.01) < 1e-4, `floor slope x ${o.floorPlane[0]}`);
  assert.ok(Math.abs(o.floorPlane[1]) < 1e-4, `floor slope y ${o.floorPlane[1]}`);
  assert.ok(Math.abs(o.floorPlane[2]) < 1e-4, `floor offset ${o.floorPlane[2]}`);
  assert.ok(
    Math.abs(o.wallPlanes.x[0] + 2) <= 0.01 && Math.abs(o.wallPlanes.x[1] - 2) <= 0.01,
    `x walls ${o.wallPlanes.x}`,
  );
  assert.ok(
    Math.abs(o.wallPlanes.y[0] + 1.5) <= 0.01 && Math.abs(o.wallPlanes.y[1] - 1.5) <= 0.01,
    `y walls ${o.wallPlanes.y}`,
  );
  // every set agrees with the construction
  for (let i = 0; i < gt.length; i++) {
    if (o.floor[i]) assert.equal(gt[i], FLOOR, `floor point ${i}`);
    if (o.aboveFloor[i]) assert.notEqual(gt[i], FLOOR, `above-floor point ${i}`);
    if (o.onWalls[i]) assert.equal(gt[i], WALL, `wall point ${i}`);
    if (o.inside[i]) assert.equal(gt[i], TABLE, `inside point ${i}`);
  }
  const count = (a: Uint8Array) => a.reduce((s, v) => s + v, 0);
  const floorPoints = gt.filter((c) => c === FLOOR).length;
  // the floor's points away from the walls all count (normals near the walls tilt)
  assert.ok(count(o.floor) > 0.9 * floorPoints, `${count(o.floor)} of ${floorPoints} floor points`);
  // the table is the only thing inside; the cabinet is 0.4 m from its wall, inside the margin
  assert.equal(count(o.inside), gt.filter((c) => c === TABLE).length);
});

test('scores: the construction scores perfectly, hand-counted rates for wrong predictions', () => {
  const { positions, gt } = room();
  const o = structureOracle(positions);
  const perfect = structureScores(o, gt, CLASSES);
  assert.deepEqual(
    [
      perfect.floorIoU,
      perfect.floorRecall,
      perfect.falseFloor,
      perfect.wallsAsWallLike,
      perfect.insideAsWall,
    ],
    [100, 100, 0, 100, 0],
  );
  const n = gt.length;
  const idx = (set: Uint8Array) => [...set.keys()].filter((i) => set[i]);
  const floorIdx = idx(o.floor);
  const insideIdx = idx(o.inside);
  const wallIdx = idx(o.onWalls);
  // half the floor missed (as cabinet), 30 table points called floor, the inside called wall,
  // a quarter of the walls called curtain (wall-like) and a fifth cabinet
  const pred = Int16Array.from(gt);
  const half = Math.floor(floorIdx.length / 2);
  for (const i of floorIdx.slice(0, half)) pred[i] = CABINET;
  for (const i of insideIdx.slice(0, 30)) pred[i] = FLOOR;
  for (const i of insideIdx.slice(30)) pred[i] = WALL;
  const quarter = Math.floor(wallIdx.length / 4);
  const fifth = Math.floor(wallIdx.length / 5);
  for (const i of wallIdx.slice(0, quarter)) pred[i] = CURTAIN;
  for (const i of wallIdx.slice(quarter, quarter + fifth)) pred[i] = CABINET;
  const s = structureScores(o, pred, CLASSES);
  const tp = floorIdx.length - half;
  const close = (a: number, b: number, what: string) =>
    assert.ok(Math.abs(a - b) < 1e-9, `${what}: ${a} vs ${b}`);
  close(s.floorIoU, (100 * tp) / (floorIdx.length + 30), 'floor IoU');
  close(s.floorRecall, (100 * tp) / floorIdx.length, 'floor recall');
  close(s.falseFloor, (100 * 30) / s.counts.aboveFloor, 'false floor');
  close(s.wallsAsWallLike, (100 * (wallIdx.length - fifth)) / wallIdx.length, 'walls as wall-like');
  close(s.insideAsWall, (100 * (insideIdx.length - 30)) / insideIdx.length, 'inside as wall');
  assert.equal(s.counts.floor, floorIdx.length);
  assert.throws(() => structureScores(o, new Int16Array(n - 1), CLASSES), /predictions for/);
  assert.throws(() => structureScores(o, gt, ['a', 'b']), /'floor' and 'wall'/);
});

const MAIN = new URL('../../src/cli/main.ts', import.meta.url).pathname;

/** A predictions folder as `predict` writes it: index.json and one PLY, `pred` per point. */
function writeFolder(dir: string, positions: Float32Array, pred: Int16Array) {
  mkdirSync(dir, { recursive: true });
  const n = pred.length;
  const cloud = { positions };
  writeFileSync(
    join(dir, 'room.ply'),
    predictionPly('room.ply', cloud, {
      pred: Int32Array.from(pred),
      confidence: new Float32Array(n).fill(1),
    }),
  );
  const index: PredictionsIndex = {
    format: 'pointcontrast-predictions',
    version: 1,
    ignoreLabel: -1,
    classes: CLASSES.map((name, id) => ({ id, name, color: [id, id, id] })),
    scenes: [{ name: 'room.ply', file: 'room.ply', points: n }],
  };
  writeFileSync(join(dir, 'index.json'), JSON.stringify(index));
}

test('predicted shares: per class over every point, largest first, unpredicted classes and negatives left out', () => {
  const names = ['wall', 'floor', 'chair', 'table'];
  // 8 points: wall 4, chair 2, floor 1, one unlabelled (-1)
  const shares = predictedShares([0, 0, 2, 0, 1, 2, 0, -1], names);
  assert.deepEqual(Object.keys(shares), ['wall', 'chair', 'floor']);
  assert.deepEqual(Object.values(shares), [50, 25, 12.5]);
});

test('evaluate structure: each folder scored as structureScores scores it, the seeds of a run summarised', () => {
  const { positions, gt } = room();
  const o = structureOracle(positions);
  const tmp = mkdtempSync(join(tmpdir(), 'pc-structure-'));
  try {
    // seed 0 is the construction; seed 1 calls the whole floor cabinet
    const wrong = Int16Array.from(gt, (c) => (c === FLOOR ? CABINET : c));
    writeFolder(join(tmp, 'run-s0'), positions, gt);
    writeFolder(join(tmp, 'run-s1'), positions, wrong);
    const read = readPredictionPly(
      predictionPly(
        'x',
        { positions },
        { pred: Int32Array.from(wrong), confidence: new Float32Array(gt.length) },
      ),
      'x',
    );
    assert.deepEqual(read.pred, Int32Array.from(wrong));
    assert.deepEqual(read.positions, positions);
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', MAIN, 'evaluate', 'structure', join(tmp, 'run-s0'), join(tmp, 'run-s1'), '--json'],
      { encoding: 'utf8', env: { ...process.env, POINTCONTRAST_QUIET: '1' } },
    );
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as {
      rows: { scores: { floorIoU: number; insideAsWall: number }; classShares: Record<string, number> }[];
      summary: { group: string; runs: number; scores: { floorIoU: { mean: number; std: number } } }[];
      oracle: { counts: { floor: number } }[];
    };
    assert.equal(out.rows[0].scores.floorIoU, structureScores(o, gt, CLASSES).floorIoU);
    assert.equal(out.rows[1].scores.floorIoU, structureScores(o, wrong, CLASSES).floorIoU);
    assert.deepEqual([out.rows[0].scores.floorIoU, out.rows[1].scores.floorIoU], [100, 0]);
    assert.deepEqual(out.rows[1].classShares, predictedShares(wrong, CLASSES));
    assert.equal(out.summary.length, 1);
    assert.equal(out.summary[0].group, 'run');
    assert.equal(out.summary[0].runs, 2);
    assert.equal(out.summary[0].scores.floorIoU.mean, 50);
    assert.ok(Math.abs(out.summary[0].scores.floorIoU.std - Math.sqrt(5000)) < 1e-9);
    assert.equal(
      out.oracle[0].counts.floor,
      o.floor.reduce((a, b) => a + b, 0),
    );
    // a folder without index.json is named
    const bad = spawnSync(process.execPath, ['--import', 'tsx', MAIN, 'evaluate', 'structure', tmp], {
      encoding: 'utf8',
      env: { ...process.env, POINTCONTRAST_QUIET: '1' },
    });
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, new RegExp(`${join(tmp, 'index.json')}: .*expected a predictions folder`));
    // a PLY of points without `pred` is named, with the property it lacks
    assert.throws(
      () => readPredictionPly(writePly({ positions }), 'f.ply'),
      /f\.ply: not a prediction PLY \(no vertex property 'pred'\)/,
    );
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
