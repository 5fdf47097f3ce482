/**
 * Dense reference for sparse convolutions: scatter row features into a dense grid, run
 * tf.conv3d / tf.conv3dTranspose, read the active output sites back. Differentiable, so its
 * gradients are the oracle for the sparse ones.
 */
import * as tf from '@tensorflow/tfjs';

export interface Grid {
  batch: number;
  size: number; // D: grid is D×D×D with coordinates in [0, D)
}

/** [n × V] one-hot selection (V = batch·D³ voxels, row-major b, x, y, z). */
export function selection(coords: Int32Array, g: Grid, stride = 1): tf.Tensor2D {
  const n = coords.length / 4;
  const d = g.size / stride;
  const v = g.batch * d * d * d;
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const [b, x, y, z] = [
      coords[i * 4],
      coords[i * 4 + 1] / stride,
      coords[i * 4 + 2] / stride,
      coords[i * 4 + 3] / stride,
    ];
    idx[i] = ((b * d + x) * d + y) * d + z;
  }
  return tf.oneHot(tf.tensor1d(idx, 'int32'), v).toFloat() as tf.Tensor2D;
}

/** Rows → dense [B, D, D, D, C]. */
export function toDense(f: tf.Tensor2D, sel: tf.Tensor2D, g: Grid, stride = 1): tf.Tensor5D {
  const d = g.size / stride;
  return tf.reshape(tf.matMul(sel, f, true, false), [g.batch, d, d, d, f.shape[1]]);
}

/** Dense [B, D, D, D, C] → rows at the selected sites. */
export function fromDense(x: tf.Tensor5D, sel: tf.Tensor2D): tf.Tensor2D {
  const c = x.shape[4];
  return tf.matMul(sel, tf.reshape(x, [-1, c])) as tf.Tensor2D;
}

/** Our weight layout [k³×Cin×Cout] (offset index x fastest) → tf.conv3d filter [kx, ky, kz, Cin, Cout]. */
export function denseFilter(w: tf.Tensor3D, k: number): tf.Tensor5D {
  const [, cin, cout] = w.shape;
  return tf.transpose(tf.reshape(w, [k, k, k, cin, cout]), [2, 1, 0, 3, 4]) as tf.Tensor5D;
}

/**
 * A dilated k³ kernel as the equivalent undilated ((k−1)d+1)³ kernel with zeros between taps
 * (tfjs has no conv3d gradient for dilation > 1). Differentiable w.r.t. w.
 */
export function expandDilated(w: tf.Tensor3D, k: number, d: number): { weight: tf.Tensor3D; kernel: number } {
  const [, cin, cout] = w.shape;
  const kk = (k - 1) * d + 1;
  const src = new Int32Array(kk ** 3).fill(-1);
  for (let iz = 0; iz < k; iz++)
    for (let iy = 0; iy < k; iy++)
      for (let ix = 0; ix < k; ix++)
        src[ix * d + kk * (iy * d) + kk * kk * (iz * d)] = ix + k * iy + k * k * iz;
  const rows = Array.from(src, (s) =>
    s < 0 ? new Array<number>(k ** 3).fill(0) : Array.from({ length: k ** 3 }, (_, j) => (j === s ? 1 : 0)),
  );
  const p = tf.tensor2d(rows);
  const weight = tf.reshape(tf.matMul(p, tf.reshape(w, [k ** 3, cin * cout])), [
    kk ** 3,
    cin,
    cout,
  ]) as tf.Tensor3D;
  return { weight, kernel: kk };
}

/**
 * Stride-2, 2³ transposed conv as depth-to-space of a per-voxel linear map (non-overlapping
 * kernel): out[2u+δ] = x[u]·W_δ. x: [B, d, d, d, Cin] → [B, 2d, 2d, 2d, Cout].
 */
export function upDepthToSpace(x: tf.Tensor5D, w: tf.Tensor3D): tf.Tensor5D {
  const [b, d, , , cin] = x.shape;
  const cout = w.shape[2];
  // W: [8 (δ = ix + 2iy + 4iz), cin, cout] → [cin, iz, iy, ix, cout]
  const wcat = tf.reshape(tf.transpose(tf.reshape(w, [2, 2, 2, cin, cout]), [3, 0, 1, 2, 4]), [
    cin,
    8 * cout,
  ]);
  const y = tf.reshape(tf.matMul(tf.reshape(x, [-1, cin]), wcat), [b, d, d, d, 2, 2, 2, cout]); // [.., iz, iy, ix, c]
  // fine index: x = 2ux + ix, y = 2uy + iy, z = 2uz + iz
  return tf.reshape(tf.transpose(y, [0, 1, 6, 2, 5, 3, 4, 7]), [b, 2 * d, 2 * d, 2 * d, cout]) as tf.Tensor5D;
}
