// S3DIS rooms from a generated S3DIS-layout fixture: labels, instances, boxes, splits, bad float.
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { loadLabelMap } from '../../../src/data/datasets/label-maps.js';
import { listS3disRooms, loadS3disRoom, s3disDriver } from '../../../src/data/datasets/s3dis.js';
import { BAD_LINE, makeS3disFixture } from './s3dis-fixture.js';

describe('s3dis', () => {
  const root = makeS3disFixture();
  const bad = makeS3disFixture(true);
  after(() => [root, bad].forEach((r) => rmSync(r, { recursive: true, force: true })));
  const map = loadLabelMap('s3dis13');

  test('rooms are listed per area; Area 5 is val; split overrides work', () => {
    assert.deepEqual(
      listS3disRooms(root).map((r) => `${r.area}:${r.room}`),
      ['1:conferenceRoom_1', '2:hallway_1', '5:office_19'],
    );
    const plan = s3disDriver.plan({ root });
    assert.deepEqual(
      plan.tasks.map((t) => `${t.name}:${t.split}`),
      ['Area_1_conferenceRoom_1:train', 'Area_2_hallway_1:train', 'Area_5_office_19:val'],
    );
    const p2 = s3disDriver.plan({ root, valAreas: [2], val: ['Area_1_conferenceRoom_1'] });
    assert.deepEqual(
      p2.tasks.map((t) => t.split),
      ['val', 'val', 'train'],
    );
    assert.throws(
      () => s3disDriver.plan({ root, val: ['Area_9_x'] }),
      /--val: scene 'Area_9_x' is not in the dataset/,
    );
  });

  test('a room: annotation files in natural order → instances, PointContrast train ids, stairs ignored, boxes', () => {
    const s = loadS3disRoom('r', join(root, 'Area_1', 'conferenceRoom_1'), map);
    // Order: chair_1, chair_2, stairs_1, table_1, wall_1 → instances 0..4; chair 5, table 10, wall 11.
    assert.deepEqual([...s.cloud.instances!], [0, 0, 0, 1, 1, 2, 2, 3, 3, 3, 4, 4, 4, 4]);
    assert.deepEqual([...s.cloud.labels!], [5, 5, 5, 5, 5, -1, -1, 10, 10, 10, 11, 11, 11, 11]);
    assert.deepEqual([...s.cloud.colors!.slice(0, 6)], [10, 20, 30, 10, 20, 30]);
    assert.deepEqual([...s.cloud.positions.slice(21, 24)], [1, 1, Math.fround(0.7)]);
    assert.deepEqual(
      s.boxes.map((b) => ({
        ...b,
        center: b.center.map((v) => +v.toFixed(5)),
        size: b.size.map((v) => +v.toFixed(5)),
      })),
      [
        { label: 5, instance: 0, center: [0.5, 1, 0.5], size: [1, 2, 1] },
        { label: 5, instance: 1, center: [3.25, 3.125, 0.375], size: [0.5, 0.25, 0.75] },
        { label: 10, instance: 3, center: [1.5, 1.25, 0.375], size: [1, 0.5, 0.75] },
      ],
    );
  });

  test('the bad float gives an error naming file and line; skipBadLines reports the count', () => {
    const dir = join(bad, 'Area_5', 'office_19');
    const file = join(dir, 'Annotations', 'ceiling_1.txt');
    assert.throws(
      () => loadS3disRoom('x', dir, map),
      (e: Error) => e.message.startsWith(`${file}:${BAD_LINE}: expected 6 numbers`),
    );
    const s = loadS3disRoom('x', dir, map, true);
    assert.equal(s.cloud.positions.length / 3, 6); // board 2 + ceiling 5 - 1 bad
    assert.deepEqual(s.meta?.skippedBadLines, [{ file, lines: 1, first: [BAD_LINE] }]);
  });

  test('an unknown class name is named with its file', () => {
    const s = loadLabelMap('scannet20');
    assert.throws(
      () => loadS3disRoom('r', join(root, 'Area_2', 'hallway_1'), s),
      /hallway_1\/Annotations\/clutter_1\.txt: unknown class 'clutter' \(label map scannet20 knows wall, floor/,
    );
  });
});
