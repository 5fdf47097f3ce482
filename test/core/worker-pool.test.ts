/**
 * The worker pool runs TypeScript worker modules from the sources (tsx) and returns results in
 * task order; a failing task rejects with its message.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runInWorkers } from '../../src/core/worker-pool.js';

test('runInWorkers: results in order, progress, errors', async () => {
  const url = new URL('../data/fixtures/square-worker.ts', import.meta.url);
  const seen: number[] = [];
  const out = await runInWorkers<number, number>(url, [1, 2, 3, 4, 5], {
    workers: 2,
    onProgress: (d) => seen.push(d),
  });
  assert.deepEqual(out, [1, 4, 9, 16, 25]);
  assert.deepEqual(seen, [1, 2, 3, 4, 5]);
  await assert.rejects(runInWorkers<number, number>(url, [1, -1], { workers: 2 }), /negative input -1/);
});
