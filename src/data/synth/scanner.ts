/**
 * A virtual hand-held scan of a synthetic room: which sampled points a person-height depth camera
 * walking the room ever sees. The scene's surfaces are triangulated and z-buffered from every pose
 * of a walk around the room (one lap per pitch: looking down at the floor and furniture, then
 * level); a point survives when some frame sees it within the depth range (not behind another
 * surface). This removes what a real capture never sees and a contact-occluded cloud keeps:
 * undersides of tables and shelves, tops above eye height, most of the ceiling, wall and floor
 * behind and under furniture, the backs of free-standing objects facing a wall.
 */
import { intrinsicsFromFov } from '../../geometry/camera.js';
import { rasterizeTriangles } from '../../geometry/raster.js';
import { invertRigid, type Mat4 } from '../../geometry/rigid.js';
import { roomTrajectory } from '../rgbd/render.js';
import { surfaceMesh } from './mesh.js';
import type { SynthSurface, Vec3 } from './shape.js';

/** The virtual capture (defaults in parentheses). */
export interface ScannerOptions {
  /** Frames per lap of the walk (40). */
  frames?: number;
  /** Downward pitch of each lap in degrees ([30, 0]: one lap looking down at the floor and furniture, one level at the walls). */
  pitchesDeg?: number[];
  /** Eye height above the floor (1.5 m) and distance kept from the walls (0.6 m). */
  eyeHeight?: number;
  margin?: number;
  /** Depth image size and horizontal field of view (320×240, 60°). */
  width?: number;
  height?: number;
  hfovDeg?: number;
  /** Depths seen: (near, far] (0.4 m, 4 m; ScanNet's fused range is about 4 m). */
  near?: number;
  far?: number;
  /** A point is seen when its depth ≤ the rendered depth + tolerance + relTolerance·depth (0.02 m, 0.01). */
  tolerance?: number;
  relTolerance?: number;
  /**
   * With normals (which face the visible side): a point is seen only from the front, and only when
   * the cosine between the ray to the camera and its normal is at least this (0.25, i.e. within
   * about 75° of the normal; fused scans lose grazing surfaces); 0 keeps grazing points.
   */
  minCosIncidence?: number;
}

/** The camera-to-world poses of the capture. */
export function scannerPoses(room: { min: Vec3; max: Vec3 }, o: ScannerOptions = {}): Mat4[] {
  const pitches = o.pitchesDeg ?? [30, 0];
  const frames = o.frames ?? 40;
  return pitches.flatMap((pitchDeg, lap) =>
    roomTrajectory(room, frames, {
      pitchDeg,
      height: o.eyeHeight ?? 1.5,
      margin: o.margin ?? 0.6,
      phase: lap / (2 * pitches.length),
    }),
  );
}

/** 1 for every point of `positions` that some frame of the capture sees, else 0. */
export function scannedMask(
  positions: Float32Array,
  normals: Float32Array | undefined,
  surfaces: readonly SynthSurface[],
  room: { min: Vec3; max: Vec3 },
  o: ScannerOptions = {},
): Uint8Array {
  const mesh = surfaceMesh(surfaces);
  const t = mesh.indices.length / 3;
  const triangles = new Float32Array(t * 9);
  for (let k = 0; k < t * 3; k++)
    triangles.set(mesh.positions.subarray(mesh.indices[k] * 3, mesh.indices[k] * 3 + 3), k * 3);
  const k = intrinsicsFromFov(o.width ?? 320, o.height ?? 240, o.hfovDeg ?? 60);
  const near = o.near ?? 0.4;
  const far = o.far ?? 4;
  const tol = o.tolerance ?? 0.02;
  const rel = o.relTolerance ?? 0.01;
  const minCos = normals ? (o.minCosIncidence ?? 0.25) : 0;
  const n = positions.length / 3;
  const seen = new Uint8Array(n);
  for (const pose of scannerPoses(room, o)) {
    const m = invertRigid(pose);
    const ex = pose[3];
    const ey = pose[7];
    const ez = pose[11];
    const { depth } = rasterizeTriangles(triangles, k, m);
    for (let i = 0; i < n; i++) {
      if (seen[i]) continue;
      const x = positions[i * 3];
      const y = positions[i * 3 + 1];
      const z = positions[i * 3 + 2];
      const cz = m[8] * x + m[9] * y + m[10] * z + m[11];
      if (!(cz > near && cz <= far)) continue;
      const u = Math.round((k.fx * (m[0] * x + m[1] * y + m[2] * z + m[3])) / cz + k.cx);
      const v = Math.round((k.fy * (m[4] * x + m[5] * y + m[6] * z + m[7])) / cz + k.cy);
      if (u < 0 || u >= k.width || v < 0 || v >= k.height) continue;
      if (cz > depth[v * k.width + u] + tol + rel * cz) continue;
      if (normals) {
        // normals face the visible side: a back face is never seen, a grazing one only above the cut
        const dx = ex - x;
        const dy = ey - y;
        const dz = ez - z;
        const dot = dx * normals[i * 3] + dy * normals[i * 3 + 1] + dz * normals[i * 3 + 2];
        if (dot <= 0 || dot < minCos * Math.hypot(dx, dy, dz)) continue;
      }
      seen[i] = 1;
    }
  }
  return seen;
}
