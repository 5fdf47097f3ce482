/**
 * Per-voxel input features from each voxel's first point, channel by channel as the layout names
 * them (models/input-features.ts): constant 1, RGB/255 − 0.5, normals, height above the floor;
 * and PointContrast's feature jitter.
 */
import type { PointCloud } from '../../geometry/point-cloud.js';
import { pointHeights } from '../../geometry/floor-level.js';
import type { Rng } from '../../core/rng.js';
import { FEATURE_CHANNELS, featureNeeds, type FeatureChannel } from '../../models/input-features.js';
import type { FeatureMode } from './config.js';

/**
 * Writes the features of voxels (first points `pointIndex`) into rows row0… of `out` (N×C).
 * `heights`, per point of `cloud`, gives the height channel (the loader measures it on the cloud
 * before augmentation); without it the height is measured on `cloud` itself.
 */
export function writeFeatures(
  cloud: PointCloud,
  pointIndex: Int32Array,
  mode: FeatureMode,
  out: Float32Array,
  row0: number,
  name: string,
  heights?: Float32Array,
): void {
  const channels: readonly FeatureChannel[] = FEATURE_CHANNELS[mode];
  const c = channels.length;
  const m = pointIndex.length;
  const needs = featureNeeds(mode);
  const colors = cloud.colors;
  const normals = cloud.normals;
  if (needs.colors && !colors)
    throw new Error(`${name}: features '${mode}' need colours, but the cloud has none`);
  if (needs.normals && !normals)
    throw new Error(`${name}: features '${mode}' need normals, but the cloud has none`);
  const height = needs.height ? (heights ?? pointHeights(cloud.positions)) : undefined;
  for (let k = 0; k < c; k++) {
    const ch = channels[k];
    if (ch === 'one') {
      for (let v = 0; v < m; v++) out[(row0 + v) * c + k] = 1;
      continue;
    }
    if (ch === 'height') {
      for (let v = 0; v < m; v++) out[(row0 + v) * c + k] = height![pointIndex[v]];
      continue;
    }
    const colour = ch === 'r' || ch === 'g' || ch === 'b';
    const src = colour ? colors! : normals!;
    const axis = CHANNEL_AXIS[ch];
    // colour: value/255 − 0.5 (the division kept as it was, so inputs stay bit for bit); normals as read
    const div = colour ? 255 : 1;
    const shift = colour ? -0.5 : 0;
    for (let v = 0; v < m; v++) out[(row0 + v) * c + k] = src[pointIndex[v] * 3 + axis] / div + shift;
  }
}

const CHANNEL_AXIS: Record<Exclude<FeatureChannel, 'one' | 'height'>, number> = {
  r: 0,
  g: 1,
  b: 2,
  nx: 0,
  ny: 1,
  nz: 2,
};

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
