/**
 * Per-voxel instance ids in scene batches (detection vote targets): each voxel takes its first
 * point's instance, through augmentation subsets, stacked with the batch offsets; absent when the
 * scenes have no boxes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createBatchBuilder } from '../../../src/data/loader/build-batch.js';
import { parseLoaderConfig, type LoaderConfigInput } from '../../../src/data/loader/config.js';
import { batchTransferList } from '../../../src/data/loader/transfer.js';
import type { SceneSample } from '../../../src/data/loader/types.js';
import { rng } from '../../helpers/backends.js';

const builder = (c: Partial<LoaderConfigInput> = {}) =>
  createBatchBuilder(parseLoaderConfig({ voxelSize: 1, batchSize: 2, features: 'ones', ...c }));

const box = {
  label: 3,
  instance: 7,
  center: [0.5, 0.5, 0.5] as [number, number, number],
  size: [1, 1, 1] as [number, number, number],
};

function scene(name: string, positions: number[], instances: number[]): SceneSample {
  return {
    name,
    cloud: {
      positions: Float32Array.from(positions),
      labels: new Int32Array(instances.length),
      instances: Int32Array.from(instances),
    },
    boxes: [box],
  };
}

test('voxel instances: first point wins, stacked per item', () => {
  const a = scene('a', [0.2, 0.2, 0.2, 0.7, 0.7, 0.7, 3.5, 0, 0], [7, 9, -1]);
  const b = scene('b', [5, 5, 5, 5.5, 5.5, 5.5], [4, 4]);
  const batch = builder().scenes([a, b], [1, 2], 0, 0);
  assert.deepEqual(Array.from(batch.offsets), [0, 2, 3]);
  assert.deepEqual(Array.from(batch.instances!), [7, -1, 4]);
  assert.ok(batchTransferList(batch).includes(batch.instances!.buffer as ArrayBuffer));
});

test('voxel instances follow a random dropout subset (brute force over 20 seeds)', () => {
  const r = rng(3);
  const n = 400;
  const pos: number[] = [];
  const inst: number[] = [];
  for (let i = 0; i < n; i++) {
    pos.push(r() * 6, r() * 6, r() * 2);
    inst.push(Math.floor(r() * 5) - 1);
  }
  const s = scene('s', pos, inst);
  const b = builder({ transforms: [{ type: 'dropout', ratio: 0.5, p: 1 }], pointToVoxel: true });
  for (let seed = 0; seed < 20; seed++) {
    const batch = b.scenes([s], [seed], 0, 0);
    const m = batch.coords.length / 4;
    const p2v = batch.pointToVoxel![0];
    // the first surviving input point of each voxel (dropout keeps input order) gives its instance
    const want = new Int32Array(m).fill(-2);
    for (let i = 0; i < n; i++) if (p2v[i] >= 0 && want[p2v[i]] === -2) want[p2v[i]] = inst[i];
    assert.deepEqual(Array.from(batch.instances!), Array.from(want), `seed ${seed}`);
  }
});

test('no boxes → no voxel instances; mixed presence is an error naming the scene', () => {
  const plain: SceneSample = {
    name: 'p',
    cloud: { positions: Float32Array.of(0, 0, 0), instances: Int32Array.of(1) },
  };
  assert.equal(builder().scenes([plain], [1], 0, 0).instances, undefined);
  const noInst: SceneSample = {
    name: 'noinst',
    cloud: { positions: Float32Array.of(0, 0, 0), labels: Int32Array.of(0) },
    boxes: [],
  };
  assert.throws(
    () => builder().scenes([scene('a', [0, 0, 0], [1]), noInst], [1, 2], 0, 0),
    /noinst: has no instance ids/,
  );
});
