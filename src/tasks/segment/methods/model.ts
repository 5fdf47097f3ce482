/**
 * The network a segmentation run trains, from its config: the plain new linear head, or the
 * prototype head on the pre-trained output layer (its width and temperature read from the init
 * checkpoint), with LoRA adapters for `trainable: lora`. A resumed run rebuilds the architecture
 * its own checkpoint recorded.
 */
import { join } from 'node:path';
import { readCheckpointMeta } from '../../../train/checkpoint.js';
import type { SegArchitecture, SegArchitectureInput } from '../../../models/seg-model.js';
import type { SegConfig } from '../schema.js';

/** Output width of the pre-trained layer a from-scratch prototype head scores (the pre-training configs' 32). */
export const SCRATCH_PROTOTYPE_DIM = 32;
/** PointInfoNCE's released temperature, used when the init's is unknown. */
export const DEFAULT_TEMPERATURE = 0.4;

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
  if (cfg.head.type === 'linear')
    return { ...cfg.model, outChannels: classes, normalize: false, head: null, lora };
  const init = cfg.init ? readMeta(cfg.init) : undefined;
  const dim = init?.architecture?.outChannels ?? SCRATCH_PROTOTYPE_DIM;
  const pretrainT = init?.config?.loss?.temperature ?? DEFAULT_TEMPERATURE;
  const temperature = cfg.head.form === 'A1' ? 1 : (cfg.head.temperature ?? pretrainT);
  return {
    ...cfg.model,
    outChannels: dim,
    normalize: false,
    head: {
      type: 'prototype',
      form: cfg.head.form,
      temperature,
      learnTemperature: cfg.head.form !== 'A1' && cfg.head.learnTemperature,
      classes,
    },
    lora,
  };
}

/** Parameter prefixes the init checkpoint need not provide (new parameters of the run). */
export function newParameterPrefixes(arch: SegArchitectureInput): string[] {
  const out = arch.head ? ['head.'] : ['final.'];
  if (arch.lora) out.push('lora.');
  return out;
}
