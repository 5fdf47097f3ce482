/**
 * Worker thread of the fuzz test: runs one fuzz task, reports each case before parsing it (so a
 * hang is named), then the result or the failure.
 */
import { parentPort } from 'node:worker_threads';
import { fuzz, type FuzzResult, type Seed } from './fuzz-cases.js';

/** What the test posts. */
export interface FuzzTask {
  format: string;
  fileName: string;
  seeds: Seed[];
  seed: number;
}

/** What the worker posts back. */
export type FuzzReply =
  { kind: 'case'; where: string } | { kind: 'done'; result: FuzzResult } | { kind: 'failed'; error: string };

const port = parentPort;
if (port) {
  port.once('message', (t: FuzzTask) => {
    try {
      const result = fuzz(t.format, t.fileName, t.seeds, t.seed, (where) =>
        port.postMessage({ kind: 'case', where } satisfies FuzzReply),
      );
      port.postMessage({ kind: 'done', result } satisfies FuzzReply);
    } catch (e) {
      port.postMessage({ kind: 'failed', error: (e as Error).message } satisfies FuzzReply);
    }
  });
}
