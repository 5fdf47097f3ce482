/**
 * The control block shared by a conv kernel pool's threads, and both sides of it: the calling
 * thread posts one task per worker slot, bumps a generation word and runs its own task; each worker
 * waits on the generation, runs its slot with kernels on the shared wasm memory, counts itself
 * done. Platform-free: Node's worker_threads (conv-thread-pool.ts) and the browser's Web Workers
 * (viewer/src/segment/conv-pool.ts) start the threads.
 */
import { runTask, type ConvTask, type ParallelConv } from './parallel.js';
import { ConvKernelCache, type ConvKernels } from './wasm-kernels/conv-kernels.js';

/** Control block layout (int32 words). */
export const CTRL = { generation: 0, done: 1, ready: 2, slot0: 16, slotWords: 4096 } as const;
/** Slot header: kind (0 fwd / 1 dw), cin, cout, number of calls, blocking rows, block, unroll; then 6 words per call. */
export const SLOT_HEADER = 7;

/** A control block for `threads` threads (slot 0 is the caller's). */
export function controlBlock(threads: number): SharedArrayBuffer {
  return new SharedArrayBuffer((CTRL.slot0 + threads * CTRL.slotWords) * 4);
}

/** Whether all `workers` have started. */
export function poolReady(c: Int32Array, workers: number): boolean {
  return Atomics.load(c, CTRL.ready) >= workers;
}

/** Runs tasks[w] on worker w (tasks[0] here) and blocks until all are done. */
export function runOnPool(c: Int32Array, poolWorkers: number, tasks: ConvTask[], local: ConvKernels): void {
  // Workers count themselves ready once their kernels module is loaded; until then (their
  // start-up may need this thread's event loop, which a blocking wait would starve) the calling
  // thread does all the work.
  const workers = Math.min(poolWorkers, Atomics.load(c, CTRL.ready));
  if (workers < poolWorkers) {
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

/** The loop of pool thread `slot`: never returns (the thread is terminated with its pool). */
export function serveConvSlot(memory: WebAssembly.Memory, ctrl: SharedArrayBuffer, slot: number): never {
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
}

/** The message a pool worker starts with: the shared wasm memory, the control block, its slot. */
export interface PoolWorkerInit {
  memory: WebAssembly.Memory;
  ctrl: SharedArrayBuffer;
  slot: number;
}

/** What the pool needs of a started worker thread. */
export interface PoolWorker {
  terminate(): unknown;
}

/**
 * A conv kernel pool of `threads` threads: the calling thread and `threads − 1` workers that
 * `start` launches (a Node worker_thread or a Web Worker) with their init message.
 */
export class ConvPool<W extends PoolWorker> implements ParallelConv {
  readonly threads: number;
  readonly #ctrl: Int32Array;
  readonly #workers: W[] = [];

  constructor(memory: WebAssembly.Memory, threads: number, start: (init: PoolWorkerInit) => W) {
    this.threads = threads;
    const ctrl = controlBlock(threads);
    this.#ctrl = new Int32Array(ctrl);
    for (let slot = 1; slot < threads; slot++) this.#workers.push(start({ memory, ctrl, slot }));
  }

  /** Whether every worker has started (before that, run() does all the work itself). */
  get ready(): boolean {
    return poolReady(this.#ctrl, this.#workers.length);
  }

  run(tasks: ConvTask[], local: ConvKernels): void {
    runOnPool(this.#ctrl, this.#workers.length, tasks, local);
  }

  /** Stops the workers. */
  async close(): Promise<void> {
    await Promise.all(this.#workers.map((w) => w.terminate()));
  }
}
