/**
 * Runs the fused conv kernels on worker threads over the shared memory of the multi-threaded
 * wasm backend (Node). Each worker instantiates the same run-time generated kernels on the same
 * WebAssembly.Memory and waits on an Atomics word; the calling thread runs the first task itself
 * and blocks until the workers are done (calls are split so no two threads write the same rows).
 * The pool and its control block protocol are in conv-pool-control.ts.
 */
import type { Worker } from 'node:worker_threads';
import { startWorker, workerUrl } from '../core/worker-pool.js';
import { ConvPool, type PoolTimeouts } from './conv-pool-control.js';

/** A pool of `threads` threads on `memory`; its workers do not keep the process alive. */
export function nodeConvPool(
  memory: WebAssembly.Memory,
  threads: number,
  timeouts?: PoolTimeouts,
): ConvPool<Worker> {
  const url = workerUrl('./conv-worker.js', import.meta.url);
  return new ConvPool(
    memory,
    threads,
    (init) => {
      const worker = startWorker(url, init);
      worker.unref();
      return worker;
    },
    timeouts,
  );
}
