/**
 * The training data of segmentation fine-tuning: the data-efficient selection (a fraction of
 * the train scenes, K labelled points per scene, saved with the run) as a registered
 * `{ type: 'prepared', scenes, keepPoints, mix }` loader source (mix: rooms of another dataset
 * placed over the samples, `data.mix`).
 */
import { trainingSelection, type Selection } from '../../data/selection.js';
import type { SourceSpec } from '../../data/loader/sources.js';
import type { RunDir } from '../../train/run-dir.js';
import type { SegConfig } from './schema.js';

/** Chooses the training scenes and labelled points of a new run (written into it). */
export function selectTraining(cfg: SegConfig, run: RunDir): Selection {
  return trainingSelection(cfg.data, cfg.seed, run.path);
}

/** The loader source of the selection. */
export function trainingSource(cfg: SegConfig, sel: Selection): SourceSpec {
  return {
    type: 'prepared',
    dir: cfg.data.dir,
    split: cfg.data.trainSplit,
    scenes: sel.scenes,
    keepPoints: sel.keepPoints,
    ...(cfg.data.mix ? { mix: { ...cfg.data.mix, seed: cfg.data.loader.seed } } : {}),
  };
}
