/**
 * Pinhole camera model (OpenCV axes: x right, y down, z forward; pixel (u, v) = column, row, the
 * pixel centre at integer coordinates as in ScanNet) and depth-image back-projection to world points.
 */
import type { Mat4 } from './rigid.js';

/** Pinhole intrinsics of a W×H image. */
export interface Intrinsics {
  width: number;
  height: number;
  fx: number;
  fy: number;
  cx: number;
  cy: number;
}

/** Intrinsics with square pixels, a horizontal field of view in degrees and the centre at the image middle. */
export function intrinsicsFromFov(width: number, height: number, hfovDeg: number): Intrinsics {
  const f = width / 2 / Math.tan((hfovDeg * Math.PI) / 360);
  return { width, height, fx: f, fy: f, cx: (width - 1) / 2, cy: (height - 1) / 2 };
}

/** Throws unless the intrinsics are finite with a positive size and focal lengths. */
export function checkIntrinsics(k: Intrinsics, where = 'intrinsics'): void {
  const ok =
    Number.isInteger(k.width) &&
    Number.isInteger(k.height) &&
    k.width > 0 &&
    k.height > 0 &&
    k.fx > 0 &&
    k.fy > 0 &&
    Number.isFinite(k.cx) &&
    Number.isFinite(k.cy);
  if (!ok)
    throw new RangeError(
      `${where}: expected positive integer size and positive fx, fy; got ${JSON.stringify(k)}`,
    );
}

/**
 * Projects world points into the camera `worldToCam`; writes per point u, v (pixel coordinates,
 * not rounded) and z (depth along the optical axis; ≤ 0 means behind the camera).
 */
export function projectPoints(positions: Float32Array, k: Intrinsics, worldToCam: Mat4): Float32Array {
  const n = positions.length / 3;
  const out = new Float32Array(n * 3);
  const m = worldToCam;
  for (let i = 0; i < n; i++) {
    const x = positions[i * 3];
    const y = positions[i * 3 + 1];
    const z = positions[i * 3 + 2];
    const cx = m[0] * x + m[1] * y + m[2] * z + m[3];
    const cy = m[4] * x + m[5] * y + m[6] * z + m[7];
    const cz = m[8] * x + m[9] * y + m[10] * z + m[11];
    out[i * 3] = (k.fx * cx) / cz + k.cx;
    out[i * 3 + 1] = (k.fy * cy) / cz + k.cy;
    out[i * 3 + 2] = cz;
  }
  return out;
}

export interface BackProjectOptions {
  /** Depth units per metre (ScanNet: 1000, i.e. millimetres). */
  depthScale?: number;
  /** Pixels with depth (metres) outside [minDepth, maxDepth] are skipped; 0 is always invalid. */
  minDepth?: number;
  maxDepth?: number;
}

/** Back-projected points of a depth image: world positions and the pixel index (v·W + u) of each. */
export interface BackProjected {
  positions: Float32Array;
  pixels: Int32Array;
}

/**
 * Back-projects a depth image (row-major W×H) with `z = d/depthScale`, `X = (u−cx)·z/fx`,
 * `Y = (v−cy)·z/fy`, then world = pose·[X, Y, z, 1] (pose = camera-to-world).
 */
export function backProjectDepth(
  depth: Uint16Array | Float32Array,
  k: Intrinsics,
  pose: Mat4,
  opts: BackProjectOptions = {},
): BackProjected {
  const { depthScale = 1000, minDepth = 0, maxDepth = Infinity } = opts;
  const { width: w, height: h } = k;
  if (depth.length !== w * h) {
    throw new RangeError(`backProjectDepth: depth has ${depth.length} pixels, intrinsics say ${w}×${h}`);
  }
  let n = 0;
  for (let p = 0; p < depth.length; p++) {
    const z = depth[p] / depthScale;
    if (depth[p] > 0 && z >= minDepth && z <= maxDepth) n++;
  }
  const positions = new Float32Array(n * 3);
  const pixels = new Int32Array(n);
  const ifx = 1 / k.fx;
  const ify = 1 / k.fy;
  const m = pose;
  let o = 0;
  for (let v = 0; v < h; v++) {
    const yr = (v - k.cy) * ify;
    for (let u = 0; u < w; u++) {
      const p = v * w + u;
      const d = depth[p];
      const z = d / depthScale;
      if (!(d > 0 && z >= minDepth && z <= maxDepth)) continue;
      const x = (u - k.cx) * ifx * z;
      const y = yr * z;
      positions[o * 3] = m[0] * x + m[1] * y + m[2] * z + m[3];
      positions[o * 3 + 1] = m[4] * x + m[5] * y + m[6] * z + m[7];
      positions[o * 3 + 2] = m[8] * x + m[9] * y + m[10] * z + m[11];
      pixels[o++] = p;
    }
  }
  return { positions, pixels };
}
