/**
 * Input features by channel name: every layout's values against a hand computation per voxel
 * (colour/255 − 0.5, normals, constant 1, height above the floor), the floor level against a
 * hand-built room with points below its floor, and the layout table's invariants.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFeatures } from '../../../src/data/loader/features.js';
import { floorLevel, pointHeights } from '../../../src/geometry/floor-level.js';
import { createBatchBuilder } from '../../../src/data/loader/build-batch.js';
import { parseLoaderConfig } from '../../../src/data/loader/config.js';
import {
  carriesChannels,
  FEATURE_CHANNELS,
  FEATURE_DIMS,
  startsFrom,
  type FeatureMode,
} from '../../../src/models/input-features.js';
import { Rng } from '../../../src/core/rng.js';
import { missingInputs } from '../../../src/models/checkpoint-model.js';
import type { PointCloud } from '../../../src/geometry/point-cloud.js';

/** A room: 2000 floor points at z = 0.4, 7000 above it up to 3.4 m, 10 stray points far below. */
function room(): PointCloud {
  const rng = new Rng(3);
  const n = 9010;
  const positions = new Float32Array(n * 3);
  const colors = new Uint8Array(n * 3);
  const normals = new Float32Array(n * 3);
  for (let i = 0; i < n; i++) {
    positions[i * 3] = rng.next() * 4;
    positions[i * 3 + 1] = rng.next() * 3;
    positions[i * 3 + 2] =
      i < 2000 ? 0.4 + rng.next() * 0.004 : i < 9000 ? 0.45 + rng.next() * 2.95 : -2 - i * 0.01;
    for (let k = 0; k < 3; k++) {
      colors[i * 3 + k] = Math.floor(rng.next() * 256);
      normals[i * 3 + k] = rng.next() * 2 - 1;
    }
  }
  return { positions, colors, normals };
}

test('floor level: the 1st percentile of z to 1 cm, stray points below the floor ignored', () => {
  const cloud = room();
  const floor = floorLevel(cloud.positions);
  assert.ok(Math.abs(floor - 0.4) <= 0.011, `floor ${floor}, expected 0.40 ± 0.01`);
  assert.equal(floorLevel(new Float32Array(0)), 0);
  assert.equal(floorLevel(new Float32Array([1, 2, 1.25])), 1.25);
  assert.throws(() => floorLevel(new Float32Array([0, 0, NaN, 0, 0, 1])), /non-finite z/);
});

test('every layout: each voxel row is its first point, channel by channel', () => {
  const cloud = room();
  const pointIndex = new Int32Array([0, 5, 2500, 8999]);
  const floor = floorLevel(cloud.positions);
  for (const mode of Object.keys(FEATURE_CHANNELS) as FeatureMode[]) {
    const c = FEATURE_DIMS[mode];
    const out = new Float32Array((pointIndex.length + 1) * c).fill(7);
    writeFeatures(cloud, pointIndex, mode, out, 1, 'room');
    assert.deepEqual([...out.subarray(0, c)], new Array(c).fill(7), `${mode}: row 0 untouched`);
    FEATURE_CHANNELS[mode].forEach((ch, k) => {
      pointIndex.forEach((p, v) => {
        const axis = { r: 0, g: 1, b: 2, nx: 0, ny: 1, nz: 2, one: 0, height: 2 }[ch];
        const want =
          ch === 'one'
            ? 1
            : ch === 'height'
              ? cloud.positions[p * 3 + 2] - floor
              : 'rgb'.includes(ch)
                ? cloud.colors![p * 3 + axis] / 255 - 0.5
                : cloud.normals![p * 3 + axis];
        assert.equal(out[(1 + v) * c + k], Math.fround(want), `${mode} channel ${ch} voxel ${v}`);
      });
    });
  }
  const h = new Float32Array(4 * 2);
  writeFeatures(cloud, pointIndex, 'ones-height', h, 0, 'room');
  assert.ok(Math.abs(h[1]) < 0.015, `a floor point's height is about 0, got ${h[1]}`);
});

test('missing inputs are errors naming the cloud; the layout table keeps its widths', () => {
  const { positions } = room();
  const out = new Float32Array(100);
  assert.throws(
    () => writeFeatures({ positions }, new Int32Array([0]), 'ones-rgb-height', out, 0, 'bare'),
    /bare: features 'ones-rgb-height' need colours/,
  );
  writeFeatures({ positions }, new Int32Array([0]), 'ones-height', out, 0, 'bare');
  assert.deepEqual(
    { ...FEATURE_DIMS },
    { ones: 3, rgb: 3, 'rgb-normals': 6, 'ones-rgb': 4, 'ones-height': 2, 'ones-rgb-height': 5 },
  );
  // adaptStem sums the channels of one name as one slice: they must be contiguous in every layout.
  for (const [mode, channels] of Object.entries(FEATURE_CHANNELS)) {
    for (const ch of new Set(channels)) {
      const first = (channels as readonly string[]).indexOf(ch);
      const last = (channels as readonly string[]).lastIndexOf(ch);
      assert.ok(
        channels.slice(first, last + 1).every((x) => x === ch),
        `${mode}: '${ch}' is contiguous`,
      );
    }
  }
});

test('a model input check names what the file lacks for each layout', () => {
  assert.equal(missingInputs('ones-height', {}, 'a.ply'), null);
  assert.match(
    missingInputs('ones-rgb-height', {}, 'a.ply') ?? '',
    /a\.ply: the model takes 'ones-rgb-height' input features but the file has no colour/,
  );
  assert.equal(missingInputs('ones-rgb-height', { colors: 1 }, 'a.ply'), null);
  assert.match(
    missingInputs('rgb-normals', { colors: 1 }, 'a.ply') ?? '',
    /a\.ply: the model takes colour \+ normals/,
  );
});

test('the loader measures height before augmentation: a tilt moves a point, not its height', () => {
  const cloud = room();
  const floor = floorLevel(cloud.positions);
  const input = new Set(
    Array.from(
      cloud.positions.filter((_, i) => i % 3 === 2),
      (z) => Math.fround(z - floor),
    ),
  );
  assert.deepEqual(
    [...pointHeights(cloud.positions, Int32Array.of(2000, 0))],
    [Math.fround(cloud.positions[2000 * 3 + 2] - floor), Math.fround(cloud.positions[2] - floor)],
  );
  // scannet-seg tilts by up to π/64 about x and y and distorts: over a 4 m room that moves the floor by ~10 cm.
  const cfg = parseLoaderConfig({
    voxelSize: 0.05,
    batchSize: 1,
    features: 'ones-height',
    transforms: 'scannet-seg',
  });
  const labelled = { ...cloud, labels: Int32Array.from({ length: 9010 }, (_, i) => (i < 2000 ? 1 : 0)) };
  for (const seed of [1, 2, 3]) {
    const batch = createBatchBuilder(cfg).scenes([{ name: 'room', cloud: labelled }], [seed], 0, 0);
    const m = batch.feats.length / 2;
    let floorMax = 0;
    for (let v = 0; v < m; v++) {
      const h = batch.feats[v * 2 + 1];
      assert.ok(input.has(h), `seed ${seed} voxel ${v}: height ${h} is not an input point's`);
      if (batch.labels![v] === 1) floorMax = Math.max(floorMax, h);
    }
    assert.ok(floorMax < 0.02, `seed ${seed}: floor voxels up to ${floorMax} m above the floor`);
  }
});

test('startsFrom: the same layout, a wider one naming every channel, or one as wide; never a narrower or other one', () => {
  // a hand-made table over the pairs that matter to the built-in recipes
  const cases: [FeatureMode, FeatureMode, boolean][] = [
    ['ones', 'ones', true],
    ['ones', 'ones-rgb', true], // widened (adaptStem)
    ['ones', 'rgb', true], // as wide: the stem loads as it is
    ['ones-height', 'ones-rgb-height', true],
    ['ones-height', 'ones-rgb', false], // the height channel would be lost, and the widths differ
    ['ones-height', 'ones', false],
    ['ones-rgb', 'ones', false], // narrower
    ['rgb-normals', 'ones-rgb', false],
    ['rgb', 'ones-rgb', true],
  ];
  for (const [from, to, ok] of cases) assert.equal(startsFrom(from, to), ok, `${from} → ${to}`);
  // carriesChannels is the subset test alone
  assert.equal(carriesChannels('ones', 'rgb'), false);
  assert.equal(carriesChannels('ones-height', 'ones-rgb-height'), true);
});
