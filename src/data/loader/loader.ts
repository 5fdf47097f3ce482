/**
 * The data loader: an endless (or `epochs`-long) stream of voxelised batches with a deterministic,
 * resumable order. Batches are built in worker threads, `prefetch` ahead of the consumer, with
 * typed arrays transferred back; `workers: 0` builds them in the calling thread (same batches).
 */
import type { Worker } from 'node:worker_threads';
import { startWorker, workerUrl } from '../../core/worker-pool.js';
import { BatchMaker } from './batch-maker.js';
import type { LoaderConfig } from './config.js';
import { advance, batchesPerEpoch, checkResumeState } from './order.js';
import { openSource, type SourceSpec } from './sources.js';
import type { PrefetchInit, PrefetchResult, PrefetchTask } from './prefetch-worker.js';
import type { Batch, LoaderState, SampleSource } from './types.js';

/** How to create a loader. */
export interface LoaderOptions {
  /** A source description (works in every mode) or a source object (in-thread mode only). */
  source: SourceSpec | SampleSource;
  /** The validated loader config (a task config's `data.loader`, or `parseLoaderConfig`'s result). */
  config: LoaderConfig;
  /** Continue from a saved `loader.state()`. */
  resume?: LoaderState;
}

/** A stream of batches. */
export interface DataLoader {
  readonly kind: 'scenes' | 'pairs';
  /** Samples in the source. */
  readonly size: number;
  readonly batchesPerEpoch: number;
  readonly config: LoaderConfig;
  /** Position of the next batch `next()` returns; save it with a checkpoint to resume. */
  state(): LoaderState;
  /** The next batch, or null once `epochs` epochs are done. */
  next(): Promise<Batch | null>;
  [Symbol.asyncIterator](): AsyncIterator<Batch>;
  /** Stops the workers (pending batches are dropped). */
  close(): Promise<void>;
}

function isSpec(s: SourceSpec | SampleSource): s is SourceSpec {
  return 'type' in s && typeof (s as { type: unknown }).type === 'string' && !('read' in s);
}

/** Creates a loader; in worker mode the source is opened inside the workers. */
export async function createLoader(opts: LoaderOptions): Promise<DataLoader> {
  const { config } = opts;
  if (config.workers === 0) {
    const source = isSpec(opts.source) ? await openSource(opts.source) : opts.source;
    return new Stream(
      config,
      source.kind,
      source.size,
      new InThread(new BatchMaker(source, config)),
      opts.resume,
    );
  }
  if (!isSpec(opts.source)) {
    throw new Error(
      'data loader: a source object cannot be sent to a worker; pass a source spec or set workers: 0',
    );
  }
  const pool = new WorkerPool(opts.source, config);
  try {
    const info = await pool.info();
    return new Stream(config, info.kind, info.size, pool, opts.resume);
  } catch (e) {
    await pool.close();
    throw e;
  }
}

/** Something that builds batch (epoch, index) asynchronously. */
interface Builder {
  request(epoch: number, index: number): Promise<Batch>;
  close(): Promise<void>;
}

class InThread implements Builder {
  constructor(private readonly maker: BatchMaker) {}
  request(epoch: number, index: number): Promise<Batch> {
    return this.maker.build(epoch, index);
  }
  async close(): Promise<void> {
    await this.maker.source.close?.();
  }
}

/** Starts one prefetch worker, from dist/ (.js) or from the TypeScript sources (under tsx). */
function startPrefetchWorker(init: PrefetchInit): Worker {
  return startWorker(workerUrl('./prefetch-worker.js', import.meta.url), init);
}

interface Pending {
  resolve(r: PrefetchResult): void;
  reject(e: Error): void;
}

/** Persistent prefetch workers, tasks round-robin, results matched by id. */
class WorkerPool implements Builder {
  private readonly workers: Worker[] = [];
  private readonly pending: Map<number, Pending>[] = [];
  private nextId = 0;
  private turn = 0;
  private failure: Error | null = null;
  private closed = false;

  constructor(spec: SourceSpec, config: LoaderConfig) {
    const init: PrefetchInit = { spec, config };
    for (let w = 0; w < config.workers; w++) {
      const worker = startPrefetchWorker(init);
      const pending = new Map<number, Pending>();
      worker.on('message', (msg: { id: number; result?: PrefetchResult; error?: string }) => {
        const p = pending.get(msg.id);
        if (!p) return;
        pending.delete(msg.id);
        // idle workers must not keep the process alive; a closing one must, until it exits
        if (pending.size === 0 && !this.closed) worker.unref();
        if (msg.error !== undefined) p.reject(new Error(msg.error));
        else p.resolve(msg.result as PrefetchResult);
      });
      const fail = (e: Error) => {
        this.failure ??= e;
        for (const p of pending.values()) p.reject(e);
        pending.clear();
      };
      worker.on('error', (e) => fail(new Error(`data loader worker failed: ${e.message}`)));
      worker.on('exit', (code) => {
        if (!this.closed) fail(new Error(`data loader worker exited with code ${code}`));
      });
      worker.unref();
      this.workers.push(worker);
      this.pending.push(pending);
    }
  }

  private post(task: PrefetchTask): Promise<PrefetchResult> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.closed) return Promise.reject(new Error('data loader is closed'));
    const w = this.turn;
    this.turn = (this.turn + 1) % this.workers.length;
    const id = this.nextId++;
    return new Promise<PrefetchResult>((resolve, reject) => {
      this.pending[w].set(id, { resolve, reject });
      this.workers[w].ref(); // keep the process alive while a batch is being built
      this.workers[w].postMessage({ id, task });
    });
  }

  async info(): Promise<{ kind: 'scenes' | 'pairs'; size: number }> {
    const r = await this.post({ op: 'info' });
    if (!('info' in r)) throw new Error('data loader worker: unexpected answer to info');
    return r.info;
  }

  async request(epoch: number, index: number): Promise<Batch> {
    const r = await this.post({ op: 'batch', epoch, index });
    if ('info' in r) throw new Error('data loader worker: unexpected answer to a batch request');
    return r;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

class Stream implements DataLoader {
  readonly batchesPerEpoch: number;
  private cursor: LoaderState;
  private ahead: LoaderState;
  private readonly queue: Promise<Batch>[] = [];
  private readonly depth: number;
  private broken: Error | null = null;

  constructor(
    readonly config: LoaderConfig,
    readonly kind: 'scenes' | 'pairs',
    readonly size: number,
    private readonly builder: Builder,
    resume?: LoaderState,
  ) {
    this.batchesPerEpoch = batchesPerEpoch(size, config.batchSize, config.dropLast);
    const base = { seed: config.seed, size, batchSize: config.batchSize };
    if (resume) checkResumeState(resume, base, this.batchesPerEpoch);
    this.cursor = resume
      ? { ...base, epoch: resume.epoch, batch: resume.batch }
      : { ...base, epoch: 0, batch: 0 };
    this.ahead = this.cursor;
    this.depth = config.workers === 0 ? 1 : config.prefetch;
  }

  state(): LoaderState {
    return { ...this.cursor };
  }

  private done(s: LoaderState): boolean {
    return this.config.epochs !== null && s.epoch >= this.config.epochs;
  }

  private fill(): void {
    while (this.queue.length < this.depth && !this.done(this.ahead)) {
      const p = this.builder.request(this.ahead.epoch, this.ahead.batch);
      p.catch(() => undefined); // surfaced when next() reaches it
      this.queue.push(p);
      this.ahead = advance(this.ahead, this.batchesPerEpoch);
    }
  }

  async next(): Promise<Batch | null> {
    if (this.broken) throw this.broken;
    if (this.config.workers > 0) this.fill();
    else if (this.queue.length === 0 && !this.done(this.ahead)) this.fill();
    const head = this.queue.shift();
    if (!head) return null;
    let batch: Batch;
    try {
      batch = await head;
    } catch (e) {
      // later batches are already in flight; the stream cannot continue past a failed one
      this.broken = new Error(
        `data loader: batch ${this.cursor.batch} of epoch ${this.cursor.epoch} failed: ${(e as Error).message}`,
      );
      throw this.broken;
    }
    this.cursor = advance(this.cursor, this.batchesPerEpoch);
    if (this.config.workers > 0) this.fill();
    return batch;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Batch> {
    for (;;) {
      const b = await this.next();
      if (!b) return;
      yield b;
    }
  }

  async close(): Promise<void> {
    this.queue.length = 0;
    await this.builder.close();
  }
}
