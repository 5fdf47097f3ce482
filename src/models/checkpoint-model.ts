/**
 * What a checkpoint's model.json says about its network, read without file access so Node
 * (load-model) and the browser (the viewer's segmentation worker) rebuild the same network:
 * the architecture, voxel size, input features, classes and ignore label.
 */
import type * as tf from '@tensorflow/tfjs';
import { loadWeights } from './build.js';
import {
  buildSegNetwork,
  mergeSegLora,
  segArchitectureSchema,
  type SegArchitectureInput,
} from './seg-model.js';
import type { Res16UNet } from './res16unet.js';
import { FEATURE_DIMS, type FeatureMode } from './input-features.js';

const ARCH_KEYS = new Set(Object.keys(segArchitectureSchema.shape));

/** A class of a trained model (id as predicted, display name, optional colour). */
export interface ModelClass {
  id: number;
  name: string;
  color?: number[];
}

/** The inference-relevant description of a trained network. */
export interface ModelSpec {
  /** 'segmentation', 'detection', or 'unknown' (e.g. a pre-training backbone). */
  task: string;
  voxelSize: number;
  features: FeatureMode;
  classes: ModelClass[];
  ignoreLabel: number;
  /** The network's constructor arguments (segArchitectureSchema keys: prototype head and LoRA included). */
  architecture: SegArchitectureInput;
}

/** Reads the spec from a checkpoint's model.json `architecture` and `classes`; `source` names the file in errors. */
export function modelSpec(
  meta: { architecture?: unknown; classes?: ModelClass[] },
  source: string,
): ModelSpec {
  const a = (meta.architecture ?? {}) as Record<string, unknown>;
  const features = a.features as FeatureMode | undefined;
  if (typeof a.voxelSize !== 'number' || !features || !(features in FEATURE_DIMS)) {
    throw new Error(
      `${source}: architecture lacks voxelSize/features (not a pointcontrast training checkpoint)`,
    );
  }
  const architecture: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(a)) if (ARCH_KEYS.has(k)) architecture[k] = v;
  return {
    task: typeof a.task === 'string' ? a.task : 'unknown',
    voxelSize: a.voxelSize,
    features,
    classes: meta.classes ?? [],
    ignoreLabel: typeof a.ignoreLabel === 'number' ? a.ignoreLabel : -1,
    architecture: architecture as SegArchitectureInput,
  };
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

/** Why a cloud cannot be fed to a model with these input features, or null when it can. */
export function missingInputs(
  features: FeatureMode,
  cloud: { colors?: unknown; normals?: unknown },
  file: string,
): string | null {
  if (features !== 'ones' && !cloud.colors) {
    return `${file}: the model takes '${features}' input features but the file has no colour (red/green/blue) properties`;
  }
  if (features === 'rgb-normals' && !cloud.normals) {
    return `${file}: the model takes colour + normals but the file has no nx/ny/nz properties`;
  }
  return null;
}
