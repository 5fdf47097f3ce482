/**
 * Runs the fused conv kernels on worker threads over the shared memory of the multi-threaded
 * wasm backend (Node). Each worker instantiates the same run-time generated kernels on the same
 * WebAssembly.Memory and waits on an Atomics word; the calling thread runs the first task itself
 * and blocks until the workers are done (calls are split so no two threads write the same rows).
 * The control block protocol is in conv-pool-control.ts.
 */
import type { Worker } from 'node:worker_threads';
import { startWorker, workerUrl } from '../core/worker-pool.js';
import type { ConvTask, ParallelConv } from './parallel.js';
import type { ConvKernels } from './wasm-kernels/conv-kernels.js';
import { controlBlock, poolReady, runOnPool } from './conv-pool-control.js';

export class ConvThreadPool implements ParallelConv {
  readonly threads: number;
  readonly #ctrl: Int32Array;
  readonly #workers: Worker[] = [];

  constructor(memory: WebAssembly.Memory, threads: number) {
    this.threads = threads;
    const sab = controlBlock(threads);
    this.#ctrl = new Int32Array(sab);
    const url = workerUrl('./conv-worker.js', import.meta.url);
    for (let w = 1; w < threads; w++) {
      const worker = startWorker(url, { memory, ctrl: sab, slot: w });
      worker.unref();
      this.#workers.push(worker);
    }
  }

  /** Whether every worker has started (before that, run() does all the work itself). */
  get ready(): boolean {
    return poolReady(this.#ctrl, this.#workers.length);
  }

  run(tasks: ConvTask[], local: ConvKernels): void {
    runOnPool(this.#ctrl, this.#workers.length, tasks, local);
  }

  async close(): Promise<void> {
    await Promise.all(this.#workers.map((w) => w.terminate()));
  }
}
