/**
 * The dataset-driver contract of `data prepare`: plan (list scenes, splits, label map) in the
 * main thread, then load one scene at a time, possibly in a worker, from JSON-able inputs.
 */
import type { LabelMap } from '../label-map.js';
import type { PreparedScene } from '../prepared/codec.js';

/** Options of every source type (each driver reads the ones it documents). */
export interface SourceOptions {
  /** Dataset root folder (scannet, s3dis, ply-folder). */
  root?: string;
  /** Label map: built-in name or path to a label-map JSON / class-list text file. */
  classes?: string;
  /** Split list files, "split=path" or a path whose name contains train/val/test. */
  splitFiles?: string[];
  /** Scene names forced into the "val" split. */
  val?: string[];
  /** Prepare only the first N scenes of the listing (applied by prepareDataset). */
  limit?: number;
  /** scannet: path of scannetv2-labels.combined.tsv (default <root>/scannetv2-labels.combined.tsv or its parent). */
  tsv?: string;
  /** s3dis: areas whose rooms go to "val" (default [5]). */
  valAreas?: number[];
  /** s3dis: skip malformed rows (counted per scene) instead of failing. */
  skipBadLines?: boolean;
  /** synth: number of scenes, base seed, sampling density. */
  scenes?: number;
  seed?: number;
  pointsPerM2?: number;
  /** synth: `generateScene` scan-like options (virtual capture, minimum spacing); off by default. */
  scanner?: boolean;
  minSpacing?: number;
  /** synth: the furniture of `SynthOptions.variety` (sectional sofas, wall curtains, more clutter). */
  variety?: boolean;
}

/** One scene to prepare; `src` holds driver-specific JSON-able inputs (paths, seeds). */
export interface SceneTask {
  name: string;
  split: string;
  src: Record<string, unknown>;
}

/** What a driver's plan returns. */
export interface DatasetPlan {
  labelMap: LabelMap;
  tasks: SceneTask[];
  /** The options that change the scene files' content (part of the skip key and the manifest). */
  options: Record<string, unknown>;
  /** Options that only change split membership (manifest only: changing them redoes no scene). */
  splitOptions?: Record<string, unknown>;
  /** Things the user should know (e.g. split-list scenes missing on disk). */
  warnings?: string[];
}

/** A dataset source type. */
export interface DatasetDriver {
  /** Lists scenes and resolves the label map (cheap: directory listing, small files). */
  plan(opts: SourceOptions): DatasetPlan;
  /** Loads one scene with train-id labels, instances and boxes. */
  load(task: SceneTask, opts: SourceOptions, labelMap: LabelMap): PreparedScene | Promise<PreparedScene>;
}
