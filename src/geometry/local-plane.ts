/**
 * Local plane fits (PCA over a point and its k nearest neighbours): the unit normal (eigenvector of
 * the smallest eigenvalue of the neighbourhood covariance, sign arbitrary) and the RMS distance of
 * the neighbourhood to its fitted plane, √λmin. Eigenvalues in closed form (trigonometric solution
 * of the characteristic cubic), the eigenvector from cross products of rows of A − λI.
 */
import type { KnnResult } from './knn.js';

/** Per-point plane fits. */
export interface LocalPlanes {
  /** N×3 unit normals (0, 0, 0 where the neighbourhood has fewer than 3 points). */
  normals: Float32Array;
  /** RMS distance of the neighbourhood (the point and its neighbours) to its plane, metres (NaN when undefined). */
  residuals: Float32Array;
}

/**
 * The smallest eigenvalue of the symmetric matrix [[a, d, e], [d, b, f], [e, f, c]] and a unit
 * eigenvector of it, written to `out` (x, y, z); returns the eigenvalue.
 */
export function smallestEigen(
  a: number,
  b: number,
  c: number,
  d: number,
  e: number,
  f: number,
  out: Float64Array,
): number {
  const p1 = d * d + e * e + f * f;
  const q = (a + b + c) / 3;
  let lambda: number;
  const p2 = (a - q) ** 2 + (b - q) ** 2 + (c - q) ** 2 + 2 * p1;
  if (p2 <= 1e-30 * Math.max(1, q * q)) {
    // a multiple of the identity: any direction
    out[0] = 0;
    out[1] = 0;
    out[2] = 1;
    return q;
  }
  const p = Math.sqrt(p2 / 6);
  // B = (A − qI) / p; r = det(B) / 2
  const ba = (a - q) / p;
  const bb = (b - q) / p;
  const bc = (c - q) / p;
  const bd = d / p;
  const be = e / p;
  const bf = f / p;
  const det = ba * (bb * bc - bf * bf) - bd * (bd * bc - bf * be) + be * (bd * bf - bb * be);
  const r = Math.min(1, Math.max(-1, det / 2));
  const phi = Math.acos(r) / 3;
  lambda = q + 2 * p * Math.cos(phi + (2 * Math.PI) / 3);
  // rows of A − λI; the eigenvector is orthogonal to all of them
  const r0 = [a - lambda, d, e];
  const r1 = [d, b - lambda, f];
  const r2 = [e, f, c - lambda];
  let best = -1;
  for (const [u, v] of [
    [r0, r1],
    [r0, r2],
    [r1, r2],
  ]) {
    const x = u[1] * v[2] - u[2] * v[1];
    const y = u[2] * v[0] - u[0] * v[2];
    const z = u[0] * v[1] - u[1] * v[0];
    const n2 = x * x + y * y + z * z;
    if (n2 > best) {
      best = n2;
      const l = Math.sqrt(n2);
      out[0] = x / l;
      out[1] = y / l;
      out[2] = z / l;
    }
  }
  if (!(best > 0)) {
    out[0] = 0;
    out[1] = 0;
    out[2] = 1;
  }
  if (lambda < 0) lambda = 0;
  return lambda;
}

/** Plane fits over each point plus its neighbours in `knn` (missing neighbours, index -1, are skipped). */
export function localPlanes(positions: Float32Array, knn: KnnResult): LocalPlanes {
  const n = positions.length / 3;
  const { k, indices } = knn;
  const normals = new Float32Array(n * 3);
  const residuals = new Float32Array(n).fill(NaN);
  const v = new Float64Array(3);
  for (let i = 0; i < n; i++) {
    // centred at the query point for precision, then shifted to the mean
    const px = positions[i * 3];
    const py = positions[i * 3 + 1];
    const pz = positions[i * 3 + 2];
    let m = 1;
    let sx = 0;
    let sy = 0;
    let sz = 0;
    let sxx = 0;
    let syy = 0;
    let szz = 0;
    let sxy = 0;
    let sxz = 0;
    let syz = 0;
    for (let q = 0; q < k; q++) {
      const j = indices[i * k + q];
      if (j < 0) continue;
      const x = positions[j * 3] - px;
      const y = positions[j * 3 + 1] - py;
      const z = positions[j * 3 + 2] - pz;
      m++;
      sx += x;
      sy += y;
      sz += z;
      sxx += x * x;
      syy += y * y;
      szz += z * z;
      sxy += x * y;
      sxz += x * z;
      syz += y * z;
    }
    if (m < 3) continue;
    const mx = sx / m;
    const my = sy / m;
    const mz = sz / m;
    const lambda = smallestEigen(
      sxx / m - mx * mx,
      syy / m - my * my,
      szz / m - mz * mz,
      sxy / m - mx * my,
      sxz / m - mx * mz,
      syz / m - my * mz,
      v,
    );
    normals[i * 3] = v[0];
    normals[i * 3 + 1] = v[1];
    normals[i * 3 + 2] = v[2];
    residuals[i] = Math.sqrt(lambda);
  }
  return { normals, residuals };
}
