/**
 * The network a segmentation run trains, from its config: the plain new linear head, or the
 * prototype head on the pre-trained output layer (its width and temperature read from the init
 * checkpoint), with LoRA adapters for `trainable: lora`. A resumed run rebuilds the architecture
 * its own checkpoint recorded.
 */
import { z } from 'zod';
import { parseOrThrow } from '../../../core/zod-errors.js';
import { checkpointMetaFile, lastCheckpointDir, readCheckpointMeta } from '../../../train/checkpoint.js';
import { modelSpec } from '../../../models/checkpoint-model.js';
import type { SegArchitecture } from '../../../models/seg-model.js';
import type { SegConfig } from '../schema.js';

/** Output width of the pre-trained layer a from-scratch prototype head scores (the pre-training configs' 32). */
export const SCRATCH_PROTOTYPE_DIM = 32;
/** PointInfoNCE's released temperature, used when the init's is unknown. */
export const DEFAULT_TEMPERATURE = 0.4;

/** What a prototype head takes from its init checkpoint: the output width and the pre-training temperature. */
const initMetaSchema = z.object({
  architecture: z.object({ outChannels: z.number().int().positive().optional() }),
  config: z
    .object({ loss: z.object({ temperature: z.number().positive().optional() }).optional() })
    .nullish(),
});

/** The architecture of a new run (or, with `resumeRun`, the one its last checkpoint recorded). */
export function segArchitecture(cfg: SegConfig, classes: number, resumeRun?: string): SegArchitecture {
  if (resumeRun) {
    const { dir, meta } = readCheckpointMeta(lastCheckpointDir(resumeRun));
    const a = modelSpec(meta, checkpointMetaFile(dir)).architecture;
    return { ...cfg.model, outChannels: a.outChannels, normalize: false, head: a.head, lora: a.lora };
  }
  const lora = cfg.trainable === 'lora' ? cfg.lora : null;
  if (cfg.head.type === 'linear')
    return { ...cfg.model, outChannels: classes, normalize: false, head: null, lora };
  let init: z.output<typeof initMetaSchema> | undefined;
  if (cfg.init) {
    const { dir, meta } = readCheckpointMeta(cfg.init);
    init = parseOrThrow(initMetaSchema, meta, '', checkpointMetaFile(dir));
  }
  const dim = init?.architecture.outChannels ?? SCRATCH_PROTOTYPE_DIM;
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
export function newParameterPrefixes(arch: SegArchitecture): string[] {
  const out = arch.head ? ['head.'] : ['final.'];
  if (arch.lora) out.push('lora.');
  return out;
}
