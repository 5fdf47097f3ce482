// ply-folder: the user's own .ply/.pcd scans with a class list; split subfolders; unlabelled mode.
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writePcd, writePly } from '../../../src/data/formats/index.js';
import { plyFolderDriver, sceneNameOf } from '../../../src/data/datasets/ply-folder.js';
import { prepareDataset } from '../../../src/data/prepared/prepare.js';
import { openPreparedDataset } from '../../../src/data/prepared/dataset.js';

describe('ply-folder', () => {
  const root = mkdtempSync(join(tmpdir(), 'plyf-'));
  after(() => rmSync(root, { recursive: true, force: true }));
  mkdirSync(join(root, 'train'));
  mkdirSync(join(root, 'val', 'site b'), { recursive: true });
  // Raw labels are indices into classes.txt (floor, chair, table); 7 is not a class → ignore.
  const a = {
    positions: new Float32Array([0, 0, 0, 1, 0, 0, 0, 1, 0, 2, 2, 1, 3, 2, 1.5, 2.5, 3, 0.5]),
    colors: new Uint8Array(18).fill(9),
    labels: new Int32Array([0, 0, 7, 1, 1, 2]),
    instances: new Int32Array([-1, -1, -1, 4, 4, 0]),
  };
  writeFileSync(join(root, 'train', 'room1.ply'), writePly(a));
  const b = { positions: new Float32Array([5, 5, 5, 6, 6, 6]), labels: new Int32Array([2, 2]) };
  writeFileSync(join(root, 'val', 'site b', 'scan.PCD'), writePcd(b));
  writeFileSync(join(root, 'loose.ply'), writePly({ positions: new Float32Array([1, 2, 3]) }));
  writeFileSync(join(root, 'notes.txt'), 'not a scan');
  const classes = join(root, 'classes.txt');
  writeFileSync(classes, 'floor\nchair\ntable\n');

  test('names and splits from relative paths', () => {
    assert.deepEqual(sceneNameOf(join('val', 'site b', 'scan.PCD')), { name: 'site_b__scan', split: 'val' });
    assert.deepEqual(sceneNameOf('loose.ply'), { name: 'loose' });
    const p = plyFolderDriver.plan({ root, classes });
    assert.deepEqual(
      p.tasks.map((t) => [t.name, t.split]),
      [
        ['loose', 'train'],
        ['room1', 'train'],
        ['site_b__scan', 'val'],
      ],
    );
  });

  test('prepare maps raw labels through the class list, keeps instances, boxes by majority class', async () => {
    const out = join(root, '.out');
    const r = await prepareDataset({ type: 'ply-folder', source: { root, classes }, out });
    const m = r.manifest;
    assert.deepEqual(
      m.classes.map((c) => c.name),
      ['floor', 'chair', 'table'],
    );
    assert.deepEqual(m.histogram, [2, 2, 3]);
    assert.equal(m.ignored, 1 + 1); // raw 7 in room1 + the unlabelled point of loose.ply
    const s = openPreparedDataset(out).readScene('room1');
    assert.deepEqual([...s.cloud.labels!], [0, 0, -1, 1, 1, 2]);
    assert.deepEqual([...s.cloud.instances!], [-1, -1, -1, 4, 4, 0]);
    assert.deepEqual(s.boxes, [
      { label: 2, instance: 0, center: [2.5, 3, 0.5], size: [0, 0, 0] },
      { label: 1, instance: 4, center: [2.5, 2, 1.25], size: [1, 0, 0.5] },
    ]);
    assert.deepEqual(m.scenes[0].notes?.noLabelProperty, true);
    assert.deepEqual(m.splits, { train: ['loose', 'room1'], val: ['site_b__scan'] });
  });

  test('without --classes the scans are prepared unlabelled (for pre-training) and say so', async () => {
    const out = join(root, '.out2');
    const r = await prepareDataset({ type: 'ply-folder', source: { root }, out });
    assert.equal(r.manifest.labelMap.name, 'unlabelled');
    assert.deepEqual(r.manifest.classes, []);
    assert.equal(r.manifest.ignored, r.manifest.points.total);
    assert.match(String(r.manifest.scenes[1].notes?.labelsIgnored), /no --classes/);
    assert.equal(openPreparedDataset(out).readScene('room1').cloud.labels, undefined);
  });
});
