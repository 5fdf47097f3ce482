/**
 * Fixed, un-augmented network inputs from prepared scenes, for the passes methods make outside
 * the training batches: prototype imprinting and neuron-group activations on the training
 * selection (only its kept labelled points count), and the linearisation measure on held-out
 * scenes. Voxelised as inference does (first point's features, collision rule for labels).
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { voxelize } from '../../../geometry/voxelize.js';
import { dropLabels } from '../../../data/label-map.js';
import { writeFeatures } from '../../../data/loader/features.js';
import { FEATURE_DIMS, type FeatureMode } from '../../../data/loader/config.js';
import type { PreparedDataset } from '../../../data/prepared/dataset.js';
import type { Selection } from '../../../data/selection.js';
import { SparseTensor } from '../../../sparse/sparse-tensor.js';

/** One scene's voxels: batch coords (N×4), features, voxel labels (−1 = none). */
export interface SceneVoxels {
  name: string;
  coords: Int32Array;
  feats: Float32Array;
  featDim: number;
  labels: Int32Array;
}

/** Voxelises a scene; labels outside `keep` (point indices) and of the classes `drop` become −1. */
export function sceneVoxels(
  ds: PreparedDataset,
  name: string,
  voxelSize: number,
  features: FeatureMode,
  keep?: readonly number[],
  drop: readonly number[] = [],
): SceneVoxels {
  const cloud = ds.readScene(name).cloud;
  const n = cloud.positions.length / 3;
  let labels = cloud.labels ?? new Int32Array(n).fill(-1);
  const ignore = ds.manifest.ignoreLabel;
  if (keep) {
    const kept = new Int32Array(n).fill(ignore);
    for (const p of keep) kept[p] = labels[p];
    labels = kept;
  }
  labels = dropLabels(labels, drop, ignore);
  const v = voxelize(cloud.positions, voxelSize, { labels, ignoreLabel: ignore });
  const m = v.pointIndex.length;
  const featDim = FEATURE_DIMS[features];
  const feats = new Float32Array(m * featDim);
  writeFeatures(cloud, v.pointIndex, features, feats, 0, 'scene');
  const coords = new Int32Array(m * 4);
  for (let i = 0; i < m; i++) for (let j = 0; j < 3; j++) coords[i * 4 + 1 + j] = v.coords[i * 3 + j];
  const vl = Int32Array.from(v.labels!, (l) => (l === ignore ? -1 : l));
  return { name, coords, feats, featDim, labels: vl };
}

/** The kept labelled points per scene of a selection (undefined = every labelled point). */
export function keptPoints(sel: Selection): Record<string, number[]> | undefined {
  if (!sel.keepPoints) return undefined;
  return (JSON.parse(readFileSync(sel.keepPoints, 'utf8')) as { scenes: Record<string, number[]> }).scenes;
}

/** Scenes stacked into one batch (batch index per scene), as the loader does. */
export function stackScenes(scenes: readonly SceneVoxels[]): SceneVoxels {
  const rows = scenes.reduce((a, s) => a + s.coords.length / 4, 0);
  const featDim = scenes[0].featDim;
  const coords = new Int32Array(rows * 4);
  const feats = new Float32Array(rows * featDim);
  const labels = new Int32Array(rows);
  let r = 0;
  scenes.forEach((s, b) => {
    const n = s.coords.length / 4;
    for (let i = 0; i < n; i++) {
      coords[(r + i) * 4] = b;
      for (let j = 1; j < 4; j++) coords[(r + i) * 4 + j] = s.coords[i * 4 + j];
    }
    feats.set(s.feats, r * featDim);
    labels.set(s.labels, r);
    r += n;
  });
  return { name: scenes.map((s) => s.name).join('+'), coords, feats, featDim, labels };
}

/** Batch size (number of distinct batch indices) of stacked coords. */
export function batchCount(coords: Int32Array): number {
  let b = 0;
  for (let i = 0; i < coords.length; i += 4) b = Math.max(b, coords[i] + 1);
  return b;
}

/** The sparse input of one or stacked scenes (the caller disposes its features, e.g. in a tidy). */
export function sparseBatch(s: SceneVoxels): SparseTensor {
  const n = s.coords.length / 4;
  return SparseTensor.fromCoords(s.coords, tf.tensor2d(s.feats, [n, s.featDim]), batchCount(s.coords));
}
