/**
 * The network a segmentation run trains, from its config: the registered head `head.type` names
 * (models/heads/registry.ts; the prototype head takes the init checkpoint's output width and
 * pre-training temperature), with LoRA adapters for `trainable: lora`. A resumed run rebuilds the architecture
 * its own checkpoint recorded.
 */
import { z } from 'zod';
import { parseOrThrow } from '../../../core/zod-errors.js';
import { checkpointMetaFile, lastCheckpointDir, readCheckpointMeta } from '../../../train/checkpoint.js';
import { modelSpec } from '../../../models/checkpoint-model.js';
import type { SegArchitecture } from '../../../models/seg-model.js';
import { newHeadParameters, segHeadArchitecture } from '../../../models/heads/registry.js';
import { lossDefaults } from '../../../losses/registry.js';
import { pretrainConfigSchema } from '../../pretrain/schema.js';
import type { SegConfig } from '../schema.js';

/** Output width of the pre-trained layer a from-scratch prototype head scores (pre-training's default `model.outChannels`). */
export const SCRATCH_PROTOTYPE_DIM = pretrainConfigSchema.shape.model.shape.outChannels.parse(undefined);

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
  let init: z.output<typeof initMetaSchema> | undefined;
  if (cfg.init) {
    const { dir, meta } = readCheckpointMeta(cfg.init);
    init = parseOrThrow(initMetaSchema, meta, '', checkpointMetaFile(dir));
  }
  const { outChannels, head } = segHeadArchitecture(cfg.head, {
    classes,
    featureWidth: init?.architecture.outChannels ?? SCRATCH_PROTOTYPE_DIM,
    // the init's PointInfoNCE temperature, else the loss's default
    pretrainTemperature: init?.config?.loss?.temperature ?? lossDefaults('point-info-nce').temperature,
  });
  return { ...cfg.model, outChannels, normalize: false, head, lora };
}

/** Parameter prefixes the init checkpoint need not provide (new parameters of the run). */
export function newParameterPrefixes(arch: SegArchitecture): string[] {
  const out = newHeadParameters(arch.head ?? null);
  if (arch.lora) out.push('lora.');
  return out;
}
