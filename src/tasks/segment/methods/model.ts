/**
 * The network a segmentation run trains, from its config: the registered head `head.type` names
 * (models/heads/registry.ts; the prototype head takes the init checkpoint's output width and
 * pre-training temperature), with LoRA adapters for `trainable: lora`. A resumed run rebuilds the architecture
 * its own checkpoint recorded.
 */
import { join } from 'node:path';
import { readCheckpointMeta } from '../../../train/checkpoint.js';
import type { SegArchitecture, SegArchitectureInput } from '../../../models/seg-model.js';
import { newHeadParameters, segHeadArchitecture } from '../../../models/heads/registry.js';
import { lossDefaults } from '../../../losses/registry.js';
import { pretrainConfigSchema } from '../../pretrain/schema.js';
import type { SegConfig } from '../schema.js';

/** Output width of the pre-trained layer a from-scratch prototype head scores (pre-training's default `model.outChannels`). */
export const SCRATCH_PROTOTYPE_DIM = pretrainConfigSchema.shape.model.shape.outChannels.parse(undefined);

interface InitMeta {
  architecture?: { outChannels?: number; normalize?: boolean };
  config?: { loss?: { temperature?: number } };
}

function readMeta(path: string): InitMeta & { architecture?: Record<string, unknown> } {
  return readCheckpointMeta(path).meta as InitMeta;
}

/** The architecture of a new run (or, with `resumeRun`, the one its last checkpoint recorded). */
export function segArchitecture(cfg: SegConfig, classes: number, resumeRun?: string): SegArchitectureInput {
  if (resumeRun) {
    const a = readMeta(join(resumeRun, 'last')).architecture as Partial<SegArchitecture>;
    return {
      ...cfg.model,
      outChannels: a.outChannels ?? classes,
      normalize: false,
      head: a.head ?? null,
      lora: a.lora ?? null,
    };
  }
  const lora = cfg.trainable === 'lora' ? cfg.lora : null;
  const init = cfg.init ? readMeta(cfg.init) : undefined;
  const { outChannels, head } = segHeadArchitecture(cfg.head, {
    classes,
    featureWidth: init?.architecture?.outChannels ?? SCRATCH_PROTOTYPE_DIM,
    // the init's PointInfoNCE temperature, else the loss's default
    pretrainTemperature: init?.config?.loss?.temperature ?? lossDefaults('point-info-nce').temperature,
  });
  return { ...cfg.model, outChannels, normalize: false, head, lora };
}

/** Parameter prefixes the init checkpoint need not provide (new parameters of the run). */
export function newParameterPrefixes(arch: SegArchitectureInput): string[] {
  const out = newHeadParameters(arch.head ?? null);
  if (arch.lora) out.push('lora.');
  return out;
}
