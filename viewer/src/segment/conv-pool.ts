/**
 * The engine's fused conv kernels on every core in the page: Web Workers on the shared memory of
 * the threaded tfjs wasm module, driven through the same pool and control block as Node's
 * (src/backend/conv-pool-control.ts). The segmentation worker is the calling thread (a dedicated
 * worker may block in Atomics.wait; the page's main thread never does).
 */
import { ConvPool } from '../../../src/backend/conv-pool-control.js';

/** A pool of `threads` threads on `memory`, its workers started from conv-pool-worker.ts. */
export function browserConvPool(memory: WebAssembly.Memory, threads: number): ConvPool<Worker> {
  return new ConvPool(memory, threads, (init) => {
    const worker = new Worker(new URL('./conv-pool-worker.ts', import.meta.url), { type: 'module' });
    worker.postMessage(init);
    return worker;
  });
}
