/**
 * The worker pool runs TypeScript worker modules from the sources (tsx) and returns results in
 * task order; a failing task rejects with its message.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runInWorkers, workerUrl } from '../../src/core/worker-pool.js';

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

test('workerUrl: the .ts source next to a caller running from the sources, the .js next to a compiled one', () => {
  assert.equal(
    workerUrl('./conv-worker.js', 'file:///p/src/backend/conv-thread-pool.ts').href,
    'file:///p/src/backend/conv-worker.ts',
  );
  assert.equal(
    workerUrl('./conv-worker.js', 'file:///p/dist/backend/conv-thread-pool.js').href,
    'file:///p/dist/backend/conv-worker.js',
  );
  assert.equal(
    workerUrl('../loader/prefetch-worker.js', 'file:///p/src/data/pairs/generate.ts').href,
    'file:///p/src/data/loader/prefetch-worker.ts',
  );
});
