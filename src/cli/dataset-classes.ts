/**
 * The check the evaluate commands make before scoring a checkpoint on a prepared dataset: the
 * same classes, in the same order.
 */
import type { PreparedDataset } from '../data/prepared/dataset.js';

/** Throws unless the dataset at `data` (opened as `ds`) has the checkpoint's class `names`, in order. */
export function checkDatasetClasses(data: string, ds: PreparedDataset, names: readonly string[]): void {
  if (ds.manifest.classes.map((c) => c.name).join('|') !== names.join('|')) {
    throw new Error(
      `${data}: classes (${ds.manifest.labelMap.name}) differ from the checkpoint's (${names.length} classes)`,
    );
  }
}
