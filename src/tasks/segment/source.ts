/**
 * The training data of segmentation fine-tuning: the data-efficient selection (a fraction of
 * the train scenes, K labelled points per scene, saved with the run) as a registered
 * `{ type: 'prepared', scenes, keepPoints, ignoreClasses, mix }` loader source (ignoreClasses:
 * classes held out of the labels, `data.ignoreClasses`; mix: rooms of another dataset placed over
 * or beside the samples, `data.mix`).
 */
import { trainingSelection, type Selection } from '../../data/selection.js';
import type { SourceSpec } from '../../data/loader/sources.js';
import { openPreparedDataset } from '../../data/prepared/dataset.js';
import { trainIdsOfNames } from '../../data/label-map.js';
import type { RunDir } from '../../train/run-dir.js';
import type { SegConfig } from './schema.js';

/** Train ids of `data.ignoreClasses` in the training dataset (an unknown name is an error naming it). */
export function heldOutClassIds(cfg: SegConfig): number[] {
  if (cfg.data.ignoreClasses.length === 0) return [];
  const { classes } = openPreparedDataset(cfg.data.dir).manifest;
  return trainIdsOfNames(classes, cfg.data.ignoreClasses, `data.ignoreClasses (${cfg.data.dir})`);
}

/** Chooses the training scenes and labelled points of a new run (written into it). */
export function selectTraining(cfg: SegConfig, run: RunDir): Selection {
  return trainingSelection(cfg.data, cfg.seed, run.path, { ignoreClasses: heldOutClassIds(cfg) });
}

/** The loader source of the selection. */
export function trainingSource(cfg: SegConfig, sel: Selection): SourceSpec {
  return {
    type: 'prepared',
    dir: cfg.data.dir,
    split: cfg.data.trainSplit,
    scenes: sel.scenes,
    keepPoints: sel.keepPoints,
    ...(sel.ignoreClasses ? { ignoreClasses: sel.ignoreClasses } : {}),
    ...(cfg.data.mix ? { mix: { ...cfg.data.mix, seed: cfg.data.loader.seed } } : {}),
  };
}
