/**
 * The threaded-SIMD build of tfjs-backend-wasm started by hand, shared by Node
 * (wasm-node-threads.ts) and the browser (viewer/src/segment/wasm-threads.ts): the Emscripten
 * factory's options (where the pthread entry, the .wasm and the factory script are) and the
 * module's C entry points bound as tfjs's own backend binds them. Each platform supplies its own
 * URLs and its pool-size workaround. Platform-free.
 */
import { BackendWasm, setThreadsCount } from '@tensorflow/tfjs-backend-wasm';

/** What the backend needs of a started Emscripten module. */
export interface ThreadedWasmModule {
  cwrap: (name: string, ret: string | null, args: string[]) => (...a: number[]) => number;
  tfjs?: unknown;
}

/** The Emscripten factory of the threaded-SIMD build. */
export type ThreadedWasmFactory<M extends ThreadedWasmModule = ThreadedWasmModule> = (
  cfg: Record<string, unknown>,
) => Promise<M>;

/** Where the factory finds its three files (paths in Node, absolute URLs in a page). */
export interface ThreadedWasmFiles {
  /** The pthread entry script. */
  worker: string;
  /** The threaded-SIMD .wasm. */
  wasm: string;
  /** The factory script itself (what the pthreads import). */
  script: string;
}

/** The factory options that point it at `files`. */
export function threadedWasmConfig(files: ThreadedWasmFiles): Record<string, unknown> {
  return {
    locateFile: (p: string, prefix: string) =>
      p.endsWith('.worker.js') ? files.worker : p.endsWith('.wasm') ? files.wasm : prefix + p,
    mainScriptUrlOrBlob: files.script,
  };
}

/** A wasm backend on a started module with `threads` XNNPACK threads. */
export function threadedWasmBackend(mod: ThreadedWasmModule, threads: number): BackendWasm {
  mod.tfjs = {
    init: mod.cwrap('init', null, []),
    initWithThreadsCount: mod.cwrap('init_with_threads_count', null, ['number']),
    getThreadsCount: mod.cwrap('get_threads_count', 'number', []),
    registerTensor: mod.cwrap('register_tensor', null, ['number', 'number', 'number']),
    disposeData: mod.cwrap('dispose_data', null, ['number']),
    dispose: mod.cwrap('dispose', null, []),
  };
  setThreadsCount(threads);
  return new BackendWasm(mod as never);
}
