import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isSafeRelativePath, parseLabelSet, parsePredictionsIndex } from '../../src/core/viewer-contract.js';
import { parseRange } from '../../src/serve/static-file.js';
import { decodePathSegments } from '../../src/serve/safe-path.js';

const good = {
  format: 'pointcontrast-predictions',
  version: 1,
  labelSet: 'scannet20',
  ignoreLabel: -1,
  classes: [
    { id: 0, name: 'wall', color: [174, 199, 232] },
    { id: 7, name: 'door', color: [214, 39, 40] },
  ],
  scenes: [
    {
      name: 'scene0000_01',
      file: 'scene0000_01.ply',
      points: 80583,
      metrics: { mIoU: 41.2, per_class: { wall: 71.3 } },
      boxes: {
        gt: [{ label: 7, center: [1, 2, 3], size: [1, 1, 2] }],
        pred: [{ label: 7, score: 0.87, center: [1, 2, 3], size: [1, 1, 2] }],
      },
    },
  ],
};

test('parsePredictionsIndex keeps a valid index as is', () => {
  const idx = parsePredictionsIndex(structuredClone(good), 'index.json');
  assert.deepEqual(idx, good);
});

test('parsePredictionsIndex names the file and key of the first problem', () => {
  const cases: [(o: typeof good) => unknown, RegExp][] = [
    [
      (o) => ({ ...o, format: 'x' }),
      /Error: f\.json: format: expected "pointcontrast-predictions", got "x"$/,
    ],
    [(o) => ({ ...o, version: 2 }), /version: expected 1, got 2/],
    [
      (o) => ({ ...o, classes: [{ ...o.classes[0], color: [0, 0, 256] }] }),
      /classes\[0\]\.color\[2\]: expected an integer 0\.\.255/,
    ],
    [
      (o) => ({ ...o, classes: [o.classes[0], { ...o.classes[1], id: 0 }] }),
      /classes\[1\]\.id: expected a class id not used/,
    ],
    [
      (o) => ({ ...o, classes: [{ ...o.classes[0], id: -1 }] }),
      /classes\[0\]\.id: expected an integer >= 0, got -1/,
    ],
    [
      (o) => ({ ...o, scenes: [{ name: 's', file: '/etc/passwd' }] }),
      /scenes\[0\]\.file: expected a relative path/,
    ],
    [
      (o) => ({ ...o, scenes: [{ name: 's' }] }),
      /scenes\[0\]\.file: expected a non-empty string, got undefined/,
    ],
    [
      (o) => ({ ...o, scenes: [{ name: 's', file: 'a', points: 1.5 }] }),
      /scenes\[0\]\.points: expected an integer >= 0/,
    ],
    [
      (o) => ({
        ...o,
        scenes: [
          {
            name: 's',
            file: 'a',
            boxes: { pred: [{ label: 1, score: 'high', center: [0, 0, 0], size: [1, 1, 1] }] },
          },
        ],
      }),
      /scenes\[0\]\.boxes\.pred\[0\]\.score: expected a finite number/,
    ],
    [
      (o) => ({
        ...o,
        scenes: [{ name: 's', file: 'a', boxes: { gt: [{ label: 1, center: [0, 0], size: [1, 1, 1] }] } }],
      }),
      /scenes\[0\]\.boxes\.gt\[0\]\.center: expected an array of 3 numbers/,
    ],
    [
      (o) => ({ ...o, scenes: [o.scenes[0], o.scenes[0]] }),
      /scenes\[1\]\.name: expected a scene name not used/,
    ],
    [
      (o) => ({ ...o, scenes: [{ name: 's', file: 'a', metrics: { per_class: { wall: 'x' } } }] }),
      /metrics\.per_class\.wall/,
    ],
  ];
  for (const [edit, re] of cases) {
    assert.throws(() => parsePredictionsIndex(edit(structuredClone(good)), 'f.json'), re);
  }
});

test('parsePredictionsIndex reads what predict writes (extra keys, boxes without score)', () => {
  const written = {
    format: 'pointcontrast-predictions',
    version: 1,
    ignoreLabel: -1,
    classes: [{ id: 0, name: 'wall', color: [174, 199, 232] }],
    checkpoint: 'runs/x/best',
    scenes: [
      {
        name: 'scene0000_00',
        file: 'scene0000_00.ply',
        points: 10,
        metrics: { mIoU: 41.2, mAcc: 50, allAcc: 80, per_class: { wall: 41.2 } },
        boxes: { pred: [{ label: 0, center: [0, 0, 0], size: [1, 1, 1] }] },
      },
    ],
  };
  const idx = parsePredictionsIndex(written, 'index.json');
  assert.deepEqual(idx.scenes[0].boxes, { pred: [{ label: 0, center: [0, 0, 0], size: [1, 1, 1] }] });
  assert.equal(idx.scenes[0].metrics?.mAcc, 50);
  assert.equal(idx.checkpoint, 'runs/x/best');
});

test('isSafeRelativePath accepts nested relative paths only', () => {
  assert.ok(isSafeRelativePath('a/b c.ply'));
  for (const bad of ['../a', 'a/../../b', '/a', 'a//b', './a', 'a\\b', 'C:/x', 'a\0b']) {
    assert.equal(isSafeRelativePath(bad), false, bad);
  }
});

test('parseLabelSet reads datasets/*.json shapes, with raw ids', () => {
  const s = parseLabelSet(
    {
      name: 'x',
      ignoreLabel: -1,
      rawName: 'nyu40',
      classes: [{ id: 0, raw: 1, name: 'wall', color: [1, 2, 3] }],
    },
    'x.json',
  );
  assert.deepEqual(s, {
    name: 'x',
    ignoreLabel: -1,
    rawName: 'nyu40',
    classes: [{ id: 0, raw: 1, name: 'wall', color: [1, 2, 3] }],
  });
});

test('parseRange follows RFC 9110 single ranges', () => {
  assert.deepEqual(parseRange('bytes=0-0', 10), { start: 0, end: 0 });
  assert.deepEqual(parseRange('bytes=3-', 10), { start: 3, end: 9 });
  assert.deepEqual(parseRange('bytes=-3', 10), { start: 7, end: 9 });
  assert.deepEqual(parseRange('bytes=-30', 10), { start: 0, end: 9 });
  assert.deepEqual(parseRange('bytes=8-100', 10), { start: 8, end: 9 });
  assert.equal(parseRange('bytes=10-', 10), 'unsatisfiable');
  assert.equal(parseRange('bytes=-0', 10), 'unsatisfiable');
  assert.equal(parseRange('bytes=5-2', 10), 'ignore');
  assert.equal(parseRange('items=0-1', 10), 'ignore');
  assert.equal(parseRange('bytes=0-1,3-4', 10), 'ignore');
  assert.equal(parseRange(undefined, 10), 'ignore');
});

test('decodePathSegments decodes and refuses traversal', () => {
  assert.deepEqual(decodePathSegments('/'), []);
  assert.deepEqual(decodePathSegments('/data/sub%20dir/b.ply'), ['data', 'sub dir', 'b.ply']);
  for (const bad of [
    'data',
    '/a/../b',
    '/a/%2E%2e/b',
    '/a/./b',
    '/a//b',
    '/a/%2Fb',
    '/a%5cb',
    '/a%00',
    '/%E0%A4%A',
  ]) {
    assert.equal(decodePathSegments(bad), null, bad);
  }
});
