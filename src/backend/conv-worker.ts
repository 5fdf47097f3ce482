/**
 * A conv-kernel worker thread of the Node pool (see conv-thread-pool.ts): serves its slot of the
 * control block with kernels on the shared wasm memory (conv-pool-control.ts).
 */
import { workerData } from 'node:worker_threads';
import { serveConvSlot } from './conv-pool-control.js';

const { memory, ctrl, slot } = workerData as {
  memory: WebAssembly.Memory;
  ctrl: SharedArrayBuffer;
  slot: number;
};
serveConvSlot(memory, ctrl, slot);
