import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  advance,
  batchSamples,
  batchesPerEpoch,
  checkResumeState,
  epochOrder,
} from '../../../src/data/loader/order.js';

describe('epoch order', () => {
  test('each epoch is a permutation, deterministic per (seed, epoch), different across epochs and seeds', () => {
    const e0 = epochOrder(50, 7, 0, true);
    assert.deepEqual(
      Array.from(e0).sort((a, b) => a - b),
      Array.from({ length: 50 }, (_, i) => i),
    );
    assert.deepEqual(epochOrder(50, 7, 0, true), e0);
    assert.notDeepEqual(epochOrder(50, 7, 1, true), e0);
    assert.notDeepEqual(epochOrder(50, 8, 0, true), e0);
    assert.deepEqual(Array.from(epochOrder(5, 7, 3, false)), [0, 1, 2, 3, 4]);
  });

  test('batches cut the order; dropLast drops the short tail', () => {
    assert.equal(batchesPerEpoch(10, 4, false), 3);
    assert.equal(batchesPerEpoch(10, 4, true), 2);
    const order = Int32Array.of(9, 8, 7, 6, 5, 4, 3, 2, 1, 0);
    assert.deepEqual(Array.from(batchSamples(order, 2, 4)), [1, 0]);
  });

  test('advance wraps into the next epoch; resume checks name the mismatch', () => {
    const s = { epoch: 0, batch: 2, seed: 1, size: 10, batchSize: 4 };
    assert.deepEqual(advance(s, 3), { ...s, epoch: 1, batch: 0 });
    assert.deepEqual(advance({ ...s, batch: 1 }, 3), s);
    assert.throws(
      () => checkResumeState(s, { seed: 2, size: 10, batchSize: 4 }, 3),
      /seed is 1 but the loader has 2/,
    );
    assert.throws(
      () => checkResumeState({ ...s, batch: 3 }, { seed: 1, size: 10, batchSize: 4 }, 3),
      /batch 3 is not a position/,
    );
  });
});
