/**
 * Feature matching with a pre-trained backbone (3DMatch protocol, src/eval/feature-match.ts):
 * voxelise both fragments at the model's voxel size, embed each with one forward pass, map the
 * source voxels into the reference frame with the ground-truth transform, and score.
 */
import * as tf from '@tensorflow/tfjs';
import type { PointCloud } from '../../geometry/point-cloud.js';
import { voxelize } from '../../geometry/voxelize.js';
import { identity4, invertRigid, multiply4, transformPoints, type Mat4 } from '../../geometry/rigid.js';
import { openPairDataset } from '../../data/pairs/reader.js';
import { affineAbout, axisRotation } from '../../core/affine.js';
import { SparseTensor } from '../../sparse/sparse-tensor.js';
import { FEATURE_DIMS } from '../../data/loader/config.js';
import { writeFeatures } from '../../data/loader/features.js';
import { featureMatch, FEATURE_MATCH_DEFAULTS, type FeatureMatchResult } from '../../eval/feature-match.js';
import type { LoadedModel } from '../../train/load-model.js';

/** Parses a 4×4 row-major matrix written as 4 lines of 4 numbers. */
export function parseTransform(text: string, file: string): Mat4 {
  const rows = text
    .split(/\r?\n/)
    .map((l, i) => ({ l: l.trim(), i }))
    .filter((r) => r.l !== '');
  if (rows.length !== 4) throw new Error(`${file}: expected 4 lines of a 4×4 matrix, got ${rows.length}`);
  const m = new Float64Array(16);
  rows.forEach(({ l, i }, r) => {
    const vals = l.split(/[\s,]+/).map(Number);
    if (vals.length !== 4 || vals.some((v) => !Number.isFinite(v))) {
      throw new Error(`${file}:${i + 1}: expected 4 numbers, got "${l.slice(0, 60)}"`);
    }
    m.set(vals, r * 4);
  });
  return m;
}

/** Voxel positions (first point per voxel) and their backbone features. */
export function embedCloud(
  model: LoadedModel,
  cloud: PointCloud,
  name: string,
): { positions: Float32Array; features: tf.Tensor2D } {
  const v = voxelize(cloud.positions, model.voxelSize);
  const m = v.pointIndex.length;
  const dim = FEATURE_DIMS[model.features];
  const feats = new Float32Array(m * dim);
  writeFeatures(cloud, v.pointIndex, model.features, feats, 0, name);
  const coords = new Int32Array(m * 4);
  const positions = new Float32Array(m * 3);
  for (let i = 0; i < m; i++) {
    coords.set(v.coords.subarray(i * 3, i * 3 + 3), i * 4 + 1);
    positions.set(cloud.positions.subarray(v.pointIndex[i] * 3, v.pointIndex[i] * 3 + 3), i * 3);
  }
  const features = tf.tidy(() => {
    const x = SparseTensor.fromCoords(coords, tf.tensor2d(feats, [m, dim]), 1);
    const f = model.net.forward(x, { training: false }).features;
    return model.net.options.normalize
      ? f
      : (tf.div(f, tf.add(tf.norm(f, 'euclidean', 1, true), 1e-8)) as tf.Tensor2D);
  });
  return { positions, features };
}

/** Feature-match metrics of one registered pair (`srcToRef` maps src into ref's frame). */
export function evaluateMatch(
  model: LoadedModel,
  src: PointCloud,
  ref: PointCloud,
  srcToRef: Mat4,
): FeatureMatchResult {
  const a = embedCloud(model, src, 'src');
  const b = embedCloud(model, ref, 'ref');
  try {
    return featureMatch(
      transformPoints(a.positions, srcToRef),
      b.positions,
      a.features,
      b.features,
      FEATURE_MATCH_DEFAULTS,
    );
  } finally {
    tf.dispose([a.features, b.features]);
  }
}

export interface PairsMatchResult {
  pairs: number;
  /** Mean over pairs of the per-pair figures. */
  hit_ratio: number;
  feature_match_recall: number;
  /** Correspondences per pair, on average. */
  correspondences: number;
}

/**
 * How held-out pair views are presented to the network:
 * - `camera`: each view in its own camera frame (as 3DMatch fragments are); the views differ by
 *   the full relative camera pose, pitch and roll included.
 * - `gravity`: both views in the scene's gravity-aligned frame, the source turned about the
 *   vertical through its centroid by a yaw that differs per pair (a golden-ratio sequence, so
 *   the set of angles is fixed and covers the circle): the setting of gravity-aligned scans and
 *   of yaw-only pre-training augmentation.
 */
export type PairFrame = 'camera' | 'gravity';

/** Yaw (about +z through `c`) as a rigid 4×4 matrix (the augmentation's 3×4 affine, completed). */
function yawAbout(theta: number, c: ArrayLike<number>): Mat4 {
  const m = new Float64Array(16);
  m.set(affineAbout(axisRotation(2, theta), c));
  m[15] = 1;
  return m;
}

function centroid(p: Float32Array): [number, number, number] {
  const n = p.length / 3;
  const c: [number, number, number] = [0, 0, 0];
  for (let i = 0; i < n; i++) for (let d = 0; d < 3; d++) c[d] += p[i * 3 + d];
  return [c[0] / Math.max(n, 1), c[1] / Math.max(n, 1), c[2] / Math.max(n, 1)];
}

/** The yaw of pair `i` in the `gravity` setting (radians). */
export function pairYaw(i: number): number {
  const g = (Math.sqrt(5) - 1) / 2;
  return 2 * Math.PI * (((i + 1) * g) % 1);
}

/** The two views of pair `i` as presented in `frame`, and the transform mapping src into ref. */
export function presentPair(
  p: PairViews,
  i: number,
  frame: PairFrame,
): { src: PointCloud; ref: PointCloud; srcToRef: Mat4 } {
  let srcPose: Mat4;
  let refPose: Mat4;
  if (frame === 'camera') {
    srcPose = invertRigid(p.view0.pose);
    refPose = invertRigid(p.view1.pose);
  } else {
    srcPose = yawAbout(pairYaw(i), centroid(p.view0.positions));
    refPose = identity4();
  }
  return {
    src: { positions: transformPoints(p.view0.positions, srcPose), colors: p.view0.colors },
    ref: { positions: transformPoints(p.view1.positions, refPose), colors: p.view1.colors },
    srcToRef: multiply4(refPose, invertRigid(srcPose)),
  };
}

/** What `presentPair` reads of a stored pair: world-frame positions and camera poses. */
export interface PairViews {
  view0: { positions: Float32Array; colors?: Uint8Array; pose: Mat4 };
  view1: { positions: Float32Array; colors?: Uint8Array; pose: Mat4 };
}

/**
 * Feature matching over held-out pairs of a pair folder, the views put in `frame` (above); the
 * ground truth maps the presented source into the presented reference.
 */
export function evaluatePairFolder(
  model: LoadedModel,
  dir: string,
  maxPairs = Infinity,
  frame: PairFrame = 'camera',
): PairsMatchResult {
  const ds = openPairDataset(dir);
  const n = Math.min(ds.size, maxPairs);
  let hit = 0;
  let fmr = 0;
  let corr = 0;
  for (let i = 0; i < n; i++) {
    const { src, ref, srcToRef } = presentPair(ds.read(i), i, frame);
    const r = evaluateMatch(model, src, ref, srcToRef);
    hit += r.hit_ratio;
    fmr += r.feature_match_recall;
    corr += r.pairs;
  }
  return {
    pairs: n,
    hit_ratio: hit / Math.max(n, 1),
    feature_match_recall: fmr / Math.max(n, 1),
    correspondences: corr / Math.max(n, 1),
  };
}
