/**
 * Segmentation inference on whole scenes: voxelise at the model's voxel size, one forward in
 * inference mode, softmax, and projection of voxel predictions back onto every original point;
 * optional test-time augmentation (z-rotations × scales, probabilities averaged per point).
 * Also the evaluation over a prepared split (confusion on voxels and on points).
 */
import * as tf from '@tensorflow/tfjs';
import { tidyRead } from '../../sparse/read.js';
import type { PointCloud } from '../../geometry/point-cloud.js';
import { voxelize } from '../../geometry/voxelize.js';
import { SparseTensor } from '../../sparse/sparse-tensor.js';
import type { Res16UNet } from '../../models/res16unet.js';
import { FEATURE_DIMS, type FeatureMode } from '../../data/loader/config.js';
import { writeFeatures } from '../../data/loader/features.js';
import { ConfusionMatrix } from '../../eval/confusion.js';
import type { PreparedDataset } from '../../data/prepared/dataset.js';

export interface SegInferenceOptions {
  voxelSize: number;
  features: FeatureMode;
  numClasses: number;
  /** Test-time augmentation: rotations about z (evenly spaced) × scales. */
  tta?: { rotations: number; scales: number[] };
}

export interface ScenePrediction {
  /** Per original point. */
  pred: Int32Array;
  confidence: Float32Array;
  /** Per voxel of the un-augmented pass (labels by the collision rule when the cloud has labels). */
  voxelPred: Int32Array;
  voxelLabels?: Int32Array;
}

/** Per-point class probabilities of one pass over `positions` (N×K, row-major). */
function passProbs(net: Res16UNet, cloud: PointCloud, positions: Float32Array, o: SegInferenceOptions) {
  const v = voxelize(positions, o.voxelSize, { labels: cloud.labels });
  const m = v.pointIndex.length;
  const dim = FEATURE_DIMS[o.features];
  const feats = new Float32Array(m * dim);
  writeFeatures(cloud, v.pointIndex, o.features, feats, 0, 'scene');
  const coords = new Int32Array(m * 4);
  for (let i = 0; i < m; i++) {
    coords[i * 4 + 1] = v.coords[i * 3];
    coords[i * 4 + 2] = v.coords[i * 3 + 1];
    coords[i * 4 + 3] = v.coords[i * 3 + 2];
  }
  const probs = tidyRead(() => {
    const x = SparseTensor.fromCoords(coords, tf.tensor2d(feats, [m, dim]), 1);
    return tf.softmax(net.forward(x, { training: false }).features);
  }) as Float32Array;
  return { probs, v };
}

/** Predicts every point of a cloud (labels, if present, give the voxel labels for voxel metrics). */
export function predictScene(net: Res16UNet, cloud: PointCloud, o: SegInferenceOptions): ScenePrediction {
  const n = cloud.positions.length / 3;
  const k = o.numClasses;
  const acc = new Float32Array(n * k);
  const rotations = o.tta?.rotations ?? 1;
  const scales = o.tta?.scales ?? [1];
  let cx = 0;
  let cy = 0;
  for (let i = 0; i < n; i++) {
    cx += cloud.positions[i * 3];
    cy += cloud.positions[i * 3 + 1];
  }
  cx /= Math.max(n, 1);
  cy /= Math.max(n, 1);
  let base: ReturnType<typeof passProbs> | undefined;
  for (let r = 0; r < rotations; r++) {
    for (const s of scales) {
      let pos = cloud.positions;
      if (r !== 0 || s !== 1) {
        const a = (2 * Math.PI * r) / rotations;
        const c = Math.cos(a) * s;
        const sn = Math.sin(a) * s;
        pos = new Float32Array(n * 3);
        for (let i = 0; i < n; i++) {
          const x = cloud.positions[i * 3] - cx;
          const y = cloud.positions[i * 3 + 1] - cy;
          pos[i * 3] = c * x - sn * y + cx;
          pos[i * 3 + 1] = sn * x + c * y + cy;
          pos[i * 3 + 2] = cloud.positions[i * 3 + 2] * s;
        }
      }
      const pass = passProbs(net, cloud, pos, o);
      if (!base) base = pass;
      const inv = pass.v.inverse;
      for (let i = 0; i < n; i++) {
        const src = inv[i] * k;
        for (let c = 0; c < k; c++) acc[i * k + c] += pass.probs[src + c];
      }
    }
  }
  const passes = rotations * scales.length;
  const pred = new Int32Array(n);
  const confidence = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (acc[i * k + c] > acc[i * k + best]) best = c;
    pred[i] = best;
    confidence[i] = acc[i * k + best] / passes;
  }
  const m = base!.v.pointIndex.length;
  const voxelPred = new Int32Array(m);
  for (let v = 0; v < m; v++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (base!.probs[v * k + c] > base!.probs[v * k + best]) best = c;
    voxelPred[v] = best;
  }
  return { pred, confidence, voxelPred, voxelLabels: base!.v.labels };
}

export interface SplitEvaluation {
  points: ConfusionMatrix;
  voxels: ConfusionMatrix;
  scenes: number;
}

/** Accumulates point- and voxel-level confusion matrices over scenes of a prepared split. */
export function evaluateSplit(
  net: Res16UNet,
  ds: PreparedDataset,
  names: string[],
  o: SegInferenceOptions,
  onScene?: (done: number, total: number, name: string, p: ScenePrediction) => void,
): SplitEvaluation {
  const points = new ConfusionMatrix(o.numClasses);
  const voxels = new ConfusionMatrix(o.numClasses);
  names.forEach((name, i) => {
    const scene = ds.readScene(name);
    if (!scene.cloud.labels) throw new Error(`${ds.dir}: scene ${name} has no labels to evaluate against`);
    const p = predictScene(net, scene.cloud, o);
    points.add(scene.cloud.labels, p.pred);
    voxels.add(p.voxelLabels!, p.voxelPred);
    onScene?.(i + 1, names.length, name, p);
  });
  return { points, voxels, scenes: names.length };
}
