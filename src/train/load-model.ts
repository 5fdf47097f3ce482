/**
 * Rebuilds a trained network from a checkpoint (or run folder) for evaluation and prediction:
 * architecture, voxel size, input features and classes come from the checkpoint itself.
 */
import * as tf from '@tensorflow/tfjs';
import type { Res16UNet } from '../models/res16unet.js';
import type { FeatureMode } from '../data/loader/config.js';
import { buildFromSpec, checkpointTask, modelSpec } from '../models/checkpoint-model.js';
import { checkpointMetaFile, loadCheckpoint, type CheckpointMeta } from './checkpoint.js';

export interface LoadedModel {
  dir: string;
  net: Res16UNet;
  meta: CheckpointMeta;
  task: string;
  voxelSize: number;
  features: FeatureMode;
  classes: { id: number; name: string; color?: number[] }[];
  ignoreLabel: number;
}

/** Loads a checkpoint strictly (every parameter present with its shape). */
export function loadModel(path: string): LoadedModel {
  const ck = loadCheckpoint(path);
  let spec;
  try {
    if (checkpointTask(ck.meta) === 'detection') {
      throw new Error(
        `${ck.dir}: a detection checkpoint; give it as --det-checkpoint (predict) or use evaluate det`,
      );
    }
    spec = modelSpec(ck.meta, checkpointMetaFile(ck.dir));
  } catch (e) {
    tf.dispose([...ck.weights.values()]);
    throw e;
  }
  let net: Res16UNet;
  try {
    net = buildFromSpec(spec, ck.weights, ck.dir);
  } finally {
    tf.dispose([...ck.weights.values()]);
  }
  return {
    dir: ck.dir,
    net,
    meta: ck.meta,
    task: spec.task,
    voxelSize: spec.voxelSize,
    features: spec.features,
    classes: spec.classes,
    ignoreLabel: spec.ignoreLabel,
  };
}
