/**
 * 3×4 affine maps (x' = A·x + t, row-major [a00 a01 a02 t0; a10 …]) in Float64Array(12): the
 * record of what the rigid / scale / flip / translate augmentations did, so a view can be undone.
 */

/** A 3×3 matrix, row-major, in a Float64Array(9). */
export type Mat3 = Float64Array;
/** A 3×4 affine, row-major, in a Float64Array(12). */
export type Affine = Float64Array;

/** The identity affine. */
export function identityAffine(): Affine {
  return Float64Array.of(1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0);
}

/** The affine x ↦ M·(x − pivot) + pivot + shift. */
export function affineAbout(m: Mat3, pivot: ArrayLike<number>, shift: ArrayLike<number> = [0, 0, 0]): Affine {
  const out = new Float64Array(12);
  for (let r = 0; r < 3; r++) {
    let mp = 0;
    for (let c = 0; c < 3; c++) {
      out[r * 4 + c] = m[r * 3 + c];
      mp += m[r * 3 + c] * pivot[c];
    }
    out[r * 4 + 3] = pivot[r] - mp + shift[r];
  }
  return out;
}

/** Composition `second ∘ first` (first applied, then second). */
export function composeAffine(second: Affine, first: Affine): Affine {
  const out = new Float64Array(12);
  for (let r = 0; r < 3; r++) {
    for (let c = 0; c < 4; c++) {
      let s = c === 3 ? second[r * 4 + 3] : 0;
      for (let k = 0; k < 3; k++) s += second[r * 4 + k] * first[k * 4 + c];
      out[r * 4 + c] = s;
    }
  }
  return out;
}

/** Inverse of an invertible affine (any 3×4 row-major array, e.g. the top of a 4×4 pose). */
export function invertAffine(a: ArrayLike<number>): Affine {
  const [m00, m01, m02, , m10, m11, m12, , m20, m21, m22] = Array.from({ length: 11 }, (_, i) => a[i]);
  const c00 = m11 * m22 - m12 * m21;
  const c01 = m02 * m21 - m01 * m22;
  const c02 = m01 * m12 - m02 * m11;
  const det = m00 * c00 + m10 * c01 + m20 * c02;
  if (Math.abs(det) < 1e-300) throw new RangeError('invertAffine: singular matrix');
  const inv = new Float64Array(9);
  inv[0] = c00 / det;
  inv[1] = c01 / det;
  inv[2] = c02 / det;
  inv[3] = (m12 * m20 - m10 * m22) / det;
  inv[4] = (m00 * m22 - m02 * m20) / det;
  inv[5] = (m02 * m10 - m00 * m12) / det;
  inv[6] = (m10 * m21 - m11 * m20) / det;
  inv[7] = (m01 * m20 - m00 * m21) / det;
  inv[8] = (m00 * m11 - m01 * m10) / det;
  const out = new Float64Array(12);
  for (let r = 0; r < 3; r++) {
    let t = 0;
    for (let c = 0; c < 3; c++) {
      out[r * 4 + c] = inv[r * 3 + c];
      t -= inv[r * 3 + c] * a[c * 4 + 3];
    }
    out[r * 4 + 3] = t;
  }
  return out;
}

/**
 * Applies an affine (any 3×4 row-major array, e.g. the top of a 4×4 pose) to 3N positions:
 * float64 arithmetic, float32 result in a new array, or in `out` (which may be `positions`).
 */
export function applyAffine(
  a: ArrayLike<number>,
  positions: Float32Array,
  out: Float32Array = new Float32Array(positions.length),
): Float32Array {
  const [a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11] = Array.from({ length: 12 }, (_, i) => a[i]);
  for (let i = 0; i < positions.length; i += 3) {
    const x = positions[i];
    const y = positions[i + 1];
    const z = positions[i + 2];
    out[i] = a0 * x + a1 * y + a2 * z + a3;
    out[i + 1] = a4 * x + a5 * y + a6 * z + a7;
    out[i + 2] = a8 * x + a9 * y + a10 * z + a11;
  }
  return out;
}

/** Rotation matrix about a coordinate axis (0 = x, 1 = y, 2 = z) by `angle` radians. */
export function axisRotation(axis: 0 | 1 | 2, angle: number): Mat3 {
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  if (axis === 0) return Float64Array.of(1, 0, 0, 0, c, -s, 0, s, c);
  if (axis === 1) return Float64Array.of(c, 0, s, 0, 1, 0, -s, 0, c);
  return Float64Array.of(c, -s, 0, s, c, 0, 0, 0, 1);
}

/** Rotation about the unit vector (ux, uy, uz) by `angle` (Rodrigues). */
export function axisAngleRotation(ux: number, uy: number, uz: number, angle: number): Mat3 {
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  const t = 1 - c;
  return Float64Array.of(
    t * ux * ux + c,
    t * ux * uy - s * uz,
    t * ux * uz + s * uy,
    t * ux * uy + s * uz,
    t * uy * uy + c,
    t * uy * uz - s * ux,
    t * ux * uz - s * uy,
    t * uy * uz + s * ux,
    t * uz * uz + c,
  );
}

/** Product a·b of 3×3 matrices. */
export function mulMat3(a: Mat3, b: Mat3): Mat3 {
  const out = new Float64Array(9);
  for (let r = 0; r < 3; r++) {
    for (let c = 0; c < 3; c++) {
      out[r * 3 + c] = a[r * 3] * b[c] + a[r * 3 + 1] * b[3 + c] + a[r * 3 + 2] * b[6 + c];
    }
  }
  return out;
}
