/**
 * Node loading of label maps: a built-in name (datasets/<name>.json shipped with the package)
 * or a path to a label-map JSON / plain class-list file.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseClassList, type LabelMap } from '../label-map.js';

/** The package's datasets/ folder (same depth from src/data/datasets and dist/data/datasets). */
export const DATASETS_DIR = fileURLToPath(new URL('../../../datasets/', import.meta.url));

/** Path of a built-in label map by name. */
export function builtinLabelMapPath(name: string): string {
  return `${DATASETS_DIR}${name}.json`;
}

/** Loads a label map by built-in name (e.g. "scannet20") or file path (JSON or one name per line). */
export function loadLabelMap(nameOrPath: string): LabelMap {
  const builtin = /^[A-Za-z0-9_-]+$/.test(nameOrPath) ? builtinLabelMapPath(nameOrPath) : undefined;
  const path = builtin && existsSync(builtin) && !existsSync(nameOrPath) ? builtin : nameOrPath;
  if (!existsSync(path)) {
    throw new Error(
      `label map '${nameOrPath}' not found (neither a file nor a built-in map in ${DATASETS_DIR})`,
    );
  }
  const name = basename(path, extname(path));
  return parseClassList(readFileSync(path, 'utf8'), path, name);
}
