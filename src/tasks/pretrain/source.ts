/**
 * The training data of pre-training: the config's registered loader source (a `data pairs`
 * folder, pairs cut on the fly, …), which must yield pairs of views.
 */
import type { DataLoader } from '../../data/loader/loader.js';
import type { SourceSpec } from '../../data/loader/sources.js';
import type { PretrainConfig } from './schema.js';

/** The loader source of a pre-training run. */
export function trainingSource(cfg: PretrainConfig): SourceSpec {
  return cfg.data.source;
}

/** Pre-training needs pairs: a source of single scenes is an error naming `data.source`. */
export function checkPairs(loader: DataLoader): void {
  if (loader.kind !== 'pairs') throw new Error(`data.source gives ${loader.kind}, pre-training needs pairs`);
}
