/**
 * Multi-threaded XNNPACK for the tfjs wasm backend in Node.
 *
 * tfjs-backend-wasm disables threads in Node (its pthread workers come from blob URLs, which
 * node's Worker refuses) and caps the pool at cores/2. We instantiate the threaded-SIMD build
 * ourselves with a file-backed pthread entry (wasm-pthread-worker.cjs) and register it as the
 * `wasm` backend, so every stock wasm kernel runs on the multi-threaded module.
 */
import * as tf from '@tensorflow/tfjs';
import { BackendWasm, setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import os from 'node:os';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

interface EmscriptenModule {
  cwrap: (name: string, ret: string | null, args: string[]) => (...a: number[]) => number;
  tfjs?: unknown;
  PThread?: { runningWorkers: { unref?: () => void }[]; unusedWorkers: { unref?: () => void }[] };
}
type Factory = (cfg: Record<string, unknown>) => Promise<EmscriptenModule>;

/** Whether this Node can run wasm threads (shared memory + Atomics). */
export function nodeSupportsWasmThreads(): boolean {
  try {
    const mem = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
    return mem.buffer instanceof SharedArrayBuffer;
  } catch {
    return false;
  }
}

/**
 * Replaces the registered `wasm` backend by one backed by the threaded-SIMD module with
 * `threads` XNNPACK threads. Call before the first `tf.setBackend('wasm')`.
 */
export function registerThreadedWasmBackend(threads: number, priority = 3): void {
  const factoryPath =
    require.resolve('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js');
  const wasmPath = path.join(path.dirname(factoryPath), 'tfjs-backend-wasm-threaded-simd.wasm');
  const workerPath = fileURLToPath(new URL('./wasm-pthread-worker.cjs', import.meta.url));
  if (!existsSync(workerPath)) {
    throw new Error(`wasm threads: pthread entry ${workerPath} is missing (run npm run build)`);
  }
  const factory = require(factoryPath) as Factory;

  if (tf.findBackendFactory('wasm') != null) tf.removeBackend('wasm');
  tf.registerBackend(
    'wasm',
    async () => {
      // The module sizes its pool from os.cpus().length / 2 at start-up (a hyper-threading
      // guess); report 2 × the wanted count while it initialises so the pool has `threads`.
      const realCpus = os.cpus;
      const fakeCount = Math.max(2, threads * 2);
      os.cpus = () => {
        const cpus = realCpus();
        return Array.from({ length: fakeCount }, (_, i) => cpus[i % cpus.length]);
      };
      let mod: EmscriptenModule;
      try {
        mod = await factory({
          locateFile: (p: string, prefix: string) =>
            p.endsWith('.worker.js') ? workerPath : p.endsWith('.wasm') ? wasmPath : prefix + p,
          mainScriptUrlOrBlob: factoryPath,
        });
      } finally {
        os.cpus = realCpus;
      }
      mod.tfjs = {
        init: mod.cwrap('init', null, []),
        initWithThreadsCount: mod.cwrap('init_with_threads_count', null, ['number']),
        getThreadsCount: mod.cwrap('get_threads_count', 'number', []),
        registerTensor: mod.cwrap('register_tensor', null, ['number', 'number', 'number']),
        disposeData: mod.cwrap('dispose_data', null, ['number']),
        dispose: mod.cwrap('dispose', null, []),
      };
      setThreadsCount(threads);
      const backend = new BackendWasm(mod as never);
      // The pool threads only work while the main thread waits inside a kernel; unref them so
      // they do not keep the process alive after the program is done.
      for (const w of [...(mod.PThread?.runningWorkers ?? []), ...(mod.PThread?.unusedWorkers ?? [])])
        w.unref?.();
      return backend;
    },
    priority,
  );
}
