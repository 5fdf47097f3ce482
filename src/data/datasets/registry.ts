/**
 * The dataset source types of `data prepare`, by name: a typed explicit registry (no side
 * effects), shared by the main thread and the preparation workers.
 */
import { plyFolderDriver } from './ply-folder.js';
import { s3disDriver } from './s3dis.js';
import { scannetDriver } from './scannet.js';
import { synthDriver } from './synth.js';
import type { DatasetDriver } from './types.js';

/** Source type name → driver. */
export const DATASETS = {
  scannet: scannetDriver,
  s3dis: s3disDriver,
  'ply-folder': plyFolderDriver,
  synth: synthDriver,
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
