/**
 * The segmentation network of a fine-tuning run as checkpoints record it: a Res16UNet plus the
 * method parts that change its parameters — the pre-training-form prototype head (`head`) and
 * LoRA adapters on the conv weights (`lora`) — so evaluation and prediction rebuild any run.
 */
import { z } from 'zod';
import { architectureSchema, buildNetwork } from './build.js';
import type { Res16UNet } from './res16unet.js';
import type { PrototypeHead } from './heads/prototype.js';
import { createSegHead, segHeadRecordSchema } from './heads/registry.js';
import { attachLora, mergeLora, type LoraAdapter } from './lora.js';

export { prototypeHeadSchema, type PrototypeHeadArch } from './heads/registry.js';

export const loraArchSchema = z.strictObject({
  rank: z.number().int().positive(),
  alpha: z.number().positive().nullable().default(null),
});

/** A Res16UNet architecture with the optional prototype head and LoRA adapters. */
export const segArchitectureSchema = architectureSchema.extend({
  /** The head record of a registered head (heads/registry.ts); null = the linear head. */
  head: segHeadRecordSchema.default(null),
  lora: loraArchSchema.nullable().default(null),
});
export type SegArchitecture = z.output<typeof segArchitectureSchema>;

/** A built segmentation network and its method parts. */
export interface SegModel {
  net: Res16UNet;
  prototype: PrototypeHead | null;
  adapters: LoraAdapter[];
  /** Parameter prefixes of the head (the part a linear probe trains). */
  headPrefixes: string[];
}

/** Builds the network of a validated `arch`; its `forward` gives class logits (through the prototype head if any). */
export function buildSegNetwork(arch: SegArchitecture, seed = 0): SegModel {
  const { head, lora, ...base } = arch;
  const net = buildNetwork(base, seed);
  const { prototype, headPrefixes } = createSegHead(net, head, base.outChannels, seed);
  const adapters = lora ? attachLora(net.params, { rank: lora.rank, alpha: lora.alpha ?? undefined }) : [];
  return { net, prototype, adapters, headPrefixes };
}

/** Folds LoRA into the conv weights and drops the weight transform (inference at plain cost). */
export function mergeSegLora(model: SegModel): void {
  if (model.adapters.length === 0) return;
  mergeLora(model.net.params, model.adapters);
  model.net.params.weightTransform = null;
}
