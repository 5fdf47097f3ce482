/**
 * Multi-threaded tfjs wasm in a cross-origin isolated page. The stock backend hands its pthread
 * workers the module factory as `factory.toString()` in a blob, which breaks once a bundler has
 * minified the factory (it refers to names outside itself: "e is not defined"). Here the
 * threaded-SIMD build is instantiated with the unmodified factory script as a served asset, and
 * registered as the `wasm` backend, so every stock kernel and the engine's own kernels (which
 * import the same shared memory) run on the threaded module. Same approach as Node
 * (src/backend/wasm-node-threads.ts), with browser URLs.
 */
import * as tf from '@tensorflow/tfjs';
import threadedFactory from '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js';
import threadedScript from '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js?url';
import { wasmWorkerContents } from '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.worker.js';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.wasm?url';
import {
  threadedWasmBackend,
  threadedWasmConfig,
  type ThreadedWasmFactory,
} from '../../../src/backend/wasm-threaded-module.js';

/** Whether shared wasm memory is available (the page is cross-origin isolated). */
export function browserSupportsWasmThreads(): boolean {
  if (!self.crossOriginIsolated) return false;
  try {
    return (
      new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true }).buffer instanceof SharedArrayBuffer
    );
  } catch {
    return false;
  }
}

/** Replaces the `wasm` backend by the threaded-SIMD module with `threads` threads. Call before its first start. */
export function registerBrowserWasmThreads(threads: number): void {
  const abs = (u: string): string => new URL(u, self.location.href).href;
  // the pthread entry: tfjs's own worker source, as tfjs itself serves it (a blob)
  const workerUrl = URL.createObjectURL(
    new Blob([wasmWorkerContents.replace(/\n/g, '\\n')], { type: 'text/javascript' }),
  );
  if (tf.findBackendFactory('wasm') != null) tf.removeBackend('wasm');
  tf.registerBackend(
    'wasm',
    async () => {
      // XNNPACK caps its pool at navigator.hardwareConcurrency / 2 (a hyper-threading guess):
      // report 2 × the wanted count while the module starts so the pool has `threads`
      const nav = self.navigator;
      Object.defineProperty(nav, 'hardwareConcurrency', { value: threads * 2, configurable: true });
      try {
        const mod = await (threadedFactory as unknown as ThreadedWasmFactory)(
          threadedWasmConfig({ worker: workerUrl, wasm: abs(wasmThreaded), script: abs(threadedScript) }),
        );
        return threadedWasmBackend(mod, threads);
      } finally {
        delete (nav as { hardwareConcurrency?: number }).hardwareConcurrency; // back to the prototype's getter
      }
    },
    2,
  );
}
