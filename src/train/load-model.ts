/**
 * Rebuilds a trained network from a checkpoint (or run folder) for evaluation and prediction:
 * architecture, voxel size, input features and classes come from the checkpoint itself.
 */
import * as tf from '@tensorflow/tfjs';
import { loadWeights } from '../models/build.js';
import {
  buildSegNetwork,
  mergeSegLora,
  segArchitectureSchema,
  type SegArchitectureInput,
} from '../models/seg-model.js';
import type { Res16UNet } from '../models/res16unet.js';
import { FEATURE_DIMS, type FeatureMode } from '../data/loader/config.js';
import { loadCheckpoint, type CheckpointMeta } from './checkpoint.js';

const ARCH_KEYS = new Set(Object.keys(segArchitectureSchema.shape));

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
  const a = ck.meta.architecture as SegArchitectureInput & {
    task?: string;
    voxelSize?: number;
    features?: FeatureMode;
    ignoreLabel?: number;
  };
  if (typeof a.voxelSize !== 'number' || !a.features || !(a.features in FEATURE_DIMS)) {
    throw new Error(
      `${ck.dir}/model.json: architecture lacks voxelSize/features (not a pointcontrast training checkpoint)`,
    );
  }
  if (a.task === 'detection') {
    throw new Error(
      `${ck.dir}: a detection checkpoint; give it as --det-checkpoint (predict) or use evaluate det`,
    );
  }
  const { task, voxelSize, features, ignoreLabel, ...rest } = a as typeof a & Record<string, unknown>;
  const arch = { ...rest } as Record<string, unknown>;
  for (const k of Object.keys(arch)) if (!ARCH_KEYS.has(k)) delete arch[k];
  // the prototype head and LoRA adapters are part of the architecture; LoRA is merged for inference
  const model = buildSegNetwork(arch as SegArchitectureInput);
  const net = model.net;
  try {
    loadWeights(net.params, ck.weights, 'strict', ck.dir);
    mergeSegLora(model);
  } finally {
    tf.dispose([...ck.weights.values()]);
  }
  return {
    dir: ck.dir,
    net,
    meta: ck.meta,
    task: task ?? 'unknown',
    voxelSize: voxelSize as number,
    features: features as FeatureMode,
    classes: ck.meta.classes ?? [],
    ignoreLabel: ignoreLabel ?? -1,
  };
}
