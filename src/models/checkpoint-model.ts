/**
 * What a checkpoint's meta says about its network, read without file access so Node
 * (load-model) and the browser (the viewer's segmentation worker) rebuild the same network:
 * the architecture, voxel size, input features, classes and ignore label, validated once here.
 */
import type * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { parseOrThrow } from '../core/zod-errors.js';
import { loadWeights } from './build.js';
import { buildSegNetwork, mergeSegLora, segArchitectureSchema, type SegArchitecture } from './seg-model.js';
import type { Res16UNet } from './res16unet.js';
import { FEATURE_DIMS, featureModeSchema, featureNeeds, type FeatureMode } from './input-features.js';

/** A class of a trained model (id as predicted, display name, optional colour). */
export interface ModelClass {
  id: number;
  name: string;
  color?: number[];
}

/** True when `classes` are exactly `names`, in that order (two networks predict the same classes). */
export function classesNamed(classes: readonly { name: string }[], names: readonly string[]): boolean {
  return classes.length === names.length && classes.every((c, i) => c.name === names[i]);
}

/**
 * The `architecture` a training run records for a network without a detection head (pre-training
 * and segmentation): the network's constructor arguments, the task, the input and the ignore
 * label. Other keys are dropped.
 */
export const netArchitectureSchema = z.object({
  ...segArchitectureSchema.shape,
  /** 'segmentation', 'pretrain', or absent (an older or foreign checkpoint). */
  task: z.string().default('unknown'),
  voxelSize: z.number().positive(),
  features: featureModeSchema,
  ignoreLabel: z.number().int().default(-1),
});
export type NetArchitecture = z.input<typeof netArchitectureSchema>;

/** The inference-relevant description of a trained network. */
export interface ModelSpec {
  /** 'segmentation', 'pretrain', or 'unknown'. */
  task: string;
  voxelSize: number;
  features: FeatureMode;
  classes: ModelClass[];
  ignoreLabel: number;
  /** The network's constructor arguments (prototype head and LoRA included). */
  architecture: SegArchitecture;
}

/** The task a checkpoint's architecture names ('unknown' when it names none). */
export function checkpointTask(meta: { architecture?: unknown }): string {
  const task = (meta.architecture as { task?: unknown } | undefined)?.task;
  return typeof task === 'string' ? task : 'unknown';
}

/** Reads the spec from a checkpoint's `architecture` and `classes`; `source` names the file in errors. */
export function modelSpec(
  meta: { architecture?: unknown; classes?: ModelClass[] },
  source: string,
): ModelSpec {
  const a = (meta.architecture ?? {}) as Record<string, unknown>;
  if (typeof a.voxelSize !== 'number' || typeof a.features !== 'string' || !(a.features in FEATURE_DIMS)) {
    throw new Error(
      `${source}: architecture lacks voxelSize/features (not a pointcontrast training checkpoint)`,
    );
  }
  if (checkpointTask(meta) === 'detection')
    throw new Error(`${source}: a detection checkpoint (architecture.task), not a segmentation network`);
  const { task, voxelSize, features, ignoreLabel, ...architecture } = parseOrThrow(
    netArchitectureSchema,
    a,
    'architecture',
    source,
  );
  return { task, voxelSize, features, classes: meta.classes ?? [], ignoreLabel, architecture };
}

/**
 * Builds the network of `spec` (with its prototype head or LoRA adapters, if any) and loads
 * `weights` strictly (every parameter, same shapes); LoRA is merged into the conv weights.
 */
export function buildFromSpec(spec: ModelSpec, weights: Map<string, tf.Tensor>, source: string): Res16UNet {
  const model = buildSegNetwork(spec.architecture);
  try {
    loadWeights(model.net.params, weights, 'strict', source);
    mergeSegLora(model);
  } catch (e) {
    model.net.params.dispose();
    throw e;
  }
  return model.net;
}

/**
 * Why a cloud cannot be fed to a model with these input features, or null when it can; `network`
 * names the model in the message (another network reading the same scan says which).
 */
export function missingInputs(
  features: FeatureMode,
  cloud: { colors?: unknown; normals?: unknown },
  file: string,
  network = 'the model',
): string | null {
  const needs = featureNeeds(features);
  if (needs.colors && !cloud.colors) {
    return `${file}: ${network} takes '${features}' input features but the file has no colour (red/green/blue) properties`;
  }
  if (needs.normals && !cloud.normals) {
    return `${file}: ${network} takes colour + normals but the file has no nx/ny/nz properties`;
  }
  return null;
}
