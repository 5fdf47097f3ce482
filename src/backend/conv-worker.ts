/**
 * A conv-kernel worker thread (see conv-thread-pool.ts): waits for a new generation on the
 * control block, runs the calls of its slot with kernels instantiated on the shared wasm memory,
 * counts itself done.
 */
import { workerData } from 'node:worker_threads';
import { ConvKernelCache } from './wasm-kernels/conv-kernels.js';
import { CTRL, SLOT_HEADER } from './conv-thread-pool.js';

const { memory, ctrl, slot } = workerData as {
  memory: WebAssembly.Memory;
  ctrl: SharedArrayBuffer;
  slot: number;
};
const c = new Int32Array(ctrl);
const cache = new ConvKernelCache(memory);
const base = CTRL.slot0 + slot * CTRL.slotWords;
// start from 0, not the current value: a job may already be posted before this thread runs
let generation = 0;

Atomics.add(c, CTRL.ready, 1);

for (;;) {
  Atomics.wait(c, CTRL.generation, generation);
  generation = Atomics.load(c, CTRL.generation);
  const n = c[base + 3];
  if (n > 0) {
    const k = cache.get(c[base + 1], c[base + 2], {
      rows: c[base + 4],
      block: c[base + 5],
      unroll: c[base + 6],
    });
    const fn = c[base] === 1 ? k.conv_dw : k.conv_fwd;
    for (let i = 0, p = base + SLOT_HEADER; i < n; i++, p += 6)
      fn(c[p], c[p + 1], c[p + 2], c[p + 3], c[p + 4], c[p + 5]);
  }
  Atomics.add(c, CTRL.done, 1);
  Atomics.notify(c, CTRL.done);
}
