/**
 * 4×4 rigid transforms stored row-major in a Float64Array(16) (the layout of ScanNet pose files):
 * compose, invert, apply to point arrays, and an OpenCV-convention look-at camera pose.
 */
import { applyAffine, invertAffine } from '../core/affine.js';

/** A 4×4 row-major matrix; camera poses are camera-to-world. */
export type Mat4 = Float64Array;

/** The identity transform. */
export function identity4(): Mat4 {
  const m = new Float64Array(16);
  m[0] = m[5] = m[10] = m[15] = 1;
  return m;
}

/** a·b (apply b first, then a). */
export function multiply4(a: Mat4, b: Mat4): Mat4 {
  const out = new Float64Array(16);
  for (let r = 0; r < 4; r++) {
    for (let c = 0; c < 4; c++) {
      let s = 0;
      for (let k = 0; k < 4; k++) s += a[r * 4 + k] * b[k * 4 + c];
      out[r * 4 + c] = s;
    }
  }
  return out;
}

/** Inverse of a rigid (or any invertible affine) 4×4 transform. */
export function invertRigid(m: Mat4): Mat4 {
  const out = new Float64Array(16);
  out.set(invertAffine(m));
  out[15] = 1;
  return out;
}

/** Applies `m` to N points (3N floats); returns a new Float32Array unless `out` is given. */
export function transformPoints(positions: Float32Array, m: Mat4, out?: Float32Array): Float32Array {
  return applyAffine(m, positions, out);
}

/**
 * Camera-to-world pose of a camera at `eye` looking at `target`, OpenCV axes (x right, y down,
 * z forward), with world `up` (default +z). Throws if the view direction is parallel to up.
 */
export function lookAt(
  eye: readonly number[],
  target: readonly number[],
  up: readonly number[] = [0, 0, 1],
): Mat4 {
  let fx = target[0] - eye[0];
  let fy = target[1] - eye[1];
  let fz = target[2] - eye[2];
  const fl = Math.hypot(fx, fy, fz);
  if (!(fl > 0)) throw new RangeError('lookAt: eye and target coincide');
  fx /= fl;
  fy /= fl;
  fz /= fl;
  // right = forward × up
  let rx = fy * up[2] - fz * up[1];
  let ry = fz * up[0] - fx * up[2];
  let rz = fx * up[1] - fy * up[0];
  const rl = Math.hypot(rx, ry, rz);
  if (!(rl > 1e-9)) throw new RangeError('lookAt: view direction is parallel to the up vector');
  rx /= rl;
  ry /= rl;
  rz /= rl;
  // down = forward × right
  const dx = fy * rz - fz * ry;
  const dy = fz * rx - fx * rz;
  const dz = fx * ry - fy * rx;
  return Float64Array.from([rx, dx, fx, eye[0], ry, dy, fy, eye[1], rz, dz, fz, eye[2], 0, 0, 0, 1]);
}

/** Largest entry of |RᵀR − I|: how far the rotation block is from orthonormal. */
export function rigidError(m: Mat4): number {
  let err = 0;
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) {
      let s = 0;
      for (let k = 0; k < 3; k++) s += m[k * 4 + i] * m[k * 4 + j];
      err = Math.max(err, Math.abs(s - (i === j ? 1 : 0)));
    }
  }
  return err;
}
