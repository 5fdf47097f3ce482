/**
 * Detection training scenes with Contrastive Scene Contexts' limited-box protocol: K boxes per
 * scene chosen at random (seeded, saved with the run); the other objects lose their boxes and
 * instance ids, so they count as background, as in CSC's VoteNet data loader. Loaded by the
 * data loader's module source (it also runs in the prefetch workers).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Rng, deriveSeed } from '../core/rng.js';
import type { SceneSource } from '../data/loader/types.js';
import type { SourceSpec } from '../data/loader/sources.js';
import type { PreparedDataset } from '../data/prepared/dataset.js';
import { createSource, type FinetuneSourceOptions } from './finetune-source.js';

export interface DetSourceOptions extends FinetuneSourceOptions {
  /** JSON file { scene: instance ids whose boxes are kept }; absent = every box. */
  keepBoxes?: string;
}

/** K random box instances per scene (all when a scene has ≤ K), sorted; { scene: instances }. */
export function chooseBoxes(
  ds: PreparedDataset,
  scenes: readonly string[],
  k: number,
  seed: number,
): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  scenes.forEach((name, si) => {
    const ids = ds.readScene(name).boxes.map((b) => b.instance);
    const rng = new Rng(deriveSeed(seed, si, 0xb0e5));
    for (let i = 0; i < Math.min(k, ids.length); i++) {
      const j = i + rng.int(ids.length - i);
      [ids[i], ids[j]] = [ids[j], ids[i]];
    }
    out[name] = ids.slice(0, Math.min(k, ids.length)).sort((a, b) => a - b);
  });
  return out;
}

/** Opens the source (the loader calls it through `{ type: 'module', export: 'createDetSource' }`). */
export function createDetSource(o: DetSourceOptions): SceneSource {
  const base = createSource(o);
  if (!o.keepBoxes) return base;
  const keep = JSON.parse(readFileSync(o.keepBoxes, 'utf8')) as Record<string, number[]>;
  return {
    ...base,
    async read(i) {
      const s = await base.read(i);
      const ids = keep[s.name];
      if (!ids) throw new Error(`${o.keepBoxes}: no boxes listed for scene ${s.name}`);
      const kept = new Uint8Array(Math.max(-1, ...ids) + 1);
      for (const id of ids) if (id >= 0) kept[id] = 1;
      const isKept = (v: number) => v >= 0 && v < kept.length && kept[v] === 1;
      const inst = s.cloud.instances;
      const instances = inst ? Int32Array.from(inst, (v) => (isKept(v) ? v : -1)) : undefined;
      return {
        name: s.name,
        cloud: instances ? { ...s.cloud, instances } : s.cloud,
        boxes: (s.boxes ?? []).filter((b) => isKept(b.instance)),
      };
    },
  };
}

/** The module source spec of detection training scenes (works in the loader's worker threads). */
export function detSourceSpec(o: DetSourceOptions): SourceSpec {
  const module = fileURLToPath(import.meta.url);
  return { type: 'module', module, export: 'createDetSource', options: o };
}
