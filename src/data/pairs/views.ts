/**
 * Partial views cut out of a full scan by virtual cameras: poses inside the room (eye height,
 * looking roughly horizontally, random yaw, away from the walls), visibility by z-buffer
 * splatting, then the visible points (world coordinates) downsampled for storage.
 */
import { intrinsicsFromFov, type Intrinsics } from '../../geometry/camera.js';
import { visiblePoints } from '../../geometry/depth-buffer.js';
import type { PointCloud } from '../../geometry/point-cloud.js';
import { invertRigid, lookAt, type Mat4 } from '../../geometry/rigid.js';
import { voxelize } from '../../geometry/voxelize.js';
import { knnSelf } from '../../geometry/knn.js';
import type { Rand } from '../../core/rng.js';

/** One partial view: world-frame points and the camera-to-world pose it was seen from. */
export interface View {
  id: string;
  positions: Float32Array;
  colors?: Uint8Array;
  pose: Mat4;
}

/** Axis-aligned room bounds (metres); min[2] is the floor height. */
export interface Room {
  min: [number, number, number];
  max: [number, number, number];
}

/** Virtual camera and visibility settings (defaults in parentheses). */
export interface VirtualCameraOptions {
  /** Image size and horizontal field of view of the depth buffer (320×240, 60°: ScanNet's depth camera is ~58°). */
  width?: number;
  height?: number;
  hfovDeg?: number;
  /** Camera height above the floor, metres ([1.2, 1.8]). */
  heightRange?: [number, number];
  /** Downward pitch, degrees ([0, 30]). */
  pitchRangeDeg?: [number, number];
  /** Minimum horizontal distance from the room bounds (0.5 m, shrunk for small rooms). */
  wallMargin?: number;
  /** Preferred free distance from the camera to the room bounds along the view direction (1.5 m). */
  minLookDistance?: number;
  /** Depth range seen by the camera (0.3 m … 5 m). */
  near?: number;
  far?: number;
  /**
   * World splat radius (0.025 m), or 'adaptive': per point, its distance to its 2nd nearest
   * neighbour clamped to [0.01, 0.1] m (`adaptiveSplatRadii`), so sparse and uneven real scans
   * leave no gaps the eye sees through; and depth tolerance (0.03 m + 1 % of depth) of the z-buffer test.
   */
  splatRadius?: number | 'adaptive';
  tolerance?: number;
  relTolerance?: number;
  /** Views with fewer stored points are rejected and re-drawn (1000). */
  minPoints?: number;
}

/** Everything needed to cut views from one scan. */
export interface ScanViewOptions extends VirtualCameraOptions {
  /** Number of views to keep. */
  count: number;
  /** Storage downsampling voxel in metres (first point per voxel; 0 keeps every visible point). */
  storeVoxel: number;
  /** Attempts per kept view before giving up (20). */
  attemptsPerView?: number;
}

/** The q-quantile of every third value starting at `axis` (robust bounds). */
function quantile(positions: Float32Array, axis: number, q: number): number {
  const n = positions.length / 3;
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) v[i] = positions[i * 3 + axis];
  v.sort();
  return v[Math.min(n - 1, Math.max(0, Math.round(q * (n - 1))))];
}

/** Robust room bounds of a scan: the 1st–99th percentile box (stray points outside windows do not count). */
export function roomBoundsOf(positions: Float32Array): Room {
  if (positions.length === 0) throw new RangeError('roomBoundsOf: empty cloud');
  return {
    min: [quantile(positions, 0, 0.01), quantile(positions, 1, 0.01), quantile(positions, 2, 0.01)],
    max: [quantile(positions, 0, 0.99), quantile(positions, 1, 0.99), quantile(positions, 2, 0.99)],
  };
}

/** Neighbour rank, lower and upper bound (metres) of the adaptive splat radius. */
const ADAPTIVE_SPLAT = { neighbour: 2, min: 0.01, max: 0.1 } as const;

/** Per-point splat radii: the distance to the 2nd nearest other point, clamped to [0.01, 0.1] m. */
export function adaptiveSplatRadii(positions: Float32Array): Float32Array {
  const { neighbour: k, min, max } = ADAPTIVE_SPLAT;
  const nn = knnSelf(positions, k, { cell: 0.05 });
  const n = positions.length / 3;
  const radii = new Float32Array(n);
  for (let i = 0; i < n; i++) radii[i] = Math.min(max, Math.max(min, nn.distances[i * k + k - 1]));
  return radii;
}

/** The intrinsics of the virtual camera. */
export function virtualIntrinsics(o: VirtualCameraOptions = {}): Intrinsics {
  return intrinsicsFromFov(o.width ?? 320, o.height ?? 240, o.hfovDeg ?? 60);
}

/** Horizontal distance from `eye` along (dx, dy) to the room's bounding box walls. */
function distanceToBounds(eye: number[], dx: number, dy: number, room: Room): number {
  let t = Infinity;
  if (dx > 1e-9) t = Math.min(t, (room.max[0] - eye[0]) / dx);
  if (dx < -1e-9) t = Math.min(t, (room.min[0] - eye[0]) / dx);
  if (dy > 1e-9) t = Math.min(t, (room.max[1] - eye[1]) / dy);
  if (dy < -1e-9) t = Math.min(t, (room.min[1] - eye[1]) / dy);
  return t;
}

/** A random camera-to-world pose inside `room` (see VirtualCameraOptions). */
export function sampleCameraPose(room: Room, rand: Rand, o: VirtualCameraOptions = {}): Mat4 {
  const [h0, h1] = o.heightRange ?? [1.2, 1.8];
  const [p0, p1] = o.pitchRangeDeg ?? [0, 30];
  const eye = [0, 0, room.min[2] + h0 + (h1 - h0) * rand()];
  for (let d = 0; d < 2; d++) {
    const span = room.max[d] - room.min[d];
    const margin = Math.min(o.wallMargin ?? 0.5, span / 4);
    eye[d] = room.min[d] + margin + (span - 2 * margin) * rand();
  }
  // re-draw the yaw a few times so the camera looks into the room rather than at a nearby wall
  const want = o.minLookDistance ?? 1.5;
  let yaw = 0;
  let best = -1;
  for (let t = 0; t < 8 && best < want; t++) {
    const y = 2 * Math.PI * rand();
    const d = distanceToBounds(eye, Math.cos(y), Math.sin(y), room);
    if (d > best) {
      best = d;
      yaw = y;
    }
  }
  const pitch = ((p0 + (p1 - p0) * rand()) * Math.PI) / 180;
  const dir = [Math.cos(pitch) * Math.cos(yaw), Math.cos(pitch) * Math.sin(yaw), -Math.sin(pitch)];
  return lookAt(eye, [eye[0] + dir[0], eye[1] + dir[1], eye[2] + dir[2]]);
}

/** Gathers rows `idx` of the cloud, keeping the first point of every `voxel` (if > 0). */
export function gatherView(cloud: PointCloud, idx: Int32Array, voxel: number, id: string, pose: Mat4): View {
  let pos = new Float32Array(idx.length * 3);
  for (let k = 0; k < idx.length; k++) {
    const s = idx[k] * 3;
    pos[k * 3] = cloud.positions[s];
    pos[k * 3 + 1] = cloud.positions[s + 1];
    pos[k * 3 + 2] = cloud.positions[s + 2];
  }
  let keep = idx;
  if (voxel > 0 && idx.length > 0) {
    const { pointIndex } = voxelize(pos, voxel);
    keep = new Int32Array(pointIndex.length);
    const sub = new Float32Array(pointIndex.length * 3);
    for (let k = 0; k < pointIndex.length; k++) {
      keep[k] = idx[pointIndex[k]];
      sub.set(pos.subarray(pointIndex[k] * 3, pointIndex[k] * 3 + 3), k * 3);
    }
    pos = sub;
  }
  const view: View = { id, positions: pos, pose };
  if (cloud.colors) {
    const c = new Uint8Array(keep.length * 3);
    for (let k = 0; k < keep.length; k++) c.set(cloud.colors.subarray(keep[k] * 3, keep[k] * 3 + 3), k * 3);
    view.colors = c;
  }
  return view;
}

/**
 * Cuts `count` partial views out of a full scan with random virtual cameras; ids v00, v01, … in
 * draw order. Returns fewer views if too many draws see fewer than `minPoints` points.
 */
export function scanViews(cloud: PointCloud, room: Room, rand: Rand, o: ScanViewOptions): View[] {
  const k = virtualIntrinsics(o);
  const buffer = new Float32Array(k.width * k.height);
  const views: View[] = [];
  const attempts = o.count * (o.attemptsPerView ?? 20);
  const splatRadii = o.splatRadius === 'adaptive' ? adaptiveSplatRadii(cloud.positions) : undefined;
  for (let t = 0; t < attempts && views.length < o.count; t++) {
    const pose = sampleCameraPose(room, rand, o);
    const idx = visiblePoints(cloud.positions, k, invertRigid(pose), {
      ...(splatRadii ? { splatRadii } : { splatRadius: (o.splatRadius as number | undefined) ?? 0.025 }),
      tolerance: o.tolerance ?? 0.03,
      relTolerance: o.relTolerance ?? 0.01,
      near: o.near ?? 0.3,
      far: o.far ?? 5,
      buffer,
    });
    const view = gatherView(cloud, idx, o.storeVoxel, `v${String(views.length).padStart(2, '0')}`, pose);
    if (view.positions.length / 3 >= (o.minPoints ?? 1000)) views.push(view);
  }
  return views;
}
