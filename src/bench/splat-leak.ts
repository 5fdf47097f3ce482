/**
 * How the z-buffer splat of `data pairs --from scans` decides visibility at a fixed world radius
 * versus the adaptive per-point radius: the same random virtual cameras as the pair generator, the
 * same tolerances; per view the points each radius keeps and the points only one of them keeps.
 * With a triangle mesh of the same scene (synthetic rooms), also the truth: a point is visible when
 * its depth is within the tolerance of the rasterised mesh depth; "see-through" points are kept by
 * a splat but hidden by the mesh, "lost" points the reverse.
 */
import type { PointCloud } from '../geometry/point-cloud.js';
import { rasterizeTriangles } from '../geometry/raster.js';
import { visiblePoints } from '../geometry/depth-buffer.js';
import { invertRigid } from '../geometry/rigid.js';
import { adaptiveSplatRadii, sampleCameraPose, virtualIntrinsics, type Room } from '../data/pairs/views.js';
import type { Rand } from '../core/rng.js';

/** Totals over the views (point counts summed over views). */
export interface SplatLeak {
  views: number;
  fixedRadius: number;
  /** Median adaptive radius (metres). */
  adaptiveRadiusP50: number;
  fixed: number;
  adaptive: number;
  /** Kept by the fixed radius only / by the adaptive radius only. */
  fixedOnly: number;
  adaptiveOnly: number;
  /** With a mesh: truly visible points, and per radius the see-through (kept, hidden by the mesh) and lost (visible, not kept) counts. */
  truth?: {
    visible: number;
    fixedSeeThrough: number;
    fixedLost: number;
    adaptiveSeeThrough: number;
    adaptiveLost: number;
  };
}

const TOL = 0.03;
const REL = 0.01;
const NEAR = 0.3;
const FAR = 5;

/** Runs `views` random cameras (pair-generator defaults) over `cloud`; `triangles` (9 floats each) give the truth. */
export function splatLeak(
  cloud: PointCloud,
  room: Room,
  rand: Rand,
  views: number,
  fixedRadius = 0.025,
  triangles?: Float32Array,
): SplatLeak {
  const k = virtualIntrinsics();
  const pos = cloud.positions;
  const n = pos.length / 3;
  const radii = adaptiveSplatRadii(pos);
  const sorted = Float32Array.from(radii).sort();
  const opts = { tolerance: TOL, relTolerance: REL, near: NEAR, far: FAR };
  const r: SplatLeak = {
    views,
    fixedRadius,
    adaptiveRadiusP50: sorted[Math.floor((n - 1) / 2)],
    fixed: 0,
    adaptive: 0,
    fixedOnly: 0,
    adaptiveOnly: 0,
  };
  if (triangles)
    r.truth = { visible: 0, fixedSeeThrough: 0, fixedLost: 0, adaptiveSeeThrough: 0, adaptiveLost: 0 };
  const a = new Uint8Array(n);
  const b = new Uint8Array(n);
  for (let v = 0; v < views; v++) {
    const w2c = invertRigid(sampleCameraPose(room, rand));
    a.fill(0);
    b.fill(0);
    for (const i of visiblePoints(pos, k, w2c, { ...opts, splatRadius: fixedRadius })) a[i] = 1;
    for (const i of visiblePoints(pos, k, w2c, { ...opts, splatRadii: radii })) b[i] = 1;
    for (let i = 0; i < n; i++) {
      r.fixed += a[i];
      r.adaptive += b[i];
      if (a[i] && !b[i]) r.fixedOnly++;
      if (b[i] && !a[i]) r.adaptiveOnly++;
    }
    if (!triangles || !r.truth) continue;
    const { depth } = rasterizeTriangles(triangles, k, w2c);
    const m = w2c;
    for (let i = 0; i < n; i++) {
      const x = pos[i * 3];
      const y = pos[i * 3 + 1];
      const z = pos[i * 3 + 2];
      const cz = m[8] * x + m[9] * y + m[10] * z + m[11];
      let seen = false;
      if (cz > NEAR && cz <= FAR) {
        const u = Math.round((k.fx * (m[0] * x + m[1] * y + m[2] * z + m[3])) / cz + k.cx);
        const w = Math.round((k.fy * (m[4] * x + m[5] * y + m[6] * z + m[7])) / cz + k.cy);
        seen =
          u >= 0 && u < k.width && w >= 0 && w < k.height && cz <= depth[w * k.width + u] + TOL + REL * cz;
      }
      if (seen) r.truth.visible++;
      if (a[i] && !seen) r.truth.fixedSeeThrough++;
      if (!a[i] && seen) r.truth.fixedLost++;
      if (b[i] && !seen) r.truth.adaptiveSeeThrough++;
      if (!b[i] && seen) r.truth.adaptiveLost++;
    }
  }
  return r;
}
