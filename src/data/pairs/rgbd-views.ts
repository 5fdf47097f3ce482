/**
 * Partial views from RGB-D frames in ScanNet's export layout: every frame whose id is a multiple
 * of `frameSkip` is back-projected (z = d/1000, world = pose·[X Y Z 1]) and downsampled for storage.
 */
import { backProjectDepth } from '../../geometry/camera.js';
import type { PointCloud } from '../../geometry/point-cloud.js';
import type { RgbdScene } from '../rgbd/scannet-layout.js';
import { gatherView, type View } from './views.js';

/** Frame selection and back-projection settings. */
export interface RgbdViewOptions {
  /** Keep frames whose id is a multiple of this (ScanNet exports use 25; names are original frame indices). */
  frameSkip: number;
  /** Storage downsampling voxel in metres (0 keeps every pixel). */
  storeVoxel: number;
  /** Valid depth range in metres (default: every depth > 0). */
  minDepth?: number;
  maxDepth?: number;
  /** Read color/<i>.png when present (default true). */
  color?: boolean;
  /** Frames with fewer stored points are dropped (default 1000). */
  minPoints?: number;
}

/** The selected frames as views (ids = frame ids) and the frames dropped, with why. */
export function rgbdViews(
  scene: RgbdScene,
  o: RgbdViewOptions,
): { views: View[]; dropped: { id: string; reason: string }[] } {
  if (!(Number.isInteger(o.frameSkip) && o.frameSkip >= 1))
    throw new RangeError(`frame skip must be a positive integer, got ${o.frameSkip}`);
  const views: View[] = [];
  const dropped: { id: string; reason: string }[] = [];
  const width = String(scene.frameIds[scene.frameIds.length - 1]).length;
  for (const fid of scene.frameIds) {
    if (fid % o.frameSkip !== 0) continue;
    const id = String(fid).padStart(width, '0');
    const f = scene.readFrame(fid, { color: o.color ?? true });
    if (!f) {
      dropped.push({ id, reason: 'pose is not finite (tracking lost)' });
      continue;
    }
    const bp = backProjectDepth(f.depth, scene.intrinsics, f.pose, {
      minDepth: o.minDepth ?? 0,
      maxDepth: o.maxDepth ?? Infinity,
    });
    const cloud: PointCloud = { positions: bp.positions };
    if (f.color) {
      const c = new Uint8Array(bp.pixels.length * 3);
      for (let k = 0; k < bp.pixels.length; k++)
        c.set(f.color.subarray(bp.pixels[k] * 3, bp.pixels[k] * 3 + 3), k * 3);
      cloud.colors = c;
    }
    const all = new Int32Array(bp.pixels.length);
    for (let k = 0; k < all.length; k++) all[k] = k;
    const view = gatherView(cloud, all, o.storeVoxel, id, f.pose);
    if (view.positions.length / 3 < (o.minPoints ?? 1000)) {
      dropped.push({
        id,
        reason: `${view.positions.length / 3} points after downsampling (< ${o.minPoints ?? 1000})`,
      });
      continue;
    }
    views.push(view);
  }
  return { views, dropped };
}
