/**
 * Picks and initialises the tfjs backend inside the segmentation worker: webgpu when the browser
 * has an adapter (its tfjs backend is a separate chunk, loaded only then), webgl on a hardware GPU, else wasm (the .wasm files
 * are served from the viewer's assets; single-threaded unless the page is cross-origin
 * isolated), else cpu. A software WebGL (SwiftShader, llvmpipe) is skipped in 'auto': measured
 * slower than wasm (docs/benchmarks.md).
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.wasm?url';
import { registerCustomKernels } from '../../../src/backend/kernels/register.js';
import type { BrowserBackend } from './protocol.js';

const abs = (u: string): string => new URL(u, self.location.href).href;
setWasmPaths({
  'tfjs-backend-wasm.wasm': abs(wasmPlain),
  'tfjs-backend-wasm-simd.wasm': abs(wasmSimd),
  'tfjs-backend-wasm-threaded-simd.wasm': abs(wasmThreaded),
});

interface GpuLike {
  requestAdapter(): Promise<unknown>;
}

/** Why webgpu cannot be used here, or null when an adapter exists. */
async function webgpuProblem(): Promise<string | null> {
  const gpu = (navigator as unknown as { gpu?: GpuLike }).gpu;
  if (!gpu) return 'webgpu: navigator.gpu is absent (not a secure context, or not supported)';
  const adapter = await gpu.requestAdapter().catch(() => null);
  if (!adapter) return 'webgpu: the browser offers no adapter (e.g. headless with --disable-gpu)';
  try {
    await import('@tensorflow/tfjs-backend-webgpu'); // registers 'webgpu'; only loaded when usable
  } catch (e) {
    return `webgpu: the tfjs webgpu backend did not load (${(e as Error).message})`;
  }
  return tf.findBackendFactory('webgpu') ? null : 'webgpu: the tfjs webgpu backend did not register';
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

async function trySet(name: string, skipped: string[]): Promise<boolean> {
  try {
    if (await tf.setBackend(name)) {
      await tf.ready();
      return true;
    }
    skipped.push(`${name}: failed to initialise`);
  } catch (e) {
    skipped.push(`${name}: ${(e as Error).message}`);
  }
  return false;
}

/** Initialises `want` (or the best available for 'auto'); returns the backend and the skipped ones. */
export async function initBrowserBackend(want: BrowserBackend): Promise<{ name: string; skipped: string[] }> {
  registerCustomKernels();
  const skipped: string[] = [];
  if (want !== 'auto') {
    if (want === 'webgpu') {
      const why = await webgpuProblem();
      if (why) throw new Error(why);
    }
    if (want === 'webgl' && webglRenderer() === null) throw new Error('webgl: WebGL2 is not available here');
    if (!(await trySet(want, skipped))) throw new Error(skipped.join('; '));
    return { name: want, skipped };
  }
  const gpuWhy = await webgpuProblem();
  if (!gpuWhy && (await trySet('webgpu', skipped))) return { name: 'webgpu', skipped };
  if (gpuWhy) skipped.push(gpuWhy);
  const renderer = webglRenderer();
  if (renderer === null) skipped.push('webgl: WebGL2 is not available');
  else if (/swiftshader|llvmpipe|software/i.test(renderer))
    skipped.push(`webgl: software renderer (${renderer}); wasm is faster`);
  else if (await trySet('webgl', skipped)) return { name: 'webgl', skipped };
  if (await trySet('wasm', skipped)) return { name: 'wasm', skipped };
  if (await trySet('cpu', skipped)) return { name: 'cpu', skipped };
  throw new Error(`no tfjs backend initialised: ${skipped.join('; ')}`);
}
