/**
 * Depth-buffer visibility of a point cloud from a pinhole camera: z-buffer splatting of the points
 * (a disc of a world-space radius per point, so near points cover more pixels and surfaces have no
 * holes), then a point is visible when its depth is within a tolerance of the buffer at its pixel.
 */
import type { Intrinsics } from './camera.js';
import { transformPoints, type Mat4 } from './rigid.js';

export interface SplatOptions {
  /** World-space splat radius in metres (about the point spacing of the cloud). Default 0.02. */
  splatRadius?: number;
  /** Per-point world splat radii (N values); when given they replace `splatRadius`. */
  splatRadii?: Float32Array;
  /** Cap on the splat radius in pixels (bounds the cost of points close to the camera). Default 8. */
  maxSplatPixels?: number;
  /** Points with depth outside (near, far] are ignored. Defaults 0.1 and Infinity. */
  near?: number;
  far?: number;
}

export interface VisibilityOptions extends SplatOptions {
  /** A point is visible when depth ≤ buffer + tolerance + relTolerance·depth. Defaults 0.03 m and 0.01. */
  tolerance?: number;
  relTolerance?: number;
  /** A buffer to reuse (W·H floats); it is overwritten. */
  buffer?: Float32Array;
}

function splatInto(cam: Float32Array, k: Intrinsics, depth: Float32Array, opts: SplatOptions): void {
  const { splatRadius = 0.02, splatRadii, maxSplatPixels = 8, near = 0.1, far = Infinity } = opts;
  const { width: w, height: h, fx, fy, cx, cy } = k;
  depth.fill(Infinity);
  const n = cam.length / 3;
  if (splatRadii && splatRadii.length !== n) {
    throw new RangeError(`splat: ${splatRadii.length} radii for ${n} points`);
  }
  for (let i = 0; i < n; i++) {
    const z = cam[i * 3 + 2];
    if (!(z > near && z <= far)) continue;
    const u = (fx * cam[i * 3]) / z + cx;
    const v = (fy * cam[i * 3 + 1]) / z + cy;
    const r = Math.min(maxSplatPixels, ((splatRadii ? splatRadii[i] : splatRadius) * fx) / z);
    const u0 = Math.max(0, Math.ceil(u - r));
    const u1 = Math.min(w - 1, Math.floor(u + r));
    const v0 = Math.max(0, Math.ceil(v - r));
    const v1 = Math.min(h - 1, Math.floor(v + r));
    const r2 = r * r;
    for (let pv = v0; pv <= v1; pv++) {
      const dv = pv - v;
      const row = pv * w;
      for (let pu = u0; pu <= u1; pu++) {
        const du = pu - u;
        if (du * du + dv * dv > r2) continue;
        if (z < depth[row + pu]) depth[row + pu] = z;
      }
    }
    // the pixel the point falls in always receives it, however small the splat
    const ui = Math.round(u);
    const vi = Math.round(v);
    if (ui >= 0 && ui < w && vi >= 0 && vi < h && z < depth[vi * w + ui]) depth[vi * w + ui] = z;
  }
}

/** Renders a W×H depth image (metres, Infinity = empty) of the points seen from `worldToCam`. */
export function splatDepth(
  positions: Float32Array,
  k: Intrinsics,
  worldToCam: Mat4,
  opts: SplatOptions = {},
): Float32Array {
  const depth = new Float32Array(k.width * k.height);
  splatInto(transformPoints(positions, worldToCam), k, depth, opts);
  return depth;
}

/** Indices of the points visible from `worldToCam` (inside the image, in (near, far], not occluded). */
export function visiblePoints(
  positions: Float32Array,
  k: Intrinsics,
  worldToCam: Mat4,
  opts: VisibilityOptions = {},
): Int32Array {
  const { tolerance = 0.03, relTolerance = 0.01, near = 0.1, far = Infinity } = opts;
  const { width: w, height: h, fx, fy, cx, cy } = k;
  const cam = transformPoints(positions, worldToCam);
  const depth = opts.buffer && opts.buffer.length === w * h ? opts.buffer : new Float32Array(w * h);
  splatInto(cam, k, depth, opts);
  const n = cam.length / 3;
  const keep = new Int32Array(n);
  let m = 0;
  for (let i = 0; i < n; i++) {
    const z = cam[i * 3 + 2];
    if (!(z > near && z <= far)) continue;
    const u = Math.round((fx * cam[i * 3]) / z + cx);
    const v = Math.round((fy * cam[i * 3 + 1]) / z + cy);
    if (u < 0 || u >= w || v < 0 || v >= h) continue;
    if (z <= depth[v * w + u] + tolerance + relTolerance * z) keep[m++] = i;
  }
  return keep.slice(0, m);
}
