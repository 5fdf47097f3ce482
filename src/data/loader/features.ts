/**
 * Per-voxel input features from each voxel's first point: constant ones (PointContrast), RGB/255 − 0.5
 * (CSC and fine-tuning), RGB/255 − 0.5 then normals, or 1 then RGB/255 − 0.5; and PointContrast's
 * feature jitter.
 */
import type { PointCloud } from '../../geometry/point-cloud.js';
import type { Rng } from '../../core/rng.js';
import { FEATURE_DIMS, type FeatureMode } from './config.js';

/** Writes the features of voxels (first points `pointIndex`) into rows row0… of `out` (N×C). */
export function writeFeatures(
  cloud: PointCloud,
  pointIndex: Int32Array,
  mode: FeatureMode,
  out: Float32Array,
  row0: number,
  name: string,
): void {
  const c = FEATURE_DIMS[mode];
  const m = pointIndex.length;
  if (mode === 'ones') {
    out.fill(1, row0 * c, (row0 + m) * c);
    return;
  }
  const colors = cloud.colors;
  if (!colors) throw new Error(`${name}: features '${mode}' need colours, but the cloud has none`);
  if (mode === 'ones-rgb') {
    for (let v = 0; v < m; v++) {
      const p = pointIndex[v] * 3;
      const o = (row0 + v) * 4;
      out[o] = 1;
      out[o + 1] = colors[p] / 255 - 0.5;
      out[o + 2] = colors[p + 1] / 255 - 0.5;
      out[o + 3] = colors[p + 2] / 255 - 0.5;
    }
    return;
  }
  const normals = cloud.normals;
  if (mode === 'rgb-normals' && !normals) {
    throw new Error(`${name}: features 'rgb-normals' need normals, but the cloud has none`);
  }
  for (let v = 0; v < m; v++) {
    const p = pointIndex[v] * 3;
    const o = (row0 + v) * c;
    out[o] = colors[p] / 255 - 0.5;
    out[o + 1] = colors[p + 1] / 255 - 0.5;
    out[o + 2] = colors[p + 2] / 255 - 0.5;
    if (c === 6 && normals) {
      out[o + 3] = normals[p];
      out[o + 4] = normals[p + 1];
      out[o + 5] = normals[p + 2];
    }
  }
}

/** With probability p, adds N(0, sigma²) to every value of rows [from, to) of an N×C matrix. */
export function jitterFeatures(
  feats: Float32Array,
  featDim: number,
  from: number,
  to: number,
  sigma: number,
  p: number,
  rng: Rng,
): void {
  if (!(rng.next() < p)) return;
  for (let i = from * featDim; i < to * featDim; i++) feats[i] += sigma * rng.normal();
}
