/**
 * Chooses and initialises the TensorFlow.js backend: native `tensorflow` (tfjs-node-gpu, then
 * tfjs-node) when installed, else `wasm` (XNNPACK + SIMD, multi-threaded in Node), else `cpu`.
 * `--backend` or POINTCONTRAST_BACKEND override; POINTCONTRAST_THREADS sets wasm threads.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import os from 'node:os';
import { registerCustomKernels } from './kernels/register.js';
import { nodeSupportsWasmThreads, registerThreadedWasmBackend } from './wasm-node-threads.js';
import { nodeConvPool } from './conv-thread-pool.js';
import { setParallelConv } from './parallel.js';

export const BACKEND_NAMES = ['auto', 'tensorflow', 'wasm', 'cpu'] as const;
export type BackendChoice = (typeof BACKEND_NAMES)[number];

export interface BackendInfo {
  /** The backend in use. */
  name: string;
  /** What was asked for (after the environment variable). */
  requested: BackendChoice;
  /** Worker threads of the backend's matrix kernels (1 for cpu; native TF manages its own). */
  threads: number;
  simd: boolean;
  /** The native package that provides `tensorflow`, when it is the backend. */
  nativePackage?: string;
  /** Why faster backends were skipped (e.g. tfjs-node not installed). */
  skipped: string[];
}

export interface InitOptions {
  backend?: BackendChoice;
  /** wasm threads; default all cores (POINTCONTRAST_THREADS overrides). */
  threads?: number;
}

let current: BackendInfo | undefined;

/** The cpu backend prints an install-tfjs-node banner on first use; we choose backends ourselves. */
export function silenceCpuBanner(): void {
  const cpu = tf.findBackend('cpu') as { firstUse?: boolean } | null;
  if (cpu) cpu.firstUse = false;
}

/** Parses a backend name from a flag or the environment, with a clear error. */
export function parseBackendChoice(value: string | undefined, source: string): BackendChoice {
  if (value === undefined || value === '') return 'auto';
  if ((BACKEND_NAMES as readonly string[]).includes(value)) return value as BackendChoice;
  throw new Error(`${source}: unknown backend '${value}'; expected one of ${BACKEND_NAMES.join(', ')}`);
}

async function tryNative(skipped: string[]): Promise<string | undefined> {
  for (const pkg of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']) {
    try {
      await import(pkg);
      if (tf.findBackendFactory('tensorflow') != null) return pkg;
    } catch (e) {
      const msg = (e as Error).message.split('\n')[0];
      skipped.push(`${pkg}: ${/Cannot find (package|module)/.test(msg) ? 'not installed' : msg}`);
    }
  }
  return undefined;
}

function wantedThreads(opts: InitOptions): number {
  const env = process.env.POINTCONTRAST_THREADS;
  const n = opts.threads ?? (env ? Number(env) : os.availableParallelism());
  if (!Number.isInteger(n) || n < 1) {
    throw new Error(
      `POINTCONTRAST_THREADS / --threads: expected a positive integer, got '${env ?? opts.threads}'`,
    );
  }
  return n;
}

/** Initialises the backend once per process; later calls return the same info. */
export async function initBackend(opts: InitOptions = {}): Promise<BackendInfo> {
  if (current) return current;
  const requested =
    opts.backend && opts.backend !== 'auto'
      ? opts.backend
      : parseBackendChoice(process.env.POINTCONTRAST_BACKEND, 'POINTCONTRAST_BACKEND');
  const skipped: string[] = [];
  registerCustomKernels();
  let nativePackage: string | undefined;
  if (requested === 'auto' || requested === 'tensorflow') {
    nativePackage = await tryNative(skipped);
    if (!nativePackage && requested === 'tensorflow') {
      throw new Error(
        `backend 'tensorflow' is not available (${skipped.join('; ')}); install @tensorflow/tfjs-node or -gpu where libtensorflow can be downloaded, or use --backend wasm`,
      );
    }
  }
  let name: string;
  if (nativePackage) {
    await tf.setBackend('tensorflow');
    name = 'tensorflow';
  } else if (requested === 'cpu') {
    await tf.setBackend('cpu');
    name = 'cpu';
  } else {
    const threads = wantedThreads(opts);
    if (threads > 1 && nodeSupportsWasmThreads()) registerThreadedWasmBackend(threads);
    const ok = await tf.setBackend('wasm');
    if (!ok) {
      if (requested === 'wasm') throw new Error('backend wasm failed to initialise');
      skipped.push('wasm: failed to initialise');
      await tf.setBackend('cpu');
    }
    name = tf.getBackend();
  }
  await tf.ready();
  silenceCpuBanner();
  if (name === 'wasm' && process.env.POINTCONTRAST_CONV_THREADS !== '1') installConvThreads();
  const simd = name === 'wasm' ? Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) : false;
  const threads = name === 'wasm' ? getThreadsCount() : name === 'cpu' ? 1 : os.availableParallelism();
  current = { name, requested, threads, simd, nativePackage, skipped };
  return current;
}

/**
 * With the multi-threaded wasm backend (shared memory), the fused conv kernels also run on
 * worker threads: one per extra backend thread.
 */
function installConvThreads(): void {
  const be = tf.backend() as unknown as { wasm?: { wasmMemory?: WebAssembly.Memory } };
  const memory = be.wasm?.wasmMemory;
  const threads = getThreadsCount();
  if (!memory || !(memory.buffer instanceof SharedArrayBuffer) || threads < 2) return;
  setParallelConv(nodeConvPool(memory, threads));
}

/** The info of the initialised backend (throws if initBackend was not called). */
export function backendInfo(): BackendInfo {
  if (!current) throw new Error('initBackend() has not been called');
  return current;
}
