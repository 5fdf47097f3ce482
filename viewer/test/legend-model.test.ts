import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classRows, clickHidden, errorRows } from '../src/panels/legend-model.js';
import { generatedClassColor, type Rgb } from '../src/colors/colors.js';
import { pickDetails } from '../src/panels/pick-details.js';
import { classesById } from '../src/colors/label-lut.js';
import { toViewerCloud } from '../src/scenes/viewer-cloud.js';

const classes = [
  { id: 0, name: 'wall', color: [1, 1, 1] as Rgb },
  { id: 4, name: 'chair', color: [4, 4, 4] as Rgb },
  { id: 7, name: 'other', color: [9, 9, 9] as Rgb },
  { id: 8, name: 'other', color: [9, 9, 9] as Rgb },
];
const grey: Rgb = [115, 115, 115];

test('classRows: counts, IoU, grouped names, unknown ids and one ignore row', () => {
  const rows = classRows({
    classes,
    ignoreLabel: -1,
    counts: new Map([
      [-1, 5],
      [0, 10],
      [4, 0],
      [7, 2],
      [8, 3],
      [12, 1],
      [300, 2],
      [70000, 1],
    ]),
    computedIoU: new Map([
      [0, 0.5],
      [7, 0.9],
    ]),
    indexIoU: { wall: 71.3 },
    hidden: new Set([4, 8]),
    ignoreColor: grey,
  });
  assert.deepEqual(rows, [
    { ids: [0], name: 'wall', color: [1, 1, 1], count: 10, hidden: false, iou: 71.3 },
    { ids: [4], name: 'chair', color: [4, 4, 4], count: 0, hidden: true },
    { ids: [7, 8], name: 'other', color: [9, 9, 9], count: 5, hidden: false },
    { ids: [12], name: 'class 12', color: generatedClassColor(12), count: 1, hidden: false },
    { ids: [300, 70000], name: 'ids ≥ 256', color: [204, 204, 204], count: 3, hidden: false },
    { ids: [-1], name: 'ignore', color: grey, count: 5, hidden: false },
  ]);
});

test('classRows: IoU computed from points in percent when index.json has none', () => {
  const rows = classRows({
    classes,
    ignoreLabel: 255,
    counts: new Map([
      [0, 3],
      [255, 4],
    ]),
    computedIoU: new Map([[0, 0.25]]),
    hidden: new Set(),
    ignoreColor: grey,
  });
  assert.equal(rows[0].iou, 25);
  assert.deepEqual(rows[1], { ids: [-1], name: 'ignore', color: grey, count: 4, hidden: false });
});

test('clickHidden: toggle a row, isolate it, isolate again shows all', () => {
  const rows = [[0], [4], [7, 8], [-1]];
  let h = clickHidden(new Set(), rows, [7, 8], false);
  assert.deepEqual([...h].sort(), [7, 8]);
  h = clickHidden(new Set([7]), rows, [7, 8], false);
  assert.deepEqual([...h].sort(), [7, 8], 'partly hidden row: hide all of it');
  h = clickHidden(h, rows, [7, 8], false);
  assert.deepEqual([...h], []);
  h = clickHidden(new Set([4]), rows, [4], true);
  assert.deepEqual(
    [...h].sort((a, b) => a - b),
    [-1, 0, 7, 8],
  );
  h = clickHidden(h, rows, [4], true);
  assert.deepEqual([...h], [], 'isolating the isolated row shows everything');
});

test('errorRows keep the error kinds as ids', () => {
  const rows = errorRows({ correct: 5, wrong: 2, ignored: 1 }, [grey, grey, grey], new Set([1]));
  assert.deepEqual(
    rows.map((r) => [r.ids, r.name, r.count, r.hidden]),
    [
      [[0], 'correct', 5, false],
      [[1], 'wrong', 2, true],
      [[2], 'ignored', 1, false],
    ],
  );
});

test('pickDetails reports the file index, labels by name and every field', () => {
  const cloud = toViewerCloud(
    {
      positions: Float32Array.from([0, 0, 0, 1.25, -2, 3.5]),
      colors: Uint8Array.from([1, 2, 3, 4, 5, 6]),
      properties: {
        gt: Int16Array.from([0, 4]),
        pred: Int16Array.from([0, 7]),
        confidence: Float32Array.from([0.5, 0.25]),
        curvature: Float32Array.from([0, 0.125]),
      },
    },
    null,
  );
  assert.deepEqual(pickDetails(cloud, 1, classesById(classes), -1), [
    ['point', '#1 in file'],
    ['xyz', '1.250, -2.000, 3.500'],
    ['ground truth', 'chair (4)'],
    ['prediction', 'other (7)'],
    ['result', 'wrong'],
    ['confidence', '0.250'],
    ['rgb', '4, 5, 6'],
    ['curvature', '0.125'],
  ]);
});
