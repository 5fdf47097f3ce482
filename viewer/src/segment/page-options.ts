/**
 * The segmentation options of the page's query string: ?model=<url of an export folder>,
 * &backend=auto|webgpu|webgl|wasm|cpu, &maxPoints=N, &threads=N (wasm threads when cross-origin
 * isolated; default every core), and for testing the result check, ?simulateFailure=<backend>
 * (its output becomes zeros). A bad value is reported and its default used.
 */
import { BROWSER_BACKENDS, type BrowserBackend } from './protocol.js';
import type { SegmentOptions } from './segment-ui.js';

/** The options of query string `search`; problems are appended to `problems`. */
export function segmentOptions(search: string, problems: string[]): SegmentOptions {
  const q = new URLSearchParams(search);
  const backend = (q.get('backend') ?? 'auto') as BrowserBackend;
  const maxPoints = Number(q.get('maxPoints') ?? 2_000_000);
  if (!BROWSER_BACKENDS.includes(backend))
    problems.push(`?backend=${backend}: expected one of ${BROWSER_BACKENDS.join(', ')}; using auto`);
  if (!Number.isInteger(maxPoints) || maxPoints < 1)
    problems.push(`?maxPoints=${q.get('maxPoints')}: expected a positive integer; using 2000000`);
  const threadsArg = q.get('threads');
  const threads = threadsArg === null ? null : Number(threadsArg);
  if (threads !== null && !(Number.isInteger(threads) && threads >= 1))
    problems.push(`?threads=${threadsArg}: expected a positive integer; using every core`);
  const fail = q.get('simulateFailure');
  const backends: readonly string[] = BROWSER_BACKENDS;
  if (fail !== null && (fail === 'auto' || !backends.includes(fail)))
    problems.push(
      `?simulateFailure=${fail}: expected one of ${BROWSER_BACKENDS.slice(1).join(', ')}; ignored`,
    );
  return {
    threads: threads !== null && Number.isInteger(threads) && threads >= 1 ? threads : null,
    simulateFailure: fail !== null && fail !== 'auto' && backends.includes(fail) ? fail : null,
    modelUrl: q.get('model'),
    backend: BROWSER_BACKENDS.includes(backend) ? backend : 'auto',
    maxPoints: Number.isInteger(maxPoints) && maxPoints >= 1 ? maxPoints : 2_000_000,
  };
}
