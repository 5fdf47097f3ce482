/**
 * Detection inference and evaluation on whole scenes: rebuild a detector from a checkpoint
 * (strict weights), voxelise a cloud at the model's voxel size, detect boxes in its original
 * frame, and score a prepared split with VOC mAP@0.25 / @0.5 against the scenes' boxes.
 */
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { parseOrThrow } from '../../core/zod-errors.js';
import type { PointCloud } from '../../geometry/point-cloud.js';
import { voxelize } from '../../geometry/voxelize.js';
import { architectureSchema, loadWeights } from '../../models/build.js';
import { buildDetector, type Detector } from '../../models/heads/detector.js';
import { detHeadSchema } from '../../models/heads/detection-head.js';
import { detectBoxes, EVAL_DECODE, type DecodeOptions } from '../../models/heads/decode.js';
import { checkpointTask } from '../../models/checkpoint-model.js';
import { featureModeSchema } from '../../models/input-features.js';
import { evaluateDetections, type DetectionMetrics, type SceneDetections } from '../../eval/detection-ap.js';
import type { DetBox } from '../../eval/detection-boxes.js';
import { FEATURE_DIMS, type FeatureMode } from '../../data/loader/config.js';
import { writeFeatures } from '../../data/loader/features.js';
import type { PreparedDataset } from '../../data/prepared/dataset.js';
import { checkpointMetaFile, loadCheckpoint, type CheckpointMeta } from '../../train/checkpoint.js';

/** The `architecture` a detection run records: the backbone, the head, the classes and the input. */
export const detArchitectureSchema = z.object({
  ...architectureSchema.shape,
  task: z.literal('detection'),
  head: detHeadSchema.prefault({}),
  /** Train ids of the detection classes, in head order. */
  classIds: z.array(z.number().int()),
  voxelSize: z.number().positive(),
  features: featureModeSchema,
});
export type DetArchitecture = z.output<typeof detArchitectureSchema>;

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
    const file = checkpointMetaFile(ck.dir);
    const task = checkpointTask(ck.meta);
    if (task !== 'detection')
      throw new Error(`${file}: a ${task} checkpoint, not a detection one (architecture.task)`);
    const {
      task: _task,
      head,
      classIds,
      voxelSize,
      features,
      ...backbone
    } = parseOrThrow(detArchitectureSchema, ck.meta.architecture, 'architecture', file);
    const det = buildDetector({ ...backbone, normalize: false }, head, classIds, voxelSize);
    loadWeights(det.params, ck.weights, 'strict', ck.dir);
    return { dir: ck.dir, det, meta: ck.meta, features, classes: ck.meta.classes ?? [] };
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
