/**
 * Direct access to tensor memory on the backends that keep it on the JS side (wasm heap, cpu
 * arrays), so sparse kernels can gather and scatter rows with plain loops (≈10× faster than
 * tf.gather on wasm) and call the backend's own GEMM kernel on raw buffers. Other backends
 * (tensorflow, webgl, webgpu) return undefined and the sparse ops fall back to tf ops.
 */
import * as tf from '@tensorflow/tfjs';

type TensorInfo = tf.TensorInfo;

/** Host-side memory operations of one backend. */
export interface HostBackend {
  readonly name: string;
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
}

interface WasmData {
  memoryOffset: number;
}
interface WasmBackendLike extends tf.KernelBackend {
  wasm: { wasmMemory?: WebAssembly.Memory; HEAPU8: Uint8Array };
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

function wasmHost(backend: WasmBackendLike): HostBackend {
  const memory = () => backend.wasm.wasmMemory?.buffer ?? backend.wasm.HEAPU8.buffer;
  const matMul = makeMatMul('wasm', backend);
  const host: HostBackend = {
    name: 'wasm',
    f32: (info) =>
      new Float32Array(memory(), backend.dataIdMap.get(info.dataId).memoryOffset, size(info.shape)),
    alloc: (shape) => backend.makeOutput(shape, 'float32'),
    zeros: (shape) => {
      const info = backend.makeOutput(shape, 'float32');
      host.f32(info).fill(0);
      return info;
    },
    matMul,
    free: (info) => backend.disposeData(info.dataId, true),
    toTensor: <R extends tf.Rank>(info: TensorInfo) =>
      tf.engine().makeTensorFromTensorInfo(info) as tf.Tensor<R>,
  };
  return host;
}

function cpuHost(backend: CpuBackendLike): HostBackend {
  const matMul = makeMatMul('cpu', backend);
  return {
    name: 'cpu',
    f32: (info) => backend.data.get(info.dataId).values,
    alloc: (shape) => backend.makeTensorInfo(shape, 'float32', new Float32Array(size(shape))),
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
