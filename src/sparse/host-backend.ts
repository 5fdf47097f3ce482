/**
 * Direct access to tensor memory on the backends that keep it on the JS side (wasm heap, cpu
 * arrays), so sparse kernels can gather and scatter rows with plain loops (≈10× faster than
 * tf.gather on wasm) and call the backend's own GEMM kernel on raw buffers. Other backends
 * (tensorflow, webgl, webgpu) return undefined and the sparse ops fall back to tf ops.
 */
import * as tf from '@tensorflow/tfjs';
import { instantiateRowKernels } from '../backend/wasm-kernels/row-kernels.js';
import {
  ConvKernelCache,
  type ConvBlocking,
  type ConvKernels,
} from '../backend/wasm-kernels/conv-kernels.js';
import { instantiateBnKernels, type BnKernels } from '../backend/wasm-kernels/bn-kernels.js';
import { phase } from './phases.js';

type TensorInfo = tf.TensorInfo;

/** Host-side memory operations of one backend. */
export interface HostBackend {
  readonly name: string;
  /** How rows are gathered/scattered: WebAssembly SIMD kernels on the backend's heap, or JS loops. */
  readonly rowOps: 'wasm-simd' | 'js';
  /** Float32 view of a tensor's data; valid until the next allocation. */
  f32(info: TensorInfo): Float32Array;
  /** Allocates an uninitialised float32 buffer registered with the backend. */
  alloc(shape: number[]): TensorInfo;
  /** Allocates a float32 buffer filled with zeros. */
  zeros(shape: number[]): TensorInfo;
  /** C = A·B for 2-D A [m×k] and B [k×n] (no transposes: the fast GEMM path on every backend). */
  matMul(a: TensorInfo, b: TensorInfo): TensorInfo;
  /** Frees a buffer made by alloc/zeros/matMul that was not handed to a tensor. */
  free(info: TensorInfo): void;
  /** Wraps a buffer as a tf.Tensor owned by the engine. */
  toTensor<R extends tf.Rank>(info: TensorInfo): tf.Tensor<R>;
  /** New [to−from × c] buffer with rows x[idx[j]] for j in [from, to). */
  gatherRows(x: TensorInfo, idx: Int32Array, from: number, to: number): TensorInfo;
  /** out[idx[j]] += y[j − from] for j in [from, to). */
  scatterAddRows(y: TensorInfo, out: TensorInfo, idx: Int32Array, from: number, to: number): void;
  /** New [c × n] buffer: column j is row idx[j] of x (or row j when idx is null, n = rows of x). */
  gatherColumns(x: TensorInfo, idx: Int32Array | null, from: number, to: number): TensorInfo;
  /** Fused conv kernels on the backend's heap (wasm only). */
  readonly fused?: FusedConv;
}

/** Access to the fused WebAssembly conv kernels of the wasm backend. */
export interface FusedConv {
  /** The kernels of one (Cin, Cout) with the given blocking. */
  kernels(cin: number, cout: number, blocking: ConvBlocking): ConvKernels;
  /** Byte address of a tensor's data. */
  ptr(info: TensorInfo): number;
  /** Copies int32 arrays into the heap for the duration of `fn` (their addresses in order). */
  withInt32(arrays: Int32Array[], fn: (ptrs: number[]) => void): void;
  /** Batch-norm kernels. */
  readonly bn: BnKernels;
  /** A zeroed float32 heap scratch of `floats` values for the duration of `fn` (address, view). */
  withScratch(floats: number, fn: (ptr: number, view: () => Float32Array) => void): void;
}

interface WasmData {
  memoryOffset: number;
}
interface WasmModuleLike {
  wasmMemory?: WebAssembly.Memory;
  asm?: { memory?: WebAssembly.Memory };
  HEAPU8: Uint8Array;
  _malloc(bytes: number): number;
  _free(ptr: number): void;
}
interface WasmBackendLike extends tf.KernelBackend {
  wasm: WasmModuleLike;
  dataIdMap: { get(id: object): WasmData };
  makeOutput(shape: number[], dtype: tf.DataType): TensorInfo;
}
interface CpuBackendLike extends tf.KernelBackend {
  data: { get(id: object): { values: Float32Array } };
  makeTensorInfo(shape: number[], dtype: tf.DataType, values?: Float32Array): TensorInfo;
}

function size(shape: number[]): number {
  let s = 1;
  for (const d of shape) s *= d;
  return s;
}

function makeMatMul(backendName: string, backend: tf.KernelBackend) {
  const kernel = tf.getKernel('BatchMatMul', backendName);
  if (!kernel) throw new Error(`BatchMatMul kernel missing on backend ${backendName}`);
  const fn = kernel.kernelFunc as (args: {
    inputs: { a: TensorInfo; b: TensorInfo };
    backend: tf.KernelBackend;
    attrs: { transposeA: boolean; transposeB: boolean };
  }) => TensorInfo;
  return (a: TensorInfo, b: TensorInfo): TensorInfo => {
    const out = fn({
      inputs: {
        a: { ...a, shape: [1, a.shape[0], a.shape[1]] },
        b: { ...b, shape: [1, b.shape[0], b.shape[1]] },
      },
      backend,
      attrs: { transposeA: false, transposeB: false },
    });
    return { dataId: out.dataId, dtype: out.dtype, shape: [a.shape[0], b.shape[1]] };
  };
}

/** Row loops on JS-side arrays (the cpu backend). */
function jsRowOps(f32: (info: TensorInfo) => Float32Array, alloc: (shape: number[]) => TensorInfo) {
  return {
    gatherRows(x: TensorInfo, idx: Int32Array, from: number, to: number): TensorInfo {
      const c = x.shape[1];
      const g = alloc([to - from, c]);
      const xs = f32(x);
      const gs = f32(g);
      let d = 0;
      for (let j = from; j < to; j++) {
        let s = idx[j] * c;
        const e = s + c;
        while (s < e) gs[d++] = xs[s++];
      }
      return g;
    },
    scatterAddRows(y: TensorInfo, out: TensorInfo, idx: Int32Array, from: number, to: number): void {
      const c = y.shape[1];
      const ys = f32(y);
      const os = f32(out);
      let s = 0;
      for (let j = from; j < to; j++) {
        let d = idx[j] * c;
        const e = d + c;
        while (d < e) os[d++] += ys[s++];
      }
    },
    gatherColumns(x: TensorInfo, idx: Int32Array | null, from: number, to: number): TensorInfo {
      const c = x.shape[1];
      const n = idx ? to - from : x.shape[0];
      const g = alloc([c, n]);
      const xs = f32(x);
      const gs = f32(g);
      for (let j = 0; j < n; j++) {
        const s = (idx ? idx[from + j] : j) * c;
        for (let ch = 0; ch < c; ch++) gs[ch * n + j] = xs[s + ch];
      }
      return g;
    },
  };
}

function wasmHost(backend: WasmBackendLike): HostBackend {
  const mod = backend.wasm;
  const wasmMemory = mod.wasmMemory ?? mod.asm?.memory;
  const memory = () => wasmMemory?.buffer ?? mod.HEAPU8.buffer;
  const matMul = makeMatMul('wasm', backend);
  const kernels = wasmMemory ? instantiateRowKernels(wasmMemory) : undefined;
  const ptr = (info: TensorInfo) => backend.dataIdMap.get(info.dataId).memoryOffset;
  /** Copies idx[from..to) into the heap for the duration of `fn`. */
  const withIndices = (idx: Int32Array, from: number, to: number, fn: (p: number) => void) => {
    const p = mod._malloc(Math.max(4, (to - from) * 4)) >>> 0;
    try {
      new Int32Array(memory(), p, to - from).set(idx.subarray(from, to));
      fn(p);
    } finally {
      mod._free(p);
    }
  };
  const host: HostBackend = {
    name: 'wasm',
    rowOps: kernels ? 'wasm-simd' : 'js',
    f32: (info) =>
      new Float32Array(memory(), backend.dataIdMap.get(info.dataId).memoryOffset, size(info.shape)),
    alloc: (shape) => phase('alloc', () => backend.makeOutput(shape, 'float32')),
    zeros: (shape) =>
      phase('alloc', () => {
        const info = backend.makeOutput(shape, 'float32');
        host.f32(info).fill(0);
        return info;
      }),
    matMul,
    free: (info) => phase('alloc', () => backend.disposeData(info.dataId, true)),
    toTensor: <R extends tf.Rank>(info: TensorInfo) =>
      tf.engine().makeTensorFromTensorInfo(info) as tf.Tensor<R>,
    ...jsRowOps(
      (info) => host.f32(info),
      (shape) => backend.makeOutput(shape, 'float32'),
    ),
  };
  if (kernels && wasmMemory) {
    const cache = new ConvKernelCache(wasmMemory);
    const bn = instantiateBnKernels(wasmMemory);
    (host as { fused?: FusedConv }).fused = {
      kernels: (cin, cout, blocking) => cache.get(cin, cout, blocking),
      ptr,
      bn,
      withScratch(floats, fn) {
        const p = mod._malloc(Math.max(16, floats * 4)) >>> 0;
        try {
          new Float32Array(memory(), p, floats).fill(0);
          fn(p, () => new Float32Array(memory(), p, floats));
        } finally {
          mod._free(p);
        }
      },
      withInt32(arrays, fn) {
        const ptrs = phase('alloc', () => {
          const ps = arrays.map((a) => mod._malloc(Math.max(4, a.length * 4)) >>> 0);
          arrays.forEach((a, i) => new Int32Array(memory(), ps[i], a.length).set(a));
          return ps;
        });
        try {
          fn(ptrs);
        } finally {
          ptrs.forEach((p) => mod._free(p));
        }
      },
    };
    host.gatherRows = (x, idx, from, to) => {
      const c = x.shape[1];
      const g = backend.makeOutput([to - from, c], 'float32');
      withIndices(idx, from, to, (p) => kernels.gather_rows(ptr(x), p, to - from, c, ptr(g)));
      return g;
    };
    host.scatterAddRows = (y, out, idx, from, to) =>
      withIndices(idx, from, to, (p) => kernels.scatter_add_rows(ptr(y), p, to - from, y.shape[1], ptr(out)));
    host.gatherColumns = (x, idx, from, to) => {
      const c = x.shape[1];
      const n = idx ? to - from : x.shape[0];
      const g = backend.makeOutput([c, n], 'float32');
      if (idx) withIndices(idx, from, to, (p) => kernels.gather_cols(ptr(x), p, n, c, ptr(g), 0));
      else kernels.gather_cols(ptr(x), 0, n, c, ptr(g), 1);
      return g;
    };
  }
  return host;
}

function cpuHost(backend: CpuBackendLike): HostBackend {
  const matMul = makeMatMul('cpu', backend);
  const f32 = (info: TensorInfo) => backend.data.get(info.dataId).values;
  const alloc = (shape: number[]) => backend.makeTensorInfo(shape, 'float32', new Float32Array(size(shape)));
  return {
    name: 'cpu',
    rowOps: 'js',
    ...jsRowOps(f32, alloc),
    f32,
    alloc,
    zeros: (shape) => backend.makeTensorInfo(shape, 'float32', new Float32Array(size(shape))),
    matMul,
    free: (info) => backend.disposeData(info.dataId, true),
    toTensor: <R extends tf.Rank>(info: TensorInfo) =>
      tf.engine().makeTensorFromTensorInfo(info) as tf.Tensor<R>,
  };
}

const cache = new WeakMap<tf.KernelBackend, HostBackend | null>();

/** The host accessor for the active backend, or undefined when tensors live off the JS heap. */
export function hostBackend(): HostBackend | undefined {
  const name = tf.getBackend();
  const backend = tf.backend();
  let host = cache.get(backend);
  if (host === undefined) {
    host =
      name === 'wasm'
        ? wasmHost(backend as WasmBackendLike)
        : name === 'cpu'
          ? cpuHost(backend as CpuBackendLike)
          : null;
    cache.set(backend, host);
  }
  return host ?? undefined;
}
