/**
 * The prefetch worker: opens the loader's source once, then answers (epoch, index) requests with
 * built batches whose typed arrays are transferred, not copied, to the training thread.
 */
import { workerData } from 'node:worker_threads';
import { serveTasks } from '../../core/worker-pool.js';
import { BatchMaker } from './batch-maker.js';
import type { LoaderConfig } from './config.js';
import { openSource, type SourceSpec } from './sources.js';
import { batchTransferList } from './transfer.js';
import type { Batch } from './types.js';

/** What the loader passes as workerData. */
export interface PrefetchInit {
  spec: SourceSpec;
  config: LoaderConfig;
}

/** Requests the worker answers. */
export type PrefetchTask = { op: 'info' } | { op: 'batch'; epoch: number; index: number };

/** Answers: the source's kind and size, or a batch. */
export type PrefetchResult = { info: { kind: 'scenes' | 'pairs'; size: number } } | Batch;

const init = workerData as PrefetchInit;
const maker = openSource(init.spec).then((src) => new BatchMaker(src, init.config));
// keep an open failure from surfacing as an unhandled rejection; each task reports it
maker.catch(() => undefined);

serveTasks<PrefetchTask, PrefetchResult>(
  async (task) => {
    const m = await maker;
    if (task.op === 'info') return { info: { kind: m.source.kind, size: m.source.size } };
    return m.build(task.epoch, task.index);
  },
  (r) => ('info' in r ? [] : batchTransferList(r)),
);
