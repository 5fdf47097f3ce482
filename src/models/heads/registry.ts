/**
 * The segmentation-head registry: a fine-tuning config's `head.type` names an entry, which
 * decides the network of a new run (its output width and the head record model.json keeps) and
 * builds the head from that record when any run is rebuilt; `head.form` picks a rung of
 * PROTOTYPE_LADDER (prototype.ts). The `head` config section, its one enum per choice and its
 * defaults are defined here.
 */
import { z } from 'zod';
import type { Res16UNet } from '../res16unet.js';
import { PROTOTYPE_LADDER, PrototypeHead, prototypeRungSchema, rungTemperature } from './prototype.js';

/** The prototype head as recorded in model.json (outChannels of the net = the feature width D). */
export const prototypeHeadSchema = z.strictObject({
  type: z.literal('prototype'),
  form: prototypeRungSchema,
  /** The resolved temperature (τ = 1 at rungs without the pre-training one); with learnTemperature, the learned one's start. */
  temperature: z.number().positive(),
  /** Whether 1/τ is a parameter (`head.logScale`); absent in checkpoints written before it. */
  learnTemperature: z.boolean().default(false),
  classes: z.number().int().positive(),
});
export type PrototypeHeadArch = z.output<typeof prototypeHeadSchema>;

/** The config keys of the prototype head (`head.form`, `head.temperature`, `head.learnTemperature`). */
const prototypeSettingsShape = {
  /** Rung of the ablation ladder (A0 = type linear). */
  form: prototypeRungSchema.default('A3'),
  /**
   * null = the init checkpoint's pre-training temperature (the default `loss.temperature` if
   * unknown); a rung without the pre-training temperature (A1) uses 1.
   */
  temperature: z.number().positive().nullable().default(null),
  /**
   * Learn the scale 1/τ, starting at `temperature` (rungs with the pre-training temperature): a
   * backbone pre-trained at a soft τ (0.4) sharpens it (to ≈ 0.14 on the demo's backbone) instead
   * of losing to a plain head.
   */
  learnTemperature: z.boolean().default(true),
};
type HeadSettings = z.output<z.ZodObject<typeof prototypeSettingsShape>>;

/** What choosing a head needs from the run besides its `head` keys. */
export interface SegHeadContext {
  /** Classes of the dataset. */
  classes: number;
  /** Width of the pre-trained output layer a head on it scores (the init's, or the scratch control's). */
  featureWidth: number;
  /** The temperature `head.temperature: null` means (the init's pre-training one, or the default). */
  pretrainTemperature: number;
}

/** A built head: the parameter prefixes it trains with (the part a linear probe trains). */
export interface BuiltSegHead {
  prototype: PrototypeHead | null;
  headPrefixes: string[];
}

/** A registered head: its model.json record schema, the network it asks for, and its builder. */
export interface SegHeadFactory<S extends z.ZodType = z.ZodType> {
  /** Schema of the head's record in model.json (`architecture.head`; null = no head module). */
  readonly schema: S;
  /** One-line description for docs and `--help`. */
  readonly doc: string;
  /** Parameter prefixes a new run adds (the init checkpoint need not provide them). */
  readonly newParameters: readonly string[];
  /** The output width of a new run's Res16UNet and the head record, from the `head` keys. */
  architecture(settings: HeadSettings, ctx: SegHeadContext): { outChannels: number; head: z.output<S> };
  /** Builds the head from its record on a built network of output width `dim` (seeded). */
  create(net: Res16UNet, record: z.output<S>, dim: number, seed: number): BuiltSegHead;
}

function defineHead<S extends z.ZodType>(f: SegHeadFactory<S>): SegHeadFactory<S> {
  return f;
}

/** Every segmentation head, by the `head.type` a config names it with. */
export const SEG_HEADS = {
  linear: defineHead({
    schema: z.null(),
    doc: 'new 1×1 layer',
    newParameters: ['final.'],
    architecture: (_s, ctx) => ({ outChannels: ctx.classes, head: null }),
    create: () => ({ prototype: null, headPrefixes: ['final.'] }),
  }),
  prototype: defineHead({
    schema: prototypeHeadSchema,
    doc: 'pre-training form; head.form, head.temperature',
    newParameters: ['head.'],
    architecture: (s, ctx) => {
      const scale = rungTemperature(
        PROTOTYPE_LADDER[s.form],
        s.temperature ?? ctx.pretrainTemperature,
        s.learnTemperature,
      );
      return {
        outChannels: ctx.featureWidth,
        head: { type: 'prototype' as const, form: s.form, ...scale, classes: ctx.classes },
      };
    },
    create: (net, record, dim, seed) => {
      // prototypes get their own seed so every arm with one seed shares the backbone init
      const prototype = new PrototypeHead(
        net.params,
        dim,
        record.classes,
        PROTOTYPE_LADDER[record.form],
        record.temperature,
        seed + 0x70c,
        record.learnTemperature,
      );
      net.outputHead = (f) => prototype.apply(f);
      return { prototype, headPrefixes: ['final.', 'head.'] };
    },
  }),
} as const satisfies Record<string, SegHeadFactory>;

/** A registered head name. */
export type SegHeadName = keyof typeof SEG_HEADS;

/** The `head` section of a segmentation fine-tuning config. */
export const segHeadConfigSchema = z.strictObject({
  type: z.enum(Object.keys(SEG_HEADS) as [SegHeadName, ...SegHeadName[]]).default('linear'),
  ...prototypeSettingsShape,
});
export type SegHeadConfig = z.output<typeof segHeadConfigSchema>;

/** The head record of model.json: one registered head's (null for the linear head). */
export const segHeadRecordSchema = z.union([SEG_HEADS.linear.schema, SEG_HEADS.prototype.schema]);
export type SegHeadRecord = z.output<typeof segHeadRecordSchema>;

/** The head a record (parsed or not) was written by. */
export function segHeadOf(record: { type: SegHeadName } | null): SegHeadName {
  return record === null ? 'linear' : record.type;
}

/** The network output width and head record of a new run (the choice, by `head.type`). */
export function segHeadArchitecture(
  config: SegHeadConfig,
  ctx: SegHeadContext,
): { outChannels: number; head: SegHeadRecord } {
  return (SEG_HEADS[config.type] as SegHeadFactory).architecture(config, ctx) as {
    outChannels: number;
    head: SegHeadRecord;
  };
}

/** Builds the head a record names on a built network of output width `dim`. */
export function createSegHead(
  net: Res16UNet,
  record: SegHeadRecord,
  dim: number,
  seed: number,
): BuiltSegHead {
  return (SEG_HEADS[segHeadOf(record)] as SegHeadFactory).create(net, record, dim, seed);
}

/** Parameter prefixes the init checkpoint need not provide for a record's head. */
export function newHeadParameters(record: { type: SegHeadName } | null): string[] {
  return [...SEG_HEADS[segHeadOf(record)].newParameters];
}
