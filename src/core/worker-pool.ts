/**
 * A small worker_threads pool: runs tasks on N workers (each a module that calls
 * `serveTasks(handler)`), returns results in task order, reports progress. Works from the
 * TypeScript sources (tests, via tsx) and from the compiled dist/.
 */
import { Worker, parentPort } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';

interface TaskMsg {
  id: number;
  task: unknown;
}
interface ResultMsg {
  id: number;
  result?: unknown;
  error?: string;
}

/**
 * The URL of a worker module given as `spec` ('./name.js', relative to the caller) and the
 * caller's `import.meta.url`: the .ts source when the caller runs from the TypeScript sources
 * (under tsx its URL ends in .ts), else the compiled .js next to it in dist/.
 */
export function workerUrl(spec: string, callerUrl: string): URL {
  return new URL(callerUrl.endsWith('.ts') ? spec.replace(/\.js$/, '.ts') : spec, callerUrl);
}

/**
 * Starts a worker for a module URL. A .ts module (running from the sources under tsx) gets a
 * bootstrap that registers tsx's loader inside the worker first: Node 20 ignores `--import` in
 * a worker's execArgv.
 */
export function startWorker(moduleUrl: URL, workerData?: unknown): Worker {
  const path = fileURLToPath(moduleUrl);
  if (!path.endsWith('.ts')) return new Worker(path, { workerData });
  const api = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(moduleUrl.href)}); })`;
  return new Worker(boot, { eval: true, workerData });
}

/** Inside a worker module: answers tasks with `handler` until the pool closes. */
export function serveTasks<T, R>(
  handler: (task: T) => R | Promise<R>,
  transfer?: (r: R) => ArrayBuffer[],
): void {
  if (!parentPort) throw new Error('serveTasks must run inside a worker thread');
  const port = parentPort;
  port.on('message', async (msg: TaskMsg) => {
    try {
      const result = await handler(msg.task as T);
      port.postMessage({ id: msg.id, result } satisfies ResultMsg, transfer ? transfer(result) : []);
    } catch (e) {
      port.postMessage({ id: msg.id, error: (e as Error).message } satisfies ResultMsg);
    }
  });
}

export interface PoolOptions {
  workers: number;
  onProgress?: (done: number, total: number) => void;
  workerData?: unknown;
}

/**
 * Runs `tasks` on `workers` threads of the module at `moduleUrl`; resolves with results in
 * task order. The first task error rejects (remaining workers are terminated).
 */
export async function runInWorkers<T, R>(
  moduleUrl: URL,
  tasks: readonly T[],
  opts: PoolOptions,
): Promise<R[]> {
  const results: R[] = new Array(tasks.length);
  if (tasks.length === 0) return results;
  const n = Math.max(1, Math.min(opts.workers, tasks.length));
  const workers = Array.from({ length: n }, () => startWorker(moduleUrl, opts.workerData));
  let next = 0;
  let done = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      const feed = (w: Worker) => {
        if (next >= tasks.length) return;
        const id = next++;
        w.postMessage({ id, task: tasks[id] } satisfies TaskMsg);
      };
      for (const w of workers) {
        w.on('message', (msg: ResultMsg) => {
          if (msg.error !== undefined) {
            reject(new Error(msg.error));
            return;
          }
          results[msg.id] = msg.result as R;
          done++;
          opts.onProgress?.(done, tasks.length);
          if (done === tasks.length) resolve();
          else feed(w);
        });
        w.on('error', reject);
        w.on('exit', (code) => {
          if (done < tasks.length && code !== 0) reject(new Error(`worker exited with code ${code}`));
        });
        feed(w);
      }
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results;
}
