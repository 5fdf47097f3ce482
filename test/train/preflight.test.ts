/**
 * The preflight passes on wasm and cpu, and names the kernel when one is missing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { preflight, PreflightError } from '../../src/train/preflight.js';
import { TEST_BACKENDS, useBackend } from '../helpers/backends.js';

for (const backend of TEST_BACKENDS) {
  test(`preflight passes on ${backend} without leaking tensors`, async () => {
    await useBackend(backend);
    const before = tf.memory().numTensors;
    preflight();
    assert.equal(tf.memory().numTensors, before);
  });
}

test('preflight names a missing kernel', async () => {
  await useBackend('wasm');
  const log = tf.getKernel('Log', 'wasm')!;
  tf.unregisterKernel('Log', 'wasm');
  try {
    assert.throws(
      () => preflight(),
      (e: Error) => e instanceof PreflightError && /lacks kernel 'Log'/.test(e.message),
    );
  } finally {
    tf.registerKernel(log);
  }
});
