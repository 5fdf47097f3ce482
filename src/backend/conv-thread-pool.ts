/**
 * Runs the fused conv kernels on worker threads over the shared memory of the multi-threaded
 * wasm backend (Node). Each worker instantiates the same run-time generated kernels on the same
 * WebAssembly.Memory and waits on an Atomics word; the calling thread runs the first task itself
 * and blocks until the workers are done (calls are split so no two threads write the same rows).
 */
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../core/worker-pool.js';
import { runTask, type ConvTask, type ParallelConv } from './parallel.js';
import type { ConvKernels } from './wasm-kernels/conv-kernels.js';

/** Control block layout (int32 words). */
export const CTRL = { generation: 0, done: 1, ready: 2, slot0: 16, slotWords: 4096 } as const;
/** Slot header: kind (0 fwd / 1 dw), cin, cout, number of calls, blocking rows, block, unroll; then 6 words per call. */
export const SLOT_HEADER = 7;

export class ConvThreadPool implements ParallelConv {
  readonly threads: number;
  readonly #ctrl: Int32Array;
  readonly #workers: Worker[] = [];

  constructor(memory: WebAssembly.Memory, threads: number) {
    this.threads = threads;
    const sab = new SharedArrayBuffer((CTRL.slot0 + threads * CTRL.slotWords) * 4);
    this.#ctrl = new Int32Array(sab);
    const url = new URL(
      import.meta.url.endsWith('.ts') ? './conv-worker.ts' : './conv-worker.js',
      import.meta.url,
    );
    for (let w = 1; w < threads; w++) {
      const worker = startWorker(url, { memory, ctrl: sab, slot: w });
      worker.unref();
      this.#workers.push(worker);
    }
  }

  /** Whether every worker has started (before that, run() does all the work itself). */
  get ready(): boolean {
    return Atomics.load(this.#ctrl, CTRL.ready) >= this.#workers.length;
  }

  run(tasks: ConvTask[], local: ConvKernels): void {
    const c = this.#ctrl;
    // Workers count themselves ready once their kernels module is loaded; until then (their
    // start-up needs this thread's event loop, which a blocking wait would starve) the calling
    // thread does all the work.
    const workers = Math.min(this.#workers.length, Atomics.load(c, CTRL.ready));
    if (workers < this.#workers.length) {
      for (const t of tasks) if (t) runTask(t, local);
      return;
    }
    for (let w = 1; w <= workers; w++) {
      const t = tasks[w];
      const base = CTRL.slot0 + w * CTRL.slotWords;
      const n = t ? t.calls.length / 6 : 0;
      if (t && SLOT_HEADER + t.calls.length > CTRL.slotWords)
        throw new Error('conv thread pool: too many calls for a slot');
      c[base] = t?.kind === 'dw' ? 1 : 0;
      c[base + 1] = t?.cin ?? 0;
      c[base + 2] = t?.cout ?? 0;
      c[base + 3] = n;
      c[base + 4] = t?.blocking.rows ?? 0;
      c[base + 5] = t?.blocking.block ?? 0;
      c[base + 6] = t?.blocking.unroll ?? 0;
      if (t) c.set(t.calls, base + SLOT_HEADER);
    }
    Atomics.store(c, CTRL.done, 0);
    Atomics.add(c, CTRL.generation, 1);
    Atomics.notify(c, CTRL.generation);
    if (tasks[0]) runTask(tasks[0], local);
    for (;;) {
      const d = Atomics.load(c, CTRL.done);
      if (d >= workers) break;
      Atomics.wait(c, CTRL.done, d, 10000);
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.#workers.map((w) => w.terminate()));
  }
}
