/**
 * The control block shared by a conv kernel pool's threads, and both sides of it: the calling
 * thread posts one task per worker slot, bumps a generation word and runs its own task; each worker
 * waits on the generation, claims its slot, runs it with kernels on the shared wasm memory and
 * counts itself done (or leaves its error there); the caller takes over a slot no worker claimed
 * in time. Platform-free: Node's worker_threads (conv-thread-pool.ts) and the browser's Web Workers
 * (viewer/src/segment/conv-pool.ts) start the threads.
 */
import { ConvPoolError, runTask, type ConvTask, type ParallelConv } from './parallel.js';
import { ConvKernelCache, type ConvKernels } from './wasm-kernels/conv-kernels.js';

/** Control block layout (int32 words). */
export const CTRL = { generation: 0, done: 1, ready: 2, error: 3, slot0: 16, slotWords: 4096 } as const;
/**
 * Slot words: the task (kind 0 fwd / 1 dw, cin, cout, number of calls, blocking rows, block,
 * unroll), then `claim` (the last generation a thread took this slot's task for: its worker, or
 * the caller when the worker does not answer), then the length of the worker's error message,
 * written from SLOT_HEADER on. The task's calls follow the header, 6 words each.
 */
export const SLOT = {
  kind: 0,
  cin: 1,
  cout: 2,
  calls: 3,
  rows: 4,
  block: 5,
  unroll: 6,
  claim: 7,
  errorLength: 8,
} as const;
export const SLOT_HEADER = 9;

/** How long the caller waits for its workers (ms); a task takes milliseconds. */
export interface PoolTimeouts {
  /** For a worker to take its task before the caller does it itself. */
  claimAfterMs: number;
  /** For a worker that took its task to finish before the caller gives up. */
  stuckAfterMs: number;
}

/** The defaults: a worker gets 5 s to take its task and 5 min to finish it. */
export const POOL_TIMEOUTS: PoolTimeouts = { claimAfterMs: 5000, stuckAfterMs: 300_000 };

/** A control block for `threads` threads (slot 0 is the caller's). */
export function controlBlock(threads: number): SharedArrayBuffer {
  return new SharedArrayBuffer((CTRL.slot0 + threads * CTRL.slotWords) * 4);
}

/** Whether all `workers` have started. */
export function poolReady(c: Int32Array, workers: number): boolean {
  return Atomics.load(c, CTRL.ready) >= workers;
}

/** Takes slot `w`'s task for generation `g` unless another thread already has. */
function claim(c: Int32Array, w: number, g: number): boolean {
  const at = CTRL.slot0 + w * CTRL.slotWords + SLOT.claim;
  const prev = Atomics.load(c, at);
  // (g − prev) as a signed 32-bit difference, so the order survives the generation word's wrap
  return ((g - prev) | 0) > 0 && Atomics.compareExchange(c, at, prev, g) === prev;
}

/** The error message worker `w` left in its slot. */
function slotError(c: Int32Array, w: number): string {
  const base = CTRL.slot0 + w * CTRL.slotWords;
  const n = Math.min(c[base + SLOT.errorLength], CTRL.slotWords - SLOT_HEADER);
  let m = '';
  for (let i = 0; i < n; i++) m += String.fromCharCode(c[base + SLOT_HEADER + i]);
  return m;
}

/** What `runOnPool` did besides the work: the workers whose task the caller took over. */
export interface PoolRun {
  tookOver: number[];
}

/**
 * Runs tasks[w] on worker w (tasks[0] here) and blocks until all are done. A worker that has not
 * taken its task after `claimAfterMs` (a thread that died or hangs) has it taken over by the
 * caller (claims are exclusive, so a late worker skips it); reported in the result. A worker's
 * exception, or a task running longer than `stuckAfterMs`, throws a ConvPoolError.
 */
export function runOnPool(
  c: Int32Array,
  poolWorkers: number,
  tasks: ConvTask[],
  local: ConvKernels,
  timeouts: PoolTimeouts = POOL_TIMEOUTS,
): PoolRun {
  // Workers count themselves ready once their kernels module is loaded; until then (their
  // start-up may need this thread's event loop, which a blocking wait would starve) the calling
  // thread does all the work.
  const workers = Math.min(poolWorkers, Atomics.load(c, CTRL.ready));
  const tookOver: number[] = [];
  if (workers < poolWorkers) {
    for (const t of tasks) if (t) runTask(t, local);
    return { tookOver };
  }
  for (let w = 1; w <= workers; w++) {
    const t = tasks[w];
    const base = CTRL.slot0 + w * CTRL.slotWords;
    const n = t ? t.calls.length / 6 : 0;
    if (t && SLOT_HEADER + t.calls.length > CTRL.slotWords)
      throw new Error('conv thread pool: too many calls for a slot');
    c[base + SLOT.kind] = t?.kind === 'dw' ? 1 : 0;
    c[base + SLOT.cin] = t?.cin ?? 0;
    c[base + SLOT.cout] = t?.cout ?? 0;
    c[base + SLOT.calls] = n;
    c[base + SLOT.rows] = t?.blocking.rows ?? 0;
    c[base + SLOT.block] = t?.blocking.block ?? 0;
    c[base + SLOT.unroll] = t?.blocking.unroll ?? 0;
    if (t) c.set(t.calls, base + SLOT_HEADER);
  }
  Atomics.store(c, CTRL.done, 0);
  Atomics.store(c, CTRL.error, 0);
  const g = Atomics.add(c, CTRL.generation, 1) + 1;
  Atomics.notify(c, CTRL.generation);
  // The caller's own task failing must not end the call while workers still read and write its
  // buffers (the caller frees them on return): it is rethrown once every worker is done.
  let ownError: { error: unknown } | undefined;
  if (tasks[0]) {
    try {
      runTask(tasks[0], local);
    } catch (error) {
      ownError = { error };
    }
  }
  // a monotonic clock: a wall-clock step must not look like a worker that stopped answering
  const t0 = performance.now();
  const step = Math.min(1000, timeouts.claimAfterMs);
  let checkedClaims = false;
  for (;;) {
    const d = Atomics.load(c, CTRL.done);
    if (d >= workers) break;
    Atomics.wait(c, CTRL.done, d, step);
    const waited = performance.now() - t0;
    if (!checkedClaims && waited >= timeouts.claimAfterMs) {
      checkedClaims = true;
      for (let w = 1; w <= workers; w++) {
        if (!claim(c, w, g)) continue;
        if (tasks[w]) runTask(tasks[w], local);
        tookOver.push(w);
        Atomics.add(c, CTRL.done, 1);
      }
    }
    if (waited >= timeouts.stuckAfterMs)
      throw new ConvPoolError(
        `conv thread pool: a worker has run one task for ${Math.round(waited / 1000)} s without finishing`,
        false,
      );
  }
  if (ownError) throw ownError.error;
  const failed = Atomics.load(c, CTRL.error);
  if (failed > 0)
    throw new ConvPoolError(`conv thread pool: worker ${failed} failed: ${slotError(c, failed)}`, true);
  return { tookOver };
}

/** Leaves `e`'s message in the slot at `base` for the caller (the calls it overwrites are done with). */
function leaveError(c: Int32Array, base: number, slot: number, e: unknown): void {
  const m = String(e instanceof Error ? `${e.name}: ${e.message}` : e).slice(0, 1000);
  for (let i = 0; i < m.length; i++) c[base + SLOT_HEADER + i] = m.charCodeAt(i);
  c[base + SLOT.errorLength] = m.length;
  Atomics.compareExchange(c, CTRL.error, 0, slot);
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
    const n = c[base + SLOT.calls];
    let claimed = false;
    try {
      // kernels first (a first use compiles a module), then the claim: a thread that stalls or
      // fails before its claim leaves the task to the caller, which then computes it exactly
      const k =
        n > 0
          ? cache.get(c[base + SLOT.cin], c[base + SLOT.cout], {
              rows: c[base + SLOT.rows],
              block: c[base + SLOT.block],
              unroll: c[base + SLOT.unroll],
            })
          : undefined;
      // the caller took the task over when this thread was too late (and counts it done itself)
      claimed = claim(c, slot, generation);
      if (!claimed) continue;
      if (k) {
        const fn = c[base + SLOT.kind] === 1 ? k.conv_dw : k.conv_fwd;
        for (let i = 0, p = base + SLOT_HEADER; i < n; i++, p += 6)
          fn(c[p], c[p + 1], c[p + 2], c[p + 3], c[p + 4], c[p + 5]);
      }
    } catch (e) {
      // keep serving: the caller learns of it through the control block instead of waiting forever
      if (!claimed && !claim(c, slot, generation)) continue;
      leaveError(c, base, slot, e);
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
  #broken: string | undefined;

  constructor(
    memory: WebAssembly.Memory,
    threads: number,
    start: (init: PoolWorkerInit) => W,
    readonly timeouts: PoolTimeouts = POOL_TIMEOUTS,
  ) {
    this.threads = threads;
    const ctrl = controlBlock(threads);
    this.#ctrl = new Int32Array(ctrl);
    for (let slot = 1; slot < threads; slot++) this.#workers.push(start({ memory, ctrl, slot }));
  }

  /** Whether every worker has started (before that, run() does all the work itself). */
  get ready(): boolean {
    return poolReady(this.#ctrl, this.#workers.length);
  }

  /** Why the pool stopped using its workers (a worker failed or did not answer), if it did. */
  get broken(): string | undefined {
    return this.#broken;
  }

  /**
   * Runs the tasks; once a worker has failed or not answered, every later call runs on the
   * caller alone. A worker's failure throws (ConvPoolError, recoverable: recompute the op).
   */
  run(tasks: ConvTask[], local: ConvKernels): void {
    if (this.#broken !== undefined) {
      for (const t of tasks) if (t) runTask(t, local);
      return;
    }
    try {
      const { tookOver } = runOnPool(this.#ctrl, this.#workers.length, tasks, local, this.timeouts);
      if (tookOver.length > 0) this.#stop(`conv thread pool: worker ${tookOver.join(', ')} did not answer`);
    } catch (e) {
      if (e instanceof ConvPoolError) this.#stop(e.message);
      throw e;
    }
  }

  #stop(reason: string): void {
    this.#broken = reason;
    console.warn(`${reason}; the convolutions now run on the calling thread (slower, the same results)`);
  }

  /** Stops the workers. */
  async close(): Promise<void> {
    await Promise.all(this.#workers.map((w) => w.terminate()));
  }
}
