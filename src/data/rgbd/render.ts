/**
 * Synthetic RGB-D frames: z-buffer rendering of a triangle mesh (depth in millimetres as ScanNet
 * stores it, per-triangle colour) from a camera pose, and smooth camera trajectories inside a room
 * (a slow walk along an ellipse, looking across the room while panning), so consecutive frames
 * overlap like a real sequence.
 */
import type { Intrinsics } from '../../geometry/camera.js';
import { rasterizeTriangles } from '../../geometry/raster.js';
import { invertRigid, lookAt, type Mat4 } from '../../geometry/rigid.js';
import type { RgbdFrame } from './scannet-layout.js';

/** Triangles in world coordinates (9 floats each) with an optional RGB colour per triangle. */
export interface TriangleMesh {
  triangles: Float32Array;
  colors?: Uint8Array;
}

/** Renders one frame: uint16 depth (mm, 0 = nothing within maxDepth) and RGB when the mesh has colours. */
export function renderRgbdFrame(mesh: TriangleMesh, k: Intrinsics, pose: Mat4, maxDepth = 10): RgbdFrame {
  const { depth, triangle } = rasterizeTriangles(mesh.triangles, k, invertRigid(pose));
  const n = k.width * k.height;
  const mm = new Uint16Array(n);
  for (let p = 0; p < n; p++) {
    const z = depth[p];
    if (z <= maxDepth) mm[p] = Math.min(65535, Math.round(z * 1000));
  }
  const frame: RgbdFrame = { width: k.width, height: k.height, depth: mm, pose };
  if (mesh.colors) {
    const c = new Uint8Array(n * 3);
    for (let p = 0; p < n; p++) {
      const t = triangle[p];
      if (t >= 0 && mm[p] > 0) c.set(mesh.colors.subarray(t * 3, t * 3 + 3), p * 3);
    }
    frame.color = c;
  }
  return frame;
}

/** Options of `roomTrajectory`. */
export interface TrajectoryOptions {
  /** Camera height above the floor (1.5 m) and downward pitch (15°). */
  height?: number;
  pitchDeg?: number;
  /** Distance kept from the room bounds (0.6 m). */
  margin?: number;
  /** Laps around the ellipse over the whole sequence (1) and amplitude of the pan (0.3 rad, two swings per lap). */
  laps?: number;
  panAmplitude?: number;
  /** Phase offset in [0, 1) so different sequences start elsewhere (0). */
  phase?: number;
}

/**
 * `count` camera-to-world poses walking an ellipse inside the room bounds, looking inward (across
 * the room) with a slow pan: neighbouring frames overlap strongly, far-apart frames less.
 */
export function roomTrajectory(
  room: { min: readonly number[]; max: readonly number[] },
  count: number,
  o: TrajectoryOptions = {},
): Mat4[] {
  const { height = 1.5, pitchDeg = 15, margin = 0.6, laps = 1, panAmplitude = 0.3, phase = 0 } = o;
  const cx = (room.min[0] + room.max[0]) / 2;
  const cy = (room.min[1] + room.max[1]) / 2;
  const rx = Math.max(0.05, (room.max[0] - room.min[0]) / 2 - margin);
  const ry = Math.max(0.05, (room.max[1] - room.min[1]) / 2 - margin);
  const pitch = (pitchDeg * Math.PI) / 180;
  const poses: Mat4[] = [];
  for (let i = 0; i < count; i++) {
    const t = 2 * Math.PI * (phase + (laps * i) / count);
    const eye = [cx + rx * Math.cos(t), cy + ry * Math.sin(t), room.min[2] + height];
    // look across the room (towards the centre), panning back and forth
    const yaw = t + Math.PI + panAmplitude * Math.sin(2 * t);
    const dir = [Math.cos(pitch) * Math.cos(yaw), Math.cos(pitch) * Math.sin(yaw), -Math.sin(pitch)];
    poses.push(lookAt(eye, [eye[0] + dir[0], eye[1] + dir[1], eye[2] + dir[2]]));
  }
  return poses;
}

/** Expands an indexed mesh (e.g. the synthetic generator's `surfaceMesh`) into a TriangleMesh. */
export function indexedMesh(m: {
  positions: Float32Array;
  indices: Uint32Array;
  colors?: Uint8Array;
}): TriangleMesh {
  const t = m.indices.length / 3;
  const triangles = new Float32Array(t * 9);
  for (let k = 0; k < t * 3; k++) {
    const v = m.indices[k];
    triangles[k * 3] = m.positions[v * 3];
    triangles[k * 3 + 1] = m.positions[v * 3 + 1];
    triangles[k * 3 + 2] = m.positions[v * 3 + 2];
  }
  return m.colors ? { triangles, colors: m.colors } : { triangles };
}
