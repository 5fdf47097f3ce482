/**
 * The engine's fused conv kernels on every core in the page: Web Workers on the shared memory of
 * the threaded tfjs wasm module, driven through the same control block as Node's pool
 * (src/backend/conv-pool-control.ts). The segmentation worker is the calling thread (a dedicated
 * worker may block in Atomics.wait; the page's main thread never does).
 */
import type { ConvTask, ParallelConv } from '../../../src/backend/parallel.js';
import type { ConvKernels } from '../../../src/backend/wasm-kernels/conv-kernels.js';
import { controlBlock, poolReady, runOnPool } from '../../../src/backend/conv-pool-control.js';

export class BrowserConvPool implements ParallelConv {
  readonly threads: number;
  readonly #ctrl: Int32Array;
  readonly #workers: Worker[] = [];

  constructor(memory: WebAssembly.Memory, threads: number) {
    this.threads = threads;
    const sab = controlBlock(threads);
    this.#ctrl = new Int32Array(sab);
    for (let w = 1; w < threads; w++) {
      const worker = new Worker(new URL('./conv-pool-worker.ts', import.meta.url), { type: 'module' });
      worker.postMessage({ memory, ctrl: sab, slot: w });
      this.#workers.push(worker);
    }
  }

  get ready(): boolean {
    return poolReady(this.#ctrl, this.#workers.length);
  }

  run(tasks: ConvTask[], local: ConvKernels): void {
    runOnPool(this.#ctrl, this.#workers.length, tasks, local);
  }

  close(): void {
    for (const w of this.#workers) w.terminate();
  }
}
