/**
 * Splitting the fused conv kernels over threads. A conv is a list of kernel calls (6 int32
 * arguments each); a runner executes one list per thread, the first on the calling thread.
 * Forward / input-gradient lists are split by output rows (maps whose pairs are sorted by
 * output row), weight-gradient lists by offset, so threads never write the same memory.
 * The runner itself is installed by the Node backend (worker_threads on the shared wasm heap).
 */
import type { ConvBlocking, ConvKernels } from './wasm-kernels/conv-kernels.js';

/** The calls of one thread: kernel kind, channel pair, blocking, and 6 arguments per call. */
export interface ConvTask {
  kind: 'fwd' | 'dw';
  cin: number;
  cout: number;
  /** The kernels' blocking (every thread runs the same kernels, so the same bits). */
  blocking: ConvBlocking;
  calls: number[];
}

/** Runs tasks in parallel (tasks[0] on the calling thread) and returns when all are done. */
export interface ParallelConv {
  readonly threads: number;
  /** False while worker threads are still starting (the work then runs on the caller). */
  readonly ready: boolean;
  run(tasks: ConvTask[], local: ConvKernels): void;
}

/**
 * A pool thread failed or stopped answering. `recoverable`: the op's outputs may be partly
 * written, but no thread still writes them and the pool now runs on the caller alone, so the
 * caller can recompute the whole op.
 */
export class ConvPoolError extends Error {
  constructor(
    message: string,
    readonly recoverable: boolean,
  ) {
    super(message);
    this.name = 'ConvPoolError';
  }
}

let runner: ParallelConv | undefined;

/** Installs (or removes) the parallel runner used by the fused conv path. */
export function setParallelConv(r: ParallelConv | undefined): void {
  runner = r;
}

/** The installed runner, if any. */
export function parallelConv(): ParallelConv | undefined {
  return runner;
}

/** Runs a task's calls with the given kernels on the current thread. */
export function runTask(task: ConvTask, k: ConvKernels): void {
  const c = task.calls;
  const fn = task.kind === 'fwd' ? k.conv_fwd : k.conv_dw;
  for (let i = 0; i < c.length; i += 6) fn(c[i], c[i + 1], c[i + 2], c[i + 3], c[i + 4], c[i + 5]);
}

/** First index j in [lo, hi) with arr[j] ≥ v (arr ascending on that range). */
export function lowerBound(arr: Int32Array, lo: number, hi: number, v: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (arr[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
