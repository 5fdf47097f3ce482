/**
 * Reading tensor values back without tf.tidy walking them: a typed array returned from
 * `tf.tidy` is scanned element by element by tfjs (≈ 3 µs per 1000 values), which for a
 * per-voxel array costs more than the whole computation. Compute in a tidy, read outside.
 * On GPU backends read with {@link tidyReadAsync}: tfjs webgpu's synchronous read can return
 * zeros (seen in a worker on tfjs 4.22), and a synchronous read stalls the GPU pipeline.
 */
import * as tf from '@tensorflow/tfjs';

/** Runs `fn` in a tidy and returns the numeric values of the tensor it makes (then frees it). */
export function tidyRead(fn: () => tf.Tensor): Float32Array | Int32Array | Uint8Array {
  const t = tf.tidy(fn);
  try {
    return t.dataSync() as Float32Array | Int32Array | Uint8Array;
  } finally {
    t.dispose();
  }
}

/** {@link tidyRead} that waits for the values (`data()`, never `dataSync()`): for GPU backends. */
export async function tidyReadAsync(fn: () => tf.Tensor): Promise<Float32Array | Int32Array | Uint8Array> {
  const t = tf.tidy(fn);
  try {
    return (await t.data()) as Float32Array | Int32Array | Uint8Array;
  } finally {
    t.dispose();
  }
}

/** The single number of a scalar-producing computation. */
export function tidyScalar(fn: () => tf.Tensor): number {
  return tidyRead(fn)[0];
}
