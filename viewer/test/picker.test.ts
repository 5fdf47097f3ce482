import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nearestPickedIndex } from '../src/render/picker.js';
import { autoRange, labelSetMenu, resolveSceneClasses, UNMAPPED_RAW } from '../src/scenes/scene-classes.js';
import { statusText } from '../src/panels/hud.js';
import { toViewerCloud } from '../src/scenes/viewer-cloud.js';

function windowWith(size: number, pixels: [number, number, number][]): Uint8Array {
  const buf = new Uint8Array(size * size * 4);
  for (const [i, j, id] of pixels) {
    const o = (j * size + i) * 4;
    buf[o] = id & 255;
    buf[o + 1] = (id >>> 8) & 255;
    buf[o + 2] = (id >>> 16) & 255;
    buf[o + 3] = id >>> 24;
  }
  return buf;
}

test('nearestPickedIndex decodes index+1 from RGBA8 and takes the pixel nearest the centre', () => {
  assert.equal(nearestPickedIndex(windowWith(5, []), 5), null);
  assert.equal(nearestPickedIndex(windowWith(5, [[0, 0, 7]]), 5), 6);
  const big = 3_000_000_000;
  assert.equal(
    nearestPickedIndex(
      windowWith(5, [
        [0, 0, 7],
        [3, 2, big + 1],
        [4, 4, 9],
      ]),
      5,
    ),
    big,
    'index beyond 2^31 survives the unsigned decode',
  );
});

const set = {
  name: 'scannet20',
  ignoreLabel: -1,
  rawName: 'nyu40',
  classes: [
    { id: 0, raw: 1, name: 'wall', color: [1, 1, 1] as [number, number, number] },
    { id: 1, raw: 2, name: 'floor', color: [2, 2, 2] as [number, number, number] },
  ],
};

test('resolveSceneClasses: index first, then a label set by id or by raw id, else nothing', () => {
  const index = {
    format: 'pointcontrast-predictions' as const,
    version: 1 as const,
    ignoreLabel: 255,
    classes: [{ id: 3, name: 'x', color: [3, 3, 3] as [number, number, number] }],
    scenes: [],
  };
  assert.deepEqual(resolveSceneClasses(index, [set], 'scannet20'), {
    classes: index.classes,
    ignoreLabel: 255,
  });
  assert.deepEqual(resolveSceneClasses(undefined, [set], 'scannet20'), {
    classes: set.classes,
    ignoreLabel: -1,
  });
  const raw = resolveSceneClasses(undefined, [set], 'scannet20:raw');
  assert.equal(raw.classes.length, 256);
  assert.deepEqual(raw.classes.slice(0, 2), [
    { id: 1, name: 'wall', color: [1, 1, 1] },
    { id: 2, name: 'floor', color: [2, 2, 2] },
  ]);
  const other = raw.classes.find((c) => c.id === 0);
  assert.deepEqual(other, { id: 0, name: 'other nyu40 ids (not in scannet20)', color: UNMAPPED_RAW });
  assert.deepEqual(resolveSceneClasses(undefined, [set], null), { classes: [], ignoreLabel: -1 });
  assert.deepEqual(resolveSceneClasses(undefined, [set], 'nope'), { classes: [], ignoreLabel: -1 });
  assert.deepEqual(labelSetMenu([set]), {
    'generated palette': '',
    scannet20: 'scannet20',
    'scannet20 by nyu40 id': 'scannet20:raw',
  });
});

test('autoRange per mode', () => {
  const c = toViewerCloud(
    {
      positions: Float32Array.from([0, 0, -1, 0, 0, 2]),
      properties: { confidence: Float32Array.from([0.2, 0.4]), k: Float32Array.from([5, 5]) },
    },
    null,
  );
  assert.deepEqual(autoRange(c, 'f:confidence'), [0, 1]);
  assert.deepEqual(autoRange(c, 'height'), [-1, 2]);
  assert.deepEqual(autoRange(c, 'f:k'), [4.5, 5.5], 'a constant field gets a unit range around it');
  assert.deepEqual(autoRange(null, 'height'), [0, 1]);
});

test('statusText', () => {
  assert.equal(
    statusText({ title: 'run', scene: 's', count: 4_000_000, budget: 3_000_000, loadMs: 1234 }),
    'run › s · 4,000,000 points (drawing 3,000,000) · loaded in 1.23 s',
  );
  assert.equal(statusText({ scene: 's', count: 10, budget: 100 }), 's · 10 points');
});
