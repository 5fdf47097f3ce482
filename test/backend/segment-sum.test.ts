/**
 * The registered UnsortedSegmentSum kernels (wasm lacks one; cpu's loops over every segment)
 * against a brute-force sum, including dropped out-of-range ids and int32 inputs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { TEST_BACKENDS, useBackend } from '../helpers/backends.js';

for (const backend of TEST_BACKENDS) {
  test(`UnsortedSegmentSum equals a brute-force sum (${backend})`, async () => {
    await useBackend(backend);
    const x = [
      [1, 2],
      [3, 4],
      [5, 6],
      [7, 8],
    ];
    const ids = [2, 0, 2, 9];
    const got = tf.unsortedSegmentSum(tf.tensor2d(x), tf.tensor1d(ids, 'int32'), 4).arraySync();
    assert.deepEqual(got, [
      [3, 4],
      [0, 0],
      [6, 8],
      [0, 0],
    ]);
    const gi = tf.unsortedSegmentSum(tf.tensor1d([1, 2, 3], 'int32'), tf.tensor1d([1, 1, 0], 'int32'), 2);
    assert.equal(gi.dtype, 'int32');
    assert.deepEqual(Array.from(gi.dataSync()), [3, 3]);
  });
}
