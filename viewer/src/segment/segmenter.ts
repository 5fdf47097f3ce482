/**
 * Main-thread handle on the segmentation worker: one model per page, loaded on first use; each
 * request resolves with its result or rejects with the worker's message.
 */
import type { BrowserBackend, ModelInfo, SegmentReply, SegmentRequest, SegmentResult } from './protocol.js';

/** Stage text and, when known, the fraction done. */
export type SegmentProgress = (stage: string, fraction?: number) => void;

/** A request without its id (Omit does not distribute over the union). */
type Request =
  | Omit<Extract<SegmentRequest, { kind: 'init' }>, 'id'>
  | Omit<Extract<SegmentRequest, { kind: 'segment' }>, 'id'>;

type Pending = {
  resolve: (v: ModelInfo | SegmentResult) => void;
  reject: (e: Error) => void;
  progress?: SegmentProgress;
};

export class Segmenter {
  private worker: Worker | null = null;
  private next = 1;
  private readonly waiting = new Map<number, Pending>();
  private ready: Promise<ModelInfo> | null = null;

  constructor(
    private readonly modelUrl: string,
    private readonly backend: BrowserBackend,
    private readonly simulateFailure: string | null = null,
    private readonly threads: number | null = null,
  ) {}

  private start(): Worker {
    const w = new Worker(new URL('./segment-worker.ts', import.meta.url), { type: 'module' });
    w.onmessage = (ev: MessageEvent<SegmentReply>) => {
      const msg = ev.data;
      const p = this.waiting.get(msg.id);
      if (!p) return;
      if (msg.kind === 'progress') return p.progress?.(msg.stage, msg.fraction);
      this.waiting.delete(msg.id);
      if (msg.kind === 'error') p.reject(new Error(msg.message));
      else if (msg.kind === 'ready') p.resolve(msg.info);
      else {
        const { cloud, pred, voxels, info, timings, ply } = msg;
        p.resolve({ cloud, pred, voxels, info, timings, ply });
      }
    };
    w.onerror = (ev) => {
      const err = new Error(`segmentation worker failed: ${ev.message}`);
      for (const p of this.waiting.values()) p.reject(err);
      this.waiting.clear();
    };
    return w;
  }

  private send<T>(req: Request, progress?: SegmentProgress, transfer: ArrayBuffer[] = []): Promise<T> {
    this.worker ??= this.start();
    const id = this.next++;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as Pending['resolve'], reject, progress });
      this.worker!.postMessage({ ...req, id } as SegmentRequest, transfer);
    });
  }

  /** Loads the model once (later calls share the first load; a failed load is retried). */
  load(progress?: SegmentProgress): Promise<ModelInfo> {
    if (!this.ready) {
      this.ready = this.send<ModelInfo>(
        {
          kind: 'init',
          modelUrl: this.modelUrl,
          backend: this.backend,
          simulateFailure: this.simulateFailure,
          threads: this.threads,
        },
        progress,
      );
      this.ready.catch(() => {
        this.ready = null;
        this.worker?.terminate();
        this.worker = null;
      });
    }
    return this.ready;
  }

  /** Segments a file's bytes (transferred to the worker). */
  async segment(
    buffer: ArrayBuffer,
    fileName: string,
    maxPoints: number,
    progress?: SegmentProgress,
    runs = 1,
  ): Promise<SegmentResult> {
    await this.load(progress);
    return this.send<SegmentResult>({ kind: 'segment', buffer, fileName, maxPoints, runs }, progress, [
      buffer,
    ]);
  }
}
