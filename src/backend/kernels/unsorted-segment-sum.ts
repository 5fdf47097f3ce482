/**
 * UnsortedSegmentSum for the wasm backend, which lacks it (it is the gradient of tf.gather):
 * a row scatter-add over the wasm heap. Platform-free.
 */
import type * as tf from '@tensorflow/tfjs';

interface WasmBackendLike extends tf.KernelBackend {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
}

/** Output shape and row layout of UnsortedSegmentSum. */
interface Layout {
  x: tf.TensorInfo;
  segmentIds: tf.TensorInfo;
  numSegments: number;
  rows: number;
  inner: number[];
  width: number;
}

function layout(inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap | undefined): Layout {
  const { x, segmentIds } = inputs as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
  const numSegments = (attrs as unknown as { numSegments: number }).numSegments;
  const rows = segmentIds.shape.reduce((a, b) => a * b, 1);
  const inner = x.shape.slice(segmentIds.shape.length);
  const width = inner.reduce((a, b) => a * b, 1);
  return { x, segmentIds, numSegments, rows, inner, width };
}

/** The UnsortedSegmentSum kernel config for `backendName` (whose backend is a B), `run` given the layout. */
function segmentSumKernel<B extends tf.KernelBackend>(
  backendName: string,
  run: (backend: B, l: Layout) => tf.TensorInfo,
): tf.KernelConfig {
  return {
    kernelName: 'UnsortedSegmentSum',
    backendName,
    kernelFunc: ({ inputs, backend, attrs }) => run(backend as B, layout(inputs, attrs)),
  };
}

/** o[ids[r]] += xs[r] row by row (rows of `width` values); ids < 0 or ≥ numSegments dropped. */
function scatterAdd(
  o: Float32Array | Int32Array | Uint8Array,
  xs: ArrayLike<number>,
  ids: ArrayLike<number>,
  rows: number,
  width: number,
  numSegments: number,
): void {
  for (let r = 0; r < rows; r++) {
    const s = ids[r];
    if (s < 0 || s >= numSegments) continue;
    let d = s * width;
    let j = r * width;
    const e = j + width;
    while (j < e) o[d++] += xs[j++];
  }
}

/** Kernel config: sums rows of x into numSegments output rows by segmentIds (ids < 0 or ≥ n dropped). */
export const unsortedSegmentSumWasm = segmentSumKernel<WasmBackendLike>('wasm', (be, l) => {
  const out = be.makeOutput([l.numSegments, ...l.inner], l.x.dtype);
  const o = be.typedArrayFromHeap(out);
  o.fill(0);
  const xs = be.typedArrayFromHeap(l.x);
  scatterAdd(o, xs, be.typedArrayFromHeap(l.segmentIds), l.rows, l.width, l.numSegments);
  return out;
});

interface CpuBackendLike extends tf.KernelBackend {
  data: { get(id: object): { values: Float32Array | Int32Array } };
  makeTensorInfo(shape: number[], dtype: tf.DataType, values?: Float32Array | Int32Array): tf.TensorInfo;
}

/**
 * The cpu backend's UnsortedSegmentSum loops over every segment with mask ops (O(segments ×
 * rows), minutes for the gradient of a gather over 10⁴ rows); this is the O(rows) scatter-add.
 */
export const unsortedSegmentSumCpu = segmentSumKernel<CpuBackendLike>('cpu', (be, l) => {
  const size = l.numSegments * l.width;
  const o = l.x.dtype === 'int32' ? new Int32Array(size) : new Float32Array(size);
  const xs = be.data.get(l.x.dataId).values;
  scatterAdd(o, xs, be.data.get(l.segmentIds.dataId).values, l.rows, l.width, l.numSegments);
  return be.makeTensorInfo([l.numSegments, ...l.inner], l.x.dtype, o);
});
