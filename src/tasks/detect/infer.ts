/**
 * Detection inference and evaluation on whole scenes: rebuild a detector from a checkpoint
 * (strict weights), voxelise a cloud at the model's voxel size, detect boxes in its original
 * frame, and score a prepared split with VOC mAP@0.25 / @0.5 against the scenes' boxes.
 */
import * as tf from '@tensorflow/tfjs';
import type { PointCloud } from '../../geometry/point-cloud.js';
import { voxelize } from '../../geometry/voxelize.js';
import { loadWeights, type ArchitectureInput } from '../../models/build.js';
import { buildDetector, type Detector } from '../../models/heads/detector.js';
import { detHeadSchema, type DetHeadConfigInput } from '../../models/heads/detection-head.js';
import { detectBoxes, EVAL_DECODE, type DecodeOptions } from '../../models/heads/decode.js';
import { evaluateDetections, type DetectionMetrics, type SceneDetections } from '../../eval/detection-ap.js';
import type { DetBox } from '../../eval/detection-boxes.js';
import { FEATURE_DIMS, type FeatureMode } from '../../data/loader/config.js';
import { writeFeatures } from '../../data/loader/features.js';
import type { PreparedDataset } from '../../data/prepared/dataset.js';
import { loadCheckpoint, type CheckpointMeta } from '../../train/checkpoint.js';

/** What a detection checkpoint's `architecture` holds besides the backbone fields. */
export interface DetArchitecture extends ArchitectureInput {
  task: 'detection';
  head: DetHeadConfigInput;
  /** Train ids of the detection classes, in head order. */
  classIds: number[];
  voxelSize: number;
  features: FeatureMode;
}

/** A detector rebuilt from a checkpoint. */
export interface LoadedDetector {
  dir: string;
  det: Detector;
  meta: CheckpointMeta;
  features: FeatureMode;
  /** The label map's classes (train ids, names, colours) stored with the checkpoint. */
  classes: { id: number; name: string; color?: number[] }[];
}

/** Loads a detection checkpoint (or run folder: best/, else last/) strictly. */
export function loadDetector(path: string): LoadedDetector {
  const ck = loadCheckpoint(path);
  try {
    const a = ck.meta.architecture as Partial<DetArchitecture>;
    if (a.task !== 'detection') {
      throw new Error(
        `${ck.dir}/model.json: a ${String(a.task ?? 'unknown')} checkpoint, not a detection one (architecture.task)`,
      );
    }
    if (
      !Array.isArray(a.classIds) ||
      typeof a.voxelSize !== 'number' ||
      !a.features ||
      !(a.features in FEATURE_DIMS)
    )
      throw new Error(`${ck.dir}/model.json: architecture lacks classIds/voxelSize/features`);
    const { backbone, inChannels, outChannels, stemKernel, bnMomentum, blockBnMomentum } =
      a as DetArchitecture;
    const det = buildDetector(
      { backbone, inChannels, outChannels, stemKernel, bnMomentum, blockBnMomentum, normalize: false },
      detHeadSchema.parse(a.head ?? {}),
      a.classIds,
      a.voxelSize,
    );
    loadWeights(det.params, ck.weights, 'strict', ck.dir);
    return { dir: ck.dir, det, meta: ck.meta, features: a.features, classes: ck.meta.classes ?? [] };
  } finally {
    tf.dispose([...ck.weights.values()]);
  }
}

/** Detects the boxes of one cloud (no augmentation), in the cloud's frame. */
export function detectScene(
  det: Detector,
  cloud: PointCloud,
  features: FeatureMode,
  decode: DecodeOptions = EVAL_DECODE,
  name = 'scene',
): DetBox[] {
  const v = voxelize(cloud.positions, det.voxelSize);
  const m = v.pointIndex.length;
  const dim = FEATURE_DIMS[features];
  const feats = new Float32Array(m * dim);
  writeFeatures(cloud, v.pointIndex, features, feats, 0, name);
  const coords = new Int32Array(m * 4);
  for (let i = 0; i < m; i++) coords.set(v.coords.subarray(i * 3, i * 3 + 3), i * 4 + 1);
  const affine = Float64Array.of(1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0);
  return detectBoxes(det, { coords, feats, featDim: dim, offsets: Int32Array.of(0, m), affine }, decode)[0];
}

/** Per-scene predictions and the metrics over them. */
export interface DetEvaluation {
  metrics: DetectionMetrics;
  scenes: { name: string; gt: number; boxes: DetBox[] }[];
}

/**
 * Detects every named scene of a prepared dataset and scores the predictions against the
 * scenes' boxes (all of them: limited-box training never limits evaluation).
 */
export function evaluateDetSplit(
  det: Detector,
  ds: PreparedDataset,
  names: readonly string[],
  features: FeatureMode,
  decode: DecodeOptions = EVAL_DECODE,
  onProgress?: (done: number, total: number) => void,
): DetEvaluation {
  const pairs: SceneDetections[] = [];
  const scenes: DetEvaluation['scenes'] = [];
  names.forEach((name, i) => {
    const s = ds.readScene(name);
    const boxes = detectScene(det, s.cloud, features, decode, name);
    pairs.push({ gt: s.boxes, pred: boxes });
    scenes.push({ name, gt: s.boxes.length, boxes });
    onProgress?.(i + 1, names.length);
  });
  const idToName = new Map(ds.manifest.classes.map((c) => [c.id, c.name]));
  const classes = det.classIds.map((id) => ({ id, name: idToName.get(id) ?? `class ${id}` }));
  return { metrics: evaluateDetections(pairs, classes), scenes };
}
