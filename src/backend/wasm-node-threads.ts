/**
 * Multi-threaded XNNPACK for the tfjs wasm backend in Node.
 *
 * tfjs-backend-wasm disables threads in Node (its pthread workers come from blob URLs, which
 * node's Worker refuses) and caps the pool at cores/2. We instantiate the threaded-SIMD build
 * ourselves with a file-backed pthread entry (wasm-pthread-worker.cjs) and register it as the
 * `wasm` backend, so every stock wasm kernel runs on the multi-threaded module.
 */
import * as tf from '@tensorflow/tfjs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  threadedWasmBackend,
  threadedWasmConfig,
  type ThreadedWasmFactory,
  type ThreadedWasmModule,
} from './wasm-threaded-module.js';

const require = createRequire(import.meta.url);

interface NodeModule extends ThreadedWasmModule {
  PThread?: { runningWorkers: { unref?: () => void }[]; unusedWorkers: { unref?: () => void }[] };
}

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
  const factory = require(factoryPath) as ThreadedWasmFactory<NodeModule>;

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
      let mod: NodeModule;
      try {
        mod = await factory(threadedWasmConfig({ worker: workerPath, wasm: wasmPath, script: factoryPath }));
      } finally {
        os.cpus = realCpus;
      }
      const backend = threadedWasmBackend(mod, threads);
      // The pool threads only work while the main thread waits inside a kernel; unref them so
      // they do not keep the process alive after the program is done.
      for (const w of [...(mod.PThread?.runningWorkers ?? []), ...(mod.PThread?.unusedWorkers ?? [])])
        w.unref?.();
      return backend;
    },
    priority,
  );
}
