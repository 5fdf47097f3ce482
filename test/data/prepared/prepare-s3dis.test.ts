// prepareDataset end to end on a generated S3DIS fixture: manifest, reader, resume, repair,
// temp-file cleanup, workers = in-thread bytes, options changes, bad rows.
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareDataset } from '../../../src/data/prepared/prepare.js';
import { openPreparedDataset } from '../../../src/data/prepared/dataset.js';
import { loadS3disRoom } from '../../../src/data/datasets/s3dis.js';
import { loadLabelMap } from '../../../src/data/datasets/label-maps.js';
import { BAD_LINE, makeS3disFixture } from '../datasets/s3dis-fixture.js';

const NAMES = ['Area_1_conferenceRoom_1', 'Area_2_hallway_1', 'Area_5_office_19'];

describe('prepareDataset (s3dis fixture)', () => {
  const root = makeS3disFixture();
  const badRoot = makeS3disFixture(true);
  const tmp = mkdtempSync(join(tmpdir(), 'prep-'));
  after(() => [root, badRoot, tmp].forEach((r) => rmSync(r, { recursive: true, force: true })));
  const out = join(tmp, 'a');

  test('writes one file per scene and a manifest with counts, splits, histogram, classes', async () => {
    const progress: number[] = [];
    const r = await prepareDataset({
      type: 's3dis',
      source: { root },
      out,
      onProgress: (d) => progress.push(d),
    });
    assert.equal(r.prepared, 3);
    assert.equal(r.skipped, 0);
    assert.deepEqual(progress, [0, 1, 2, 3]);
    const m = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    assert.equal(m.format, 'pointcontrast-prepared');
    assert.deepEqual(
      m.scenes.map((s: { name: string; points: number; split: string; boxes: number; instances: number }) => [
        s.name,
        s.points,
        s.split,
        s.boxes,
        s.instances,
      ]),
      [
        [NAMES[0], 14, 'train', 3, 5],
        [NAMES[1], 5, 'train', 0, 2],
        [NAMES[2], 7, 'val', 1, 2],
      ],
    );
    assert.deepEqual(m.splits, { train: NAMES.slice(0, 2), val: [NAMES[2]] });
    assert.deepEqual(m.points, { total: 26, bySplit: { train: 19, val: 7 } });
    // clutter 2, board 2, ceiling 5, chair 5, floor 3, table 3, wall 4; stairs 2 ignored.
    assert.deepEqual(m.histogram, [2, 0, 2, 0, 5, 5, 0, 0, 3, 0, 3, 4, 0]);
    assert.equal(m.ignored, 2);
    assert.equal(m.classes.length, 13);
    assert.equal(m.palette[5].join(), '188,189,34');
    assert.equal(m.source.type, 's3dis');
    assert.deepEqual(m.source.options.valAreas, [5]);
    assert.equal(m.versions.sceneFormat, 1);
  });

  test('the reader returns exactly what the loader produced', () => {
    const ds = openPreparedDataset(out);
    assert.deepEqual(ds.sceneNames(), NAMES);
    assert.deepEqual(ds.sceneNames('val'), [NAMES[2]]);
    assert.throws(() => ds.sceneNames('test'), /no split 'test' \(splits: train, val\)/);
    const s = ds.readScene(NAMES[0]);
    const ref = loadS3disRoom(NAMES[0], join(root, 'Area_1', 'conferenceRoom_1'), loadLabelMap('s3dis13'));
    assert.deepEqual(s.cloud.positions, ref.cloud.positions);
    assert.deepEqual(s.cloud.colors, ref.cloud.colors);
    assert.deepEqual(s.cloud.labels, ref.cloud.labels);
    assert.deepEqual(s.cloud.instances, ref.cloud.instances);
    assert.deepEqual(s.boxes, ref.boxes);
    assert.equal(s.labelSet, 's3dis13');
  });

  test('re-run skips valid files; a truncated file and crash leftovers are redone / removed', async () => {
    const f0 = join(out, `${NAMES[0]}.bin`);
    const f1 = join(out, `${NAMES[1]}.bin`);
    const before = statSync(f0).mtimeMs;
    const size1 = statSync(f1).size;
    truncateSync(f1, size1 - 5);
    const leftover = join(out, `.${NAMES[2]}.bin.tmp-2147483646-0`);
    writeFileSync(leftover, 'half');
    const r = await prepareDataset({ type: 's3dis', source: { root }, out });
    assert.equal(r.skipped, 2);
    assert.equal(r.prepared, 1);
    assert.equal(r.redone.length, 1);
    assert.equal(r.redone[0].name, NAMES[1]);
    assert.match(r.redone[0].reason, /truncated: file has \d+ bytes, header says \d+/);
    assert.equal(r.removedTempFiles, 1);
    assert.equal(existsSync(leftover), false);
    assert.equal(statSync(f0).mtimeMs, before, 'valid file not rewritten');
    assert.equal(statSync(f1).size, size1);
    assert.equal(openPreparedDataset(out).readScene(NAMES[1]).cloud.positions.length, 15);
  });

  test('changing a split option redoes nothing; changing the label map redoes everything', async () => {
    const r = await prepareDataset({ type: 's3dis', source: { root, valAreas: [1] }, out });
    assert.equal(r.skipped, 3);
    assert.deepEqual(r.manifest.splits.val, [NAMES[0]]);
    const mapFile = join(tmp, 'pointcept-stairs.json');
    const raw = loadLabelMap('s3dis13');
    raw.name = 's3dis13-stairs-clutter';
    raw.classes[0].raw = [0, 10]; // stairs → clutter, Pointcept's rule
    writeFileSync(mapFile, JSON.stringify(raw));
    const r2 = await prepareDataset({ type: 's3dis', source: { root, classes: mapFile }, out });
    assert.equal(r2.prepared, 3);
    assert.deepEqual(
      r2.redone.map((x) => x.reason),
      Array(3).fill('prepared with other options'),
    );
    assert.equal(r2.manifest.ignored, 0);
    assert.equal(r2.manifest.histogram[0], 4);
    assert.equal(openPreparedDataset(out).readScene(NAMES[0]).labelSet, 's3dis13-stairs-clutter');
  });

  test('workers produce byte-identical scene files', async () => {
    const w = join(tmp, 'w');
    const r = await prepareDataset({ type: 's3dis', source: { root }, out: w, workers: 2, force: true });
    assert.equal(r.prepared, 3);
    const one = join(tmp, 'one');
    await prepareDataset({ type: 's3dis', source: { root }, out: one });
    for (const n of NAMES)
      assert.deepEqual(readFileSync(join(w, `${n}.bin`)), readFileSync(join(one, `${n}.bin`)), n);
  });

  test('a bad row fails the run with file and line and leaves no manifest; --skip-bad-lines reports it', async () => {
    const o = join(tmp, 'bad');
    await assert.rejects(
      prepareDataset({ type: 's3dis', source: { root: badRoot }, out: o }),
      new RegExp(`office_19/Annotations/ceiling_1\\.txt:${BAD_LINE}: expected 6 numbers`),
    );
    assert.equal(existsSync(join(o, 'manifest.json')), false);
    assert.equal(existsSync(join(o, `${NAMES[0]}.bin`)), true, 'scenes before the failure are kept');
    await assert.rejects(
      prepareDataset({ type: 's3dis', source: { root: badRoot }, out: o, workers: 2, force: true }),
      new RegExp(`ceiling_1\\.txt:${BAD_LINE}: expected 6 numbers`),
      'the same error from a worker',
    );
    const r = await prepareDataset({ type: 's3dis', source: { root: badRoot, skipBadLines: true }, out: o });
    const notes = r.manifest.scenes[2].notes as { skippedBadLines: { lines: number }[] };
    assert.equal(notes.skippedBadLines[0].lines, 1);
    assert.equal(r.manifest.scenes[2].points, 6);
  });
});
