/**
 * `bench sparse` with a named kernel blocking: it reports the blocking it timed (DEFAULT_BLOCKING
 * when none is named), and counts the 27-offset pairs of a hand-checkable voxel set.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { benchSparseConv } from '../../src/bench/sparse.js';
import { useBackend } from '../helpers/backends.js';

test('bench sparse times the blocking it is given, else the default', async () => {
  await useBackend('wasm');
  // a solid 4×4×4 block: pairs = Σ over offsets of (4 − |dx|)(4 − |dy|)(4 − |dz|) = (4 + 2·3)³ = 1000
  const coords = new Int32Array(64 * 3);
  for (let i = 0; i < 64; i++) coords.set([i & 3, (i >> 2) & 3, i >> 4], i * 3);
  const res = benchSparseConv(
    { coords, channels: 8, reps: 1, blocking: { rows: 1, block: 8, unroll: 1 } },
    1,
  );
  assert.equal(res.pairs, 1000);
  assert.equal(res.voxels, 64);
  assert.equal(res.blocking, '1,8,1');
  assert.ok((res.conv_fwd_ms ?? -1) >= 0 && (res.conv_fwd_bwd_ms ?? -1) >= 0);
  assert.equal(benchSparseConv({ coords, channels: 8, reps: 1 }, 1).blocking, '2,4,1');
});
