/**
 * The manifest.json of an exported (or served) segmentation model: what the viewer needs before
 * downloading weights. Platform-free: the viewer imports it.
 */
import type { FeatureMode } from './input-features.js';
import type { ModelClass } from './checkpoint-model.js';

/** `format` of manifest.json. */
export const WEB_MODEL_FORMAT = 'pointcontrast-web-model';

/** The JSON body of manifest.json. */
export interface WebModelManifest {
  format: typeof WEB_MODEL_FORMAT;
  version: 1;
  /** The checkpoint meta and weights manifest file (the checkpoint's, without training state), relative to manifest.json. */
  model: string;
  /** Checkpoint folder name and training step it came from. */
  source: { checkpoint: string; step: number };
  task: 'segmentation';
  backbone: string;
  voxelSize: number;
  /** Input feature layout (FEATURE_DIMS); the file must have colour unless 'ones', normals for 'rgb-normals'. */
  features: FeatureMode;
  classes: ModelClass[];
  ignoreLabel: number;
  /** Total bytes of the weight files. */
  weightsBytes: number;
}
