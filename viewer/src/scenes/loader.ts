/**
 * Loads scenes off the main thread: one module worker (parse-worker.ts) fetches and parses; the
 * typed arrays come back by transfer. Requests are answered in order; a newer load does not wait
 * for an older one to be cancelled, the app simply ignores stale results.
 */
import type { ViewerCloud } from './viewer-cloud.js';

/** Main thread → worker. */
export interface WorkerRequest {
  id: number;
  url?: string;
  buffer?: ArrayBuffer;
  fileName: string;
  seed: number | null;
}

/** Time spent per stage, in ms. */
export interface LoadTimings {
  fetch: number;
  parse: number;
  prepare: number;
}

/** Worker → main thread. */
export type WorkerReply =
  | { id: number; kind: 'progress'; done: number; total: number }
  | { id: number; kind: 'done'; cloud: ViewerCloud; bytes: number; timings: LoadTimings }
  | { id: number; kind: 'error'; message: string };

/** A loaded scene with its timings. */
export interface Loaded {
  cloud: ViewerCloud;
  bytes: number;
  timings: LoadTimings;
}

export class CloudLoader {
  private readonly worker = new Worker(new URL('./parse-worker.ts', import.meta.url), { type: 'module' });
  private next = 1;
  private readonly waiting = new Map<
    number,
    {
      resolve: (l: Loaded) => void;
      reject: (e: Error) => void;
      progress?: (done: number, total: number) => void;
    }
  >();

  constructor() {
    this.worker.onmessage = (ev: MessageEvent<WorkerReply>) => {
      const msg = ev.data;
      const w = this.waiting.get(msg.id);
      if (!w) return;
      if (msg.kind === 'progress') return w.progress?.(msg.done, msg.total);
      this.waiting.delete(msg.id);
      if (msg.kind === 'done') w.resolve({ cloud: msg.cloud, bytes: msg.bytes, timings: msg.timings });
      else w.reject(new Error(msg.message));
    };
    this.worker.onerror = (ev) => {
      const err = new Error(`parser worker failed: ${ev.message}`);
      for (const w of this.waiting.values()) w.reject(err);
      this.waiting.clear();
    };
  }

  /** Loads from a URL (fetched inside the worker) or from bytes already in memory (dropped file). */
  load(
    source: { url: string } | { buffer: ArrayBuffer },
    fileName: string,
    progress?: (done: number, total: number) => void,
  ): Promise<Loaded> {
    const id = this.next++;
    const req: WorkerRequest = { id, fileName, seed: 1 };
    if ('url' in source) req.url = new URL(source.url, location.href).href;
    else req.buffer = source.buffer;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject, progress });
      this.worker.postMessage(req, 'buffer' in source ? [source.buffer] : []);
    });
  }
}
