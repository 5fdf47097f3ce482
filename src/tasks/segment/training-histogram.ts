/**
 * The labelled points per class of a run's training scenes, from the prepared dataset's manifest
 * histograms: what class weights and the classes the labels lack are computed from.
 */
import type { PreparedDataset } from '../../data/prepared/dataset.js';

/** Labelled points per class over the chosen training scenes (manifest histograms), held-out classes at 0. */
export function trainingHistogram(
  ds: PreparedDataset,
  scenes: readonly string[],
  heldOut: readonly number[] = [],
): number[] {
  const chosen = new Set(scenes);
  const h = new Array<number>(ds.manifest.classes.length).fill(0);
  for (const s of ds.manifest.scenes) if (chosen.has(s.name)) s.histogram.forEach((n, c) => (h[c] += n));
  for (const c of heldOut) h[c] = 0;
  return h;
}

/** The class ids without a labelled training point (held-out classes included). */
export function absentClasses(histogram: readonly number[]): number[] {
  return histogram.flatMap((n, c) => (n === 0 ? [c] : []));
}
