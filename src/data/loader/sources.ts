/**
 * The typed registry of loader sources: serialisable descriptions of where samples come from, so
 * a prefetch worker can open the same source as the calling thread: a prepared dataset folder
 * (with an optional training selection), a pairs folder, synthetic scenes made on the fly, or any
 * module exporting a source factory. Each adapter is a thin layer over its reader.
 */
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { preparedSource, roomMixSpec } from './prepared-source.js';
import { generateScene, type SynthOptions } from '../synth/scene.js';
import { openPairDataset } from '../pairs/reader.js';
import type { PairSource, SampleSource, SceneSample, SceneSource } from './types.js';

/**
 * Pre-training pairs of one `data pairs` folder or several (their pairs one after another, in
 * the order given: real scans and RGB-D frames are generated into separate folders), one file
 * read per sample.
 */
export function pairSource(dir: string | readonly string[]): PairSource {
  const sets = (typeof dir === 'string' ? [dir] : dir).map(openPairDataset);
  if (sets.length === 0) throw new Error('pairs source: data.source.dir lists no folder');
  const starts: number[] = [];
  let size = 0;
  for (const ds of sets) {
    starts.push(size);
    size += ds.size;
  }
  return {
    kind: 'pairs',
    size,
    read(i) {
      let k = sets.length - 1;
      while (k > 0 && i < starts[k]) k--;
      const p = sets[k].read(i - starts[k]);
      return { name: `${p.scene}:${p.view0.id}-${p.view1.id}`, view0: p.view0, view1: p.view1, corr: p.corr };
    },
  };
}

/** Synthetic scenes generated on the fly (`data synth`'s generator), scene i from seed `seed + i`. */
export function synthSource(
  scenes: number,
  seed = 0,
  options: Omit<SynthOptions, 'seed' | 'surfaceIds'> = {},
  cache = false,
): SceneSource {
  if (!(Number.isInteger(scenes) && scenes > 0))
    throw new Error(`synth source: scenes must be a positive integer, got ${scenes}`);
  const memo = new Map<number, SceneSample>();
  return {
    kind: 'scenes',
    size: scenes,
    read(i) {
      const hit = memo.get(i);
      if (hit) return hit;
      const s = generateScene({ ...options, seed: seed + i });
      const sample: SceneSample = { name: s.name, cloud: s.cloud, boxes: s.boxes };
      if (cache) memo.set(i, sample);
      return sample;
    },
  };
}

async function moduleSource(spec: ModuleSpec): Promise<SampleSource> {
  const url = /^[a-z]+:\/\//i.test(spec.module)
    ? spec.module
    : pathToFileURL(isAbsolute(spec.module) ? spec.module : resolve(spec.module)).href;
  const mod = (await import(url)) as Record<string, unknown>;
  const name = spec.export ?? 'createSource';
  const factory = mod[name];
  if (typeof factory !== 'function')
    throw new Error(`source module ${spec.module}: no exported function '${name}'`);
  const src = (await (factory as (o: unknown) => unknown)(spec.options)) as SampleSource;
  if (!src || (src.kind !== 'scenes' && src.kind !== 'pairs') || typeof src.read !== 'function') {
    throw new Error(`source module ${spec.module}: '${name}' did not return a { kind, size, read } source`);
  }
  return src;
}

const preparedSpec = z.strictObject({
  type: z.literal('prepared'),
  dir: z.string(),
  split: z.string().optional(),
  scenes: z.array(z.string()).optional(),
  keepPoints: z.string().optional(),
  keepBoxes: z.string().optional(),
  ignoreClasses: z.array(z.number().int().min(0)).optional(),
  mix: roomMixSpec.optional(),
});
const pairsSpec = z.strictObject({
  type: z.literal('pairs'),
  /** A `data pairs` folder, or several read one after another. */
  dir: z.union([z.string(), z.array(z.string()).min(1)]),
});
const synthSpec = z.strictObject({
  type: z.literal('synth'),
  /** Number of scenes; scene i uses seed `seed + i`. */
  scenes: z.number().int().positive(),
  seed: z.number().int().min(0).optional(),
  options: z
    .custom<Omit<SynthOptions, 'seed' | 'surfaceIds'>>((v) => typeof v === 'object' && v !== null)
    .optional(),
  /** Keep generated scenes in memory (later epochs skip generation). */
  cache: z.boolean().optional(),
});
const moduleSpec = z.strictObject({
  type: z.literal('module'),
  module: z.string(),
  export: z.string().optional(),
  options: z.unknown().optional(),
});
type ModuleSpec = z.output<typeof moduleSpec>;

/** A source kind: the schema of its spec and how to open it. */
interface SourceEntry<S extends z.ZodType> {
  schema: S;
  open(spec: z.output<S>): SampleSource | Promise<SampleSource>;
}

/** The loader sources by `type` (plain data specs: they cross to the prefetch workers). */
export const SOURCES = {
  prepared: { schema: preparedSpec, open: (s) => preparedSource(s) } satisfies SourceEntry<
    typeof preparedSpec
  >,
  pairs: { schema: pairsSpec, open: (s) => pairSource(s.dir) } satisfies SourceEntry<typeof pairsSpec>,
  synth: {
    schema: synthSpec,
    open: (s) => synthSource(s.scenes, s.seed, s.options, s.cache),
  } satisfies SourceEntry<typeof synthSpec>,
  module: { schema: moduleSpec, open: moduleSource } satisfies SourceEntry<typeof moduleSpec>,
} as const;

/** The schema of a source spec (task configs embed it as `data.source`). */
export const sourceSpecSchema = z.discriminatedUnion('type', [
  SOURCES.prepared.schema,
  SOURCES.pairs.schema,
  SOURCES.synth.schema,
  SOURCES.module.schema,
]);

/** Where a loader's samples come from. */
export type SourceSpec = z.output<typeof sourceSpecSchema>;

/** Opens the source a spec describes (a typed spec: a config's `data.source` is validated when the config is read). */
export async function openSource(s: SourceSpec): Promise<SampleSource> {
  switch (s.type) {
    case 'prepared':
      return SOURCES.prepared.open(s);
    case 'pairs':
      return SOURCES.pairs.open(s);
    case 'synth':
      return SOURCES.synth.open(s);
    case 'module':
      return SOURCES.module.open(s);
  }
}
