/**
 * The dataset source types of `data prepare`, by name: a typed explicit registry (no side
 * effects), shared by the main thread and the preparation workers.
 */
import { s3disDriver } from './s3dis.js';
import type { DatasetDriver } from './types.js';

/** Source type name → driver. */
export const DATASETS = {
  s3dis: s3disDriver,
} as const satisfies Record<string, DatasetDriver>;

/** A source type name accepted by `data prepare`. */
export type DatasetType = keyof typeof DATASETS;

/** Checks a user-given type name. */
export function datasetDriver(type: string): DatasetDriver {
  if (!Object.hasOwn(DATASETS, type)) {
    throw new Error(`unknown dataset type '${type}' (expected one of ${Object.keys(DATASETS).join(', ')})`);
  }
  return DATASETS[type as DatasetType];
}
