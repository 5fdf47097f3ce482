/**
 * The data-efficient subsets of Contrastive Scene Contexts: the first x % of the train scenes
 * ("limited reconstructions") and K labelled points per scene ("limited annotations"), seeded
 * and saved with the run so a resume or a re-run reads the same selection.
 */
import { join } from 'node:path';
import { Rng, deriveSeed } from '../core/rng.js';
import { writeJsonAtomic } from './io/atomic-write.js';
import { dropLabels } from './label-map.js';
import { openPreparedDataset } from './prepared/dataset.js';

/** The data options that choose a training subset. */
export interface SelectionOptions {
  /** Prepared dataset folder. */
  dir: string;
  trainSplit: string;
  scenesFraction: number;
  scenesOffset: number;
  /** K labelled points per scene (null = all). */
  pointsPerScene: number | null;
}

/** What a training selection needs besides the config's data options. */
export interface SelectionExtras {
  /** Train ids whose labels are held out: the K points are drawn among the other labelled points. */
  ignoreClasses?: readonly number[];
}

/**
 * ⌈x·n⌉ (at least one) consecutive scenes in manifest order, from index `offset` (wrapping
 * around the split).
 */
export function budgetScenes(names: string[], fraction: number, offset = 0): string[] {
  const n = Math.max(1, Math.ceil(fraction * names.length - 1e-9));
  return Array.from({ length: n }, (_, i) => names[(offset + i) % names.length]);
}

/**
 * Picks K labelled points per scene uniformly among its non-ignored points (seeded, so the
 * same seed gives the same points), leaving out the classes `heldOut`; returns { scene: sorted indices }.
 */
export function chooseLabelledPoints(
  dir: string,
  scenes: string[],
  k: number,
  seed: number,
  heldOut: readonly number[] = [],
): Record<string, number[]> {
  const ds = openPreparedDataset(dir);
  const out: Record<string, number[]> = {};
  scenes.forEach((name, si) => {
    const raw = ds.readScene(name).cloud.labels;
    if (!raw) throw new Error(`${dir}: scene ${name} has no labels`);
    const labels = dropLabels(raw, heldOut, -1);
    const valid: number[] = [];
    for (let i = 0; i < labels.length; i++) if (labels[i] >= 0) valid.push(i);
    const chosen = new Rng(deriveSeed(seed, si, 0x90171)).sample(valid.length, k);
    out[name] = Array.from(chosen, (i) => valid[i]).sort((a, b) => a - b);
  });
  return out;
}

/** A training selection: scene names and, with K points per scene, the file listing them. */
export interface Selection {
  scenes: string[];
  keepPoints?: string;
  /** Train ids whose labels are held out (every pass over the training labels drops them). */
  ignoreClasses?: number[];
}

/** Training scenes of a config after the data-efficient options; writes the chosen points to the run. */
export function trainingSelection(
  data: SelectionOptions,
  seed: number,
  runPath: string,
  extras: SelectionExtras = {},
): Selection {
  const ds = openPreparedDataset(data.dir);
  const scenes = budgetScenes(ds.sceneNames(data.trainSplit), data.scenesFraction, data.scenesOffset);
  const held = extras.ignoreClasses?.length ? { ignoreClasses: [...extras.ignoreClasses] } : {};
  if (data.pointsPerScene === null) return { scenes, ...held };
  const chosen = chooseLabelledPoints(data.dir, scenes, data.pointsPerScene, seed, extras.ignoreClasses);
  const keepPoints = join(runPath, 'labelled-points.json');
  writeJsonAtomic(keepPoints, { pointsPerScene: data.pointsPerScene, seed, scenes: chosen });
  return { scenes, keepPoints, ...held };
}

/** The validation scenes of a split (none without one), at most `maxScenes` of them. */
export function validationScenes(
  ds: { sceneNames(split?: string): string[] },
  split: string | null,
  maxScenes: number | null,
): string[] {
  const names = split ? ds.sceneNames(split) : [];
  return maxScenes ? names.slice(0, maxScenes) : names;
}

/** The scenes an evaluation scores, and the split they come from (null: every scene of the dataset). */
export interface EvaluationScenes {
  split: string | null;
  names: string[];
  /** What the scenes are, for printed output: the split, or every scene and why. */
  title: string;
}

/**
 * The scenes `evaluate seg` and `evaluate det` score: those of `split` when given, else the
 * 'val' split when the dataset has one, else every scene. A split without scenes is an error.
 */
export function evaluationScenes(
  ds: { dir: string; manifest: { splits: Record<string, unknown> }; sceneNames(split?: string): string[] },
  split?: string,
): EvaluationScenes {
  const chosen = split ?? ('val' in ds.manifest.splits ? 'val' : undefined);
  const names = ds.sceneNames(chosen);
  if (names.length === 0)
    throw new Error(`${ds.dir}: no scenes${chosen === undefined ? '' : ` in split '${chosen}'`}`);
  return {
    split: chosen ?? null,
    names,
    title: chosen ?? "all scenes (the dataset has no 'val' split)",
  };
}
