/**
 * Cross-domain room mixing: both placements and the concatenation of a hand-computed case, and the
 * prepared source's `mix` option (every sample mixed at p = 1, none at p = 0, draws fixed by the
 * seed, another label map refused with both datasets named), and the config's `data.mix` as the
 * loader spec receives it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, cpSync } from 'node:fs';
import { join } from 'node:path';
import { BESIDE_GAP, mixRooms } from '../../../src/data/augment/mix-rooms.js';
import { preparedSource } from '../../../src/data/loader/prepared-source.js';
import { openPreparedDataset } from '../../../src/data/prepared/dataset.js';
import { sourceSpecSchema } from '../../../src/data/loader/sources.js';
import { resolveSegConfig } from '../../../src/tasks/segment/schema.js';
import { trainingSource } from '../../../src/tasks/segment/source.js';
import { writeTinyDatasets } from '../../tasks/detect/fixture.js';

test('mixRooms: the other room is centred on the room in x–y, floor on floor; arrays concatenated', () => {
  const room = {
    positions: Float32Array.from([0, 0, 1, 2, 4, 1.5]),
    colors: Uint8Array.from([1, 2, 3, 4, 5, 6]),
    labels: Int32Array.from([0, 1]),
    instances: Int32Array.from([-1, 3]),
  };
  const other = {
    positions: Float32Array.from([10, 10, 0, 12, 10, 5, 11, 12, 2]),
    colors: Uint8Array.from([7, 8, 9, 10, 11, 12, 13, 14, 15]),
    labels: Int32Array.from([4, 6, -1]),
  };
  // room bounds: x 0..2, y 0..4, z from 1 → centre (1, 2); other: x 10..12, y 10..12, z from 0
  // → centre (11, 11); shift (−10, −9, +1)
  const m = mixRooms(room, other);
  assert.deepEqual(Array.from(m.positions), [0, 0, 1, 2, 4, 1.5, 0, 1, 1, 2, 1, 6, 1, 3, 3]);
  assert.deepEqual(Array.from(m.colors!), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
  assert.deepEqual(Array.from(m.labels!), [0, 1, 4, 6, -1]);
  assert.equal(m.instances, undefined, 'a mixed sample has no instances');
  // a channel only one cloud has is dropped, not half-filled
  const noColour = mixRooms(room, { positions: other.positions, labels: other.labels });
  assert.equal(noColour.colors, undefined);
  assert.equal(noColour.labels!.length, 5);
  assert.equal(mixRooms(room, { positions: new Float32Array(0) }), room);
  // beside: other's x from room's max x (2) + the 1 m gap → x shift 3 − 10 = −7; y centres (2 vs
  // 11) → −9; floor on floor → +1
  assert.equal(BESIDE_GAP, 1);
  const b = mixRooms(room, other, 'beside');
  assert.deepEqual(Array.from(b.positions), [0, 0, 1, 2, 4, 1.5, 3, 1, 1, 5, 1, 6, 4, 3, 3]);
  assert.deepEqual(Array.from(b.labels!), [0, 1, 4, 6, -1]);
});

test('prepared source with mix: p = 1 mixes every read, p = 0 none, the seed fixes the draws', () => {
  const {
    dir,
    dirs: [a, b],
  } = writeTinyDatasets('pc-mix-', [1, 0], [3, 1]);
  const base = openPreparedDataset(a).readScene('tiny_0').cloud;
  const other = openPreparedDataset(b);
  const reads = (seed: number, p = 1) => {
    const src = preparedSource({ dir: a, mix: { dir: b, split: 'train', p, placement: 'overlay', seed } });
    return Array.from({ length: 8 }, () => src.read(0) as { name: string; cloud: typeof base });
  };
  const mixed = reads(7);
  for (const s of mixed) {
    const m = /^tiny_0\+(tiny_[0-2])$/.exec(s.name);
    assert.ok(m, `${s.name}: a train room of b (the val room tiny_3 is never drawn)`);
    const room = other.readScene(m[1]).cloud;
    assert.equal(s.cloud.labels!.length, base.labels!.length + room.labels!.length);
    assert.deepEqual(Array.from(s.cloud.labels!.subarray(base.labels!.length)), Array.from(room.labels!));
  }
  assert.ok(new Set(mixed.map((s) => s.name)).size > 1, 'different rooms over the reads');
  assert.deepEqual(
    reads(7).map((s) => s.name),
    mixed.map((s) => s.name),
    'the same seed draws the same rooms',
  );
  assert.ok(reads(0, 0).every((s) => s.name === 'tiny_0' && s.cloud.labels!.length === base.labels!.length));
  // rooms of another label map are refused, naming both datasets
  const c = join(dir, 'c');
  cpSync(b, c, { recursive: true });
  const manifest = JSON.parse(readFileSync(join(c, 'manifest.json'), 'utf8')) as {
    classes: { name: string }[];
  };
  manifest.classes[1].name = 'ground';
  writeFileSync(join(c, 'manifest.json'), JSON.stringify(manifest));
  assert.throws(
    () => preparedSource({ dir: a, mix: { dir: c, split: null, p: 0.5, placement: 'beside', seed: 0 } }),
    /c: data\.mix labels synthetic .* but .*a labels synthetic .*; mixed rooms need the same classes/,
  );
});

test('data.mix from the config to the loader spec: placement defaults to overlay, beside passes through', () => {
  const cfgFile = 'configs/finetune/real-transfer.yaml';
  const sel = { scenes: ['scene0000_00'] };
  const spec = (overrides: string[]) =>
    sourceSpecSchema.parse(trainingSource(resolveSegConfig(cfgFile, overrides), sel)) as {
      mix?: { dir: string; split: string | null; p: number; placement: string; seed: number };
    };
  assert.equal(spec([]).mix, undefined, 'no mix unless data.mix is set');
  assert.deepEqual(spec(['data.mix={"dir":"rooms"}', 'data.loader.seed=4']).mix, {
    dir: 'rooms',
    split: 'train',
    p: 0.5,
    placement: 'overlay',
    seed: 4,
  });
  assert.equal(spec(['data.mix={"dir":"rooms"}', 'data.mix.placement=beside']).mix?.placement, 'beside');
  assert.throws(
    () => resolveSegConfig(cfgFile, ['data.mix={"dir":"rooms"}', 'data.mix.placement=under']),
    /data\.mix\.placement/,
  );
});
