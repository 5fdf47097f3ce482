/**
 * Chooses and initialises the tfjs backend inside the segmentation worker. `auto` orders the
 * candidates: webgpu on a hardware adapter (its tfjs backend is a separate chunk, loaded only
 * then), webgl on a hardware GPU, wasm, cpu; a software WebGPU adapter or WebGL renderer
 * (SwiftShader, llvmpipe, a fallback adapter) is skipped: measured 20–200× slower than wasm
 * (docs/benchmarks.md); `?backend=webgpu` / `webgl` still use them. The worker moves down the list when a
 * backend fails to start or produces an unusable result. wasm's .wasm files are served from the
 * viewer's assets; it runs one thread per core when the page is cross-origin isolated, else one.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.wasm?url';
import { registerCustomKernels } from '../../../src/backend/kernels/register.js';
import type { BrowserBackend } from './protocol.js';
import { browserSupportsWasmThreads, registerBrowserWasmThreads } from './wasm-threads.js';
import { setParallelConv } from '../../../src/backend/parallel.js';
import { browserConvPool } from './conv-pool.js';
import type { ConvPool } from '../../../src/backend/conv-pool-control.js';

const abs = (u: string): string => new URL(u, self.location.href).href;
setWasmPaths({
  'tfjs-backend-wasm.wasm': abs(wasmPlain),
  'tfjs-backend-wasm-simd.wasm': abs(wasmSimd),
  'tfjs-backend-wasm-threaded-simd.wasm': abs(wasmThreaded),
});

interface GpuAdapterLike {
  info?: { vendor?: string; architecture?: string; description?: string };
  isFallbackAdapter?: boolean;
}
interface GpuLike {
  requestAdapter(): Promise<GpuAdapterLike | null>;
}

/** What a WebGPU adapter is, e.g. "google swiftshader (software)". */
function describeAdapter(a: GpuAdapterLike): string {
  const i = a.info ?? {};
  const name = [i.vendor, i.architecture, i.description].filter(Boolean).join(' ') || 'unnamed adapter';
  return SOFTWARE.test(name) || a.isFallbackAdapter ? `${name} (software)` : name;
}

const SOFTWARE = /swiftshader|llvmpipe|software|lavapipe/i;

/** The WebGPU adapter's description, or why webgpu cannot be used here. */
async function webgpuAdapter(): Promise<{ adapter: string } | { problem: string }> {
  const gpu = (navigator as unknown as { gpu?: GpuLike }).gpu;
  if (!gpu) return { problem: 'webgpu: navigator.gpu is absent (not a secure context, or not supported)' };
  const adapter = await gpu.requestAdapter().catch(() => null);
  if (!adapter)
    return { problem: 'webgpu: the browser offers no adapter (e.g. headless with --disable-gpu)' };
  try {
    await import('@tensorflow/tfjs-backend-webgpu'); // registers 'webgpu'; only loaded when usable
  } catch (e) {
    return { problem: `webgpu: the tfjs webgpu backend did not load (${(e as Error).message})` };
  }
  return tf.findBackendFactory('webgpu')
    ? { adapter: describeAdapter(adapter) }
    : { problem: 'webgpu: the tfjs webgpu backend did not register' };
}

/** The WebGL renderer string (unmasked where allowed), or null without WebGL2. */
function webglRenderer(): string | null {
  try {
    const gl = new OffscreenCanvas(1, 1).getContext('webgl2');
    if (!gl) return null;
    const ext = gl.getExtension('WEBGL_debug_renderer_info');
    return String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  } catch {
    return null;
  }
}

/** Backends to try in order, why better ones were left out, and what each device is. */
export interface BackendPlan {
  order: string[];
  skipped: string[];
  /** Per backend, its device ("google swiftshader (software)", the WebGL renderer, "2 threads"). */
  devices: Record<string, string>;
}

/** The plan for a request: one backend when named (or an Error saying why it cannot run), else the `auto` order. */
export async function planBackends(want: BrowserBackend): Promise<BackendPlan> {
  registerCustomKernels();
  const skipped: string[] = [];
  const devices: Record<string, string> = {};
  const gpu = want === 'auto' || want === 'webgpu' ? await webgpuAdapter() : null;
  const renderer = want === 'auto' || want === 'webgl' ? webglRenderer() : null;
  if (gpu && 'adapter' in gpu) devices.webgpu = gpu.adapter;
  if (renderer) devices.webgl = SOFTWARE.test(renderer) ? `${renderer} (software)` : renderer;
  if (want !== 'auto') {
    if (gpu && 'problem' in gpu) throw new Error(gpu.problem);
    if (want === 'webgl' && renderer === null) throw new Error('webgl: WebGL2 is not available here');
    return { order: [want], skipped, devices };
  }
  const order: string[] = [];
  if (gpu && 'adapter' in gpu) {
    if (SOFTWARE.test(gpu.adapter)) skipped.push(`webgpu: software adapter (${gpu.adapter}); wasm is faster`);
    else order.push('webgpu');
  } else if (gpu) skipped.push(gpu.problem);
  if (renderer === null) skipped.push('webgl: WebGL2 is not available');
  else if (SOFTWARE.test(renderer)) skipped.push(`webgl: software renderer (${renderer}); wasm is faster`);
  else order.push('webgl');
  order.push('wasm', 'cpu');
  return { order, skipped, devices };
}

/** wasm threads: `wanted` (default every core) when the page is cross-origin isolated (shared memory), else 1. */
function wasmThreads(wanted: number | null): number {
  if (!browserSupportsWasmThreads()) return 1;
  return Math.max(1, wanted ?? (navigator.hardwareConcurrency || 1));
}

let wasmPrepared = false;
let convPool: ConvPool<Worker> | null = null;

/** With the threaded wasm module, the engine's conv kernels run on one Web Worker per extra thread. */
function installConvPool(): void {
  const memory = (tf.backend() as unknown as { wasm?: { wasmMemory?: WebAssembly.Memory } }).wasm?.wasmMemory;
  const threads = getThreadsCount();
  if (convPool || !memory || !(memory.buffer instanceof SharedArrayBuffer) || threads < 2) return;
  convPool = browserConvPool(memory, threads);
}

/** Makes `name` the active backend; throws an Error naming it when it does not start. */
export async function activateBackend(name: string, threads: number | null = null): Promise<void> {
  if (name === 'wasm' && !wasmPrepared) {
    // isolated: always the threaded module (the stock one would load its broken threaded factory)
    if (browserSupportsWasmThreads()) registerBrowserWasmThreads(wasmThreads(threads));
    else setThreadsCount(1);
    wasmPrepared = true;
  }
  let ok = false;
  try {
    ok = await tf.setBackend(name);
    await tf.ready();
  } catch (e) {
    throw new Error(`${name}: ${(e as Error).message}`);
  }
  if (!ok) throw new Error(`${name}: failed to initialise`);
  if (name === 'wasm') installConvPool();
  setParallelConv(name === 'wasm' && convPool ? convPool : undefined);
}

/** Threads of the active backend: wasm's, 1 for cpu, null on a GPU. */
export function activeThreads(): number | null {
  const name = tf.getBackend();
  return name === 'wasm' ? getThreadsCount() : name === 'cpu' ? 1 : null;
}

/** The device of the active backend, for the status box ("2 threads", the adapter, the renderer). */
export function activeDevice(plan: BackendPlan): string {
  const name = tf.getBackend();
  if (name === 'wasm') {
    const t = getThreadsCount();
    const conv = convPool ? `, conv kernels on ${convPool.threads}` : '';
    return `${t} thread${t === 1 ? '' : 's'}${conv}${self.crossOriginIsolated ? '' : ', not cross-origin isolated'}`;
  }
  if (name === 'cpu') return 'JavaScript';
  return plan.devices[name] ?? '';
}
