/**
 * The training data of detection fine-tuning with Contrastive Scene Contexts' limited-box
 * protocol: K boxes per scene chosen at random (seeded, saved with the run), the other objects
 * background, as a registered `{ type: 'prepared', scenes, keepBoxes }` loader source.
 */
import { join } from 'node:path';
import { Rng, deriveSeed } from '../../core/rng.js';
import { writeJsonAtomic } from '../../data/io/atomic-write.js';
import type { SourceSpec } from '../../data/loader/sources.js';
import { openPreparedDataset, type PreparedDataset } from '../../data/prepared/dataset.js';
import { trainingSelection } from '../../data/selection.js';
import type { RunDir } from '../../train/run-dir.js';
import type { DetConfig } from './schema.js';

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
    const chosen = new Rng(deriveSeed(seed, si, 0xb0e5)).sample(ids.length, k);
    out[name] = Array.from(chosen, (i) => ids[i]).sort((a, b) => a - b);
  });
  return out;
}

/** The training scenes, the kept-boxes file and the number of boxes kept. */
export interface DetSelection {
  scenes: string[];
  keepBoxes?: string;
  boxes: number;
}

/** Training scenes and, with boxesPerScene, the kept boxes (written to the run folder). */
export function selectTraining(cfg: DetConfig, run: RunDir): DetSelection {
  const { scenes } = trainingSelection(cfg.data, cfg.seed, run.path);
  const ds = openPreparedDataset(cfg.data.dir);
  const total = (names: string[]) =>
    names.reduce((s, n) => s + (ds.manifest.scenes.find((e) => e.name === n)?.boxes ?? 0), 0);
  if (cfg.data.boxesPerScene === null) return { scenes, boxes: total(scenes) };
  const chosen = chooseBoxes(ds, scenes, cfg.data.boxesPerScene, cfg.seed);
  const keepBoxes = join(run.path, 'labelled-boxes.json');
  writeJsonAtomic(keepBoxes, chosen);
  return { scenes, keepBoxes, boxes: Object.values(chosen).reduce((s, v) => s + v.length, 0) };
}

/** The loader source of the selection. */
export function trainingSource(cfg: DetConfig, sel: DetSelection): SourceSpec {
  return {
    type: 'prepared',
    dir: cfg.data.dir,
    split: cfg.data.trainSplit,
    scenes: sel.scenes,
    keepBoxes: sel.keepBoxes,
  };
}
