/**
 * The loader source of fine-tuning runs: scenes of a prepared dataset split, optionally only a
 * subset of scenes (Contrastive Scene Contexts' "limited reconstructions") and only chosen
 * labelled points per scene (its "limited annotations": every other label is set to ignore).
 * Loaded by the data loader's module source, so it also runs inside the prefetch workers.
 */
import { readFileSync } from 'node:fs';
import { openPreparedDataset } from '../data/prepared/dataset.js';
import type { SceneSource } from '../data/loader/types.js';

export interface FinetuneSourceOptions {
  dir: string;
  split: string;
  /** Scene names to use (default: the whole split). */
  scenes?: string[];
  /** JSON file { scenes: { scene: point indices } } of the labelled points to keep (others → ignore). */
  keepPoints?: string;
}

/** Opens the source (the loader calls this through `{ type: 'module', export: 'createSource' }`). */
export function createSource(o: FinetuneSourceOptions): SceneSource {
  const ds = openPreparedDataset(o.dir);
  const names = o.scenes ?? ds.sceneNames(o.split);
  if (names.length === 0) throw new Error(`${o.dir}: split '${o.split}' has no scenes`);
  const keep = o.keepPoints
    ? (JSON.parse(readFileSync(o.keepPoints, 'utf8')) as { scenes: Record<string, number[]> }).scenes
    : undefined;
  const ignore = ds.manifest.ignoreLabel;
  return {
    kind: 'scenes',
    size: names.length,
    read(i) {
      const s = ds.readScene(names[i]);
      let cloud = s.cloud;
      if (keep && cloud.labels) {
        const idx = keep[s.name];
        if (!idx) throw new Error(`${o.keepPoints}: no labelled points listed for scene ${s.name}`);
        const labels = new Int32Array(cloud.labels.length).fill(ignore);
        for (const p of idx) labels[p] = cloud.labels[p];
        cloud = { ...cloud, labels };
      }
      return { name: s.name, cloud, boxes: s.boxes };
    },
  };
}
