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
function layout(inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap | undefined) {
  const { x, segmentIds } = inputs as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
  const numSegments = (attrs as unknown as { numSegments: number }).numSegments;
  const rows = segmentIds.shape.reduce((a, b) => a * b, 1);
  const inner = x.shape.slice(segmentIds.shape.length);
  const width = inner.reduce((a, b) => a * b, 1);
  return { x, segmentIds, numSegments, rows, inner, width };
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
export const unsortedSegmentSumWasm: tf.KernelConfig = {
  kernelName: 'UnsortedSegmentSum',
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const be = backend as WasmBackendLike;
    const { x, segmentIds, numSegments, rows, inner, width } = layout(inputs, attrs);
    const out = be.makeOutput([numSegments, ...inner], x.dtype);
    const o = be.typedArrayFromHeap(out);
    o.fill(0);
    scatterAdd(o, be.typedArrayFromHeap(x), be.typedArrayFromHeap(segmentIds), rows, width, numSegments);
    return out;
  },
};

interface CpuBackendLike extends tf.KernelBackend {
  data: { get(id: object): { values: Float32Array | Int32Array } };
  makeTensorInfo(shape: number[], dtype: tf.DataType, values?: Float32Array | Int32Array): tf.TensorInfo;
}

/**
 * The cpu backend's UnsortedSegmentSum loops over every segment with mask ops (O(segments ×
 * rows), minutes for the gradient of a gather over 10⁴ rows); this is the O(rows) scatter-add.
 */
export const unsortedSegmentSumCpu: tf.KernelConfig = {
  kernelName: 'UnsortedSegmentSum',
  backendName: 'cpu',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const be = backend as CpuBackendLike;
    const { x, segmentIds, numSegments, rows, inner, width } = layout(inputs, attrs);
    const o =
      x.dtype === 'int32' ? new Int32Array(numSegments * width) : new Float32Array(numSegments * width);
    scatterAdd(
      o,
      be.data.get(x.dataId).values,
      be.data.get(segmentIds.dataId).values,
      rows,
      width,
      numSegments,
    );
    return be.makeTensorInfo([numSegments, ...inner], x.dtype, o);
  },
};
