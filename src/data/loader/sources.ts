/**
 * Serialisable descriptions of where samples come from, so a prefetch worker can open the same
 * source as the calling thread: a prepared dataset folder, a pairs folder, synthetic scenes made on
 * the fly, or any module exporting a source factory. Each adapter is a thin layer over its reader.
 */
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { openPreparedDataset } from '../prepared/dataset.js';
import { generateScene, type SynthOptions } from '../synth/scene.js';
import { openPairDataset } from '../pairs/reader.js';
import type { PairSource, SampleSource, SceneSample, SceneSource } from './types.js';

/** Where a loader's samples come from (plain data: it crosses to the worker). */
export type SourceSpec =
  | { type: 'prepared'; dir: string; split?: string }
  | { type: 'pairs'; dir: string }
  | {
      type: 'synth';
      /** Number of scenes; scene i uses seed `seed + i`. */
      scenes: number;
      seed?: number;
      options?: Omit<SynthOptions, 'seed' | 'surfaceIds'>;
      /** Keep generated scenes in memory (later epochs skip generation). */
      cache?: boolean;
    }
  | { type: 'module'; module: string; export?: string; options?: unknown };

/** Scenes of a prepared dataset folder (optionally one split), in manifest order. */
export function preparedSource(dir: string, split?: string): SceneSource {
  const ds = openPreparedDataset(dir);
  const names = ds.sceneNames(split);
  return {
    kind: 'scenes',
    size: names.length,
    read(i) {
      const s = ds.readScene(names[i]);
      return { name: s.name, cloud: s.cloud, boxes: s.boxes };
    },
  };
}

/** Pre-training pairs of a `data pairs` folder, one file read per sample. */
export function pairSource(dir: string): PairSource {
  const ds = openPairDataset(dir);
  return {
    kind: 'pairs',
    size: ds.size,
    read(i) {
      const p = ds.read(i);
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

async function moduleSource(spec: Extract<SourceSpec, { type: 'module' }>): Promise<SampleSource> {
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

/** Opens the source a spec describes. */
export async function openSource(spec: SourceSpec): Promise<SampleSource> {
  switch (spec.type) {
    case 'prepared':
      return preparedSource(spec.dir, spec.split);
    case 'pairs':
      return pairSource(spec.dir);
    case 'synth':
      return synthSource(spec.scenes, spec.seed, spec.options, spec.cache);
    case 'module':
      return moduleSource(spec);
    default:
      throw new Error(`unknown source type '${(spec as { type: unknown }).type}'`);
  }
}
