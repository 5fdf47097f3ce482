/**
 * The segmentation network of a fine-tuning run as checkpoints record it: a Res16UNet plus the
 * method parts that change its parameters — the pre-training-form prototype head (`head`) and
 * LoRA adapters on the conv weights (`lora`) — so evaluation and prediction rebuild any run.
 */
import { z } from 'zod';
import { architectureSchema, buildNetwork } from './build.js';
import type { Res16UNet } from './res16unet.js';
import { PROTOTYPE_LADDER, PROTOTYPE_RUNGS, PrototypeHead } from './heads/prototype.js';
import { attachLora, mergeLora, type LoraAdapter } from './lora.js';

/** The prototype head as checkpoints record it (outChannels of the net = the feature width D). */
export const prototypeHeadSchema = z.strictObject({
  type: z.literal('prototype'),
  form: z.enum(PROTOTYPE_RUNGS),
  /** The resolved temperature (A1: 1); with learnTemperature, the learned one's start. */
  temperature: z.number().positive(),
  /** Whether 1/τ is a parameter (`head.logScale`); absent in checkpoints written before it. */
  learnTemperature: z.boolean().default(false),
  classes: z.number().int().positive(),
});
export type PrototypeHeadArch = z.output<typeof prototypeHeadSchema>;

export const loraArchSchema = z.strictObject({
  rank: z.number().int().positive(),
  alpha: z.number().positive().nullable().default(null),
});

/** A Res16UNet architecture with the optional prototype head and LoRA adapters. */
export const segArchitectureSchema = architectureSchema.extend({
  head: prototypeHeadSchema.nullable().default(null),
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
  let prototype: PrototypeHead | null = null;
  if (head) {
    // prototypes get their own seed so every arm with one seed shares the backbone init
    prototype = new PrototypeHead(
      net.params,
      base.outChannels,
      head.classes,
      PROTOTYPE_LADDER[head.form],
      head.temperature,
      seed + 0x70c,
      head.learnTemperature,
    );
    const p = prototype;
    net.outputHead = (f) => p.apply(f);
  }
  const adapters = lora ? attachLora(net.params, { rank: lora.rank, alpha: lora.alpha ?? undefined }) : [];
  return { net, prototype, adapters, headPrefixes: head ? ['final.', 'head.'] : ['final.'] };
}

/** Folds LoRA into the conv weights and drops the weight transform (inference at plain cost). */
export function mergeSegLora(model: SegModel): void {
  if (model.adapters.length === 0) return;
  mergeLora(model.net.params, model.adapters);
  model.net.params.weightTransform = null;
}
