/**
 * Decides what a `view` root holds (a run with predictions/, a predictions folder, a folder of
 * scans, or one scan file) and lists its scenes for GET /api/scenes. Also loads datasets/*.json.
 */
import {
  accessSync,
  constants,
  existsSync,
  lstatSync,
  readdirSync,
  readFileSync,
  realpathSync,
  statSync,
} from 'node:fs';
import { basename, dirname, extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  PREDICTIONS_INDEX,
  parseLabelSet,
  parsePredictionsIndex,
  type LabelSet,
  type PredictionsIndex,
} from '../core/viewer-contract.js';

/** File extensions listed as scenes in a folder of plain scans. */
export const SCAN_EXTENSIONS = ['.ply', '.pcd', '.xyz'];
const MAX_DEPTH = 4;
const MAX_SCANS = 10_000;

/** Where the served data lives and how to read it. */
export interface DataRoot {
  kind: 'predictions' | 'scans';
  /** Real path of the folder whose files are served under /data/. */
  dir: string;
  /** The path the user gave. */
  given: string;
  /** When the user gave one scan file: its name inside `dir` (the only scene listed). */
  onlyFile?: string;
}

import type { SceneItem, SceneListing, SkippedFile } from '../core/viewer-contract.js';

export type { SceneItem, SceneListing, SkippedFile };

/** Resolves the user's `view` argument; throws a clear Error when it is neither folder nor scan. */
export function resolveDataRoot(given: string): DataRoot {
  if (!existsSync(given)) throw new Error(`${given}: no such file or folder`);
  const real = realpathSync(given);
  const st = statSync(real);
  if (st.isFile()) {
    if (!SCAN_EXTENSIONS.includes(extname(real).toLowerCase())) {
      throw new Error(
        `${given}: expected a run folder, a predictions folder, a folder of scans or a .ply/.pcd file`,
      );
    }
    return { kind: 'scans', dir: dirname(real), given, onlyFile: basename(real) };
  }
  if (!st.isDirectory()) throw new Error(`${given}: not a file or folder`);
  if (existsSync(join(real, 'predictions', PREDICTIONS_INDEX))) {
    return { kind: 'predictions', dir: realpathSync(join(real, 'predictions')), given };
  }
  if (existsSync(join(real, PREDICTIONS_INDEX))) return { kind: 'predictions', dir: real, given };
  return { kind: 'scans', dir: real, given };
}

/** URL path of a file under the data root (each segment percent-encoded). */
export function dataUrl(relPath: string): string {
  return `/data/${relPath.split('/').map(encodeURIComponent).join('/')}`;
}

/** Reads and validates `<dir>/index.json`. */
export function readPredictionsIndex(dir: string): PredictionsIndex {
  const file = join(dir, PREDICTIONS_INDEX);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`${file}: not valid JSON (${(e as Error).message})`);
  }
  return parsePredictionsIndex(json, file);
}

function sizeOf(path: string): number | undefined {
  try {
    const st = statSync(path);
    return st.isFile() ? st.size : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Why the `/data/` route would refuse `relPath` (the same rules as resolveUnderRoot, checked
 * synchronously, plus read permission), or null when it would serve it. A missing file is not a
 * reason here: the listing keeps it and the viewer reports the 404 by name.
 */
export function unservableReason(realRoot: string, relPath: string): string | null {
  const p = join(realRoot, ...relPath.split('/'));
  let real: string;
  try {
    real = realpathSync(p);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') return `cannot resolve (${code ?? (e as Error).message})`;
    return isLink(p) ? 'link to a missing file' : null;
  }
  if (real !== realRoot && !real.startsWith(realRoot + sep)) return 'link points outside the served folder';
  try {
    if (!statSync(real).isFile()) return 'not a regular file';
    accessSync(real, constants.R_OK);
  } catch {
    return 'not readable';
  }
  return null;
}

function isLink(p: string): boolean {
  try {
    return lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}

function walkScans(dir: string, root: string, depth: number, out: string[]): void {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return;
  }
  for (const name of names) {
    if (out.length >= MAX_SCANS) return;
    if (name.startsWith('.') || name === 'node_modules') continue;
    const p = join(dir, name);
    let st;
    try {
      st = statSync(p);
    } catch {
      // a dangling link with a scan name is still reported (as skipped) by listScenes
      if (SCAN_EXTENSIONS.includes(extname(name).toLowerCase()))
        out.push(relative(root, p).split(sep).join('/'));
      continue;
    }
    if (st.isDirectory()) {
      if (depth < MAX_DEPTH) walkScans(p, root, depth + 1, out);
    } else if (SCAN_EXTENSIONS.includes(extname(name).toLowerCase())) {
      out.push(relative(root, p).split(sep).join('/'));
    }
  }
}

/** Lists the scenes of a data root (re-read on every call, so new files show up). */
export function listScenes(root: DataRoot): SceneListing {
  const title = basename(root.onlyFile ?? root.given.replace(/[/\\]+$/, '')) || root.dir;
  if (root.kind === 'predictions') {
    const index = readPredictionsIndex(root.dir);
    const skipped: SkippedFile[] = [];
    const scenes: SceneItem[] = [];
    for (const s of index.scenes) {
      const reason = unservableReason(root.dir, s.file);
      if (reason) {
        skipped.push({ file: s.file, reason });
        continue;
      }
      const item: SceneItem = { name: s.name, url: dataUrl(s.file) };
      const bytes = sizeOf(join(root.dir, ...s.file.split('/')));
      if (bytes !== undefined) item.bytes = bytes;
      if (s.points !== undefined) item.points = s.points;
      scenes.push(item);
    }
    return { kind: 'predictions', title, index, scenes, ...(skipped.length ? { skipped } : {}) };
  }
  const files = root.onlyFile ? [root.onlyFile] : [];
  if (!root.onlyFile) walkScans(root.dir, root.dir, 0, files);
  const skipped: SkippedFile[] = [];
  const scenes: SceneItem[] = [];
  for (const f of files) {
    const reason = unservableReason(root.dir, f);
    if (reason) {
      skipped.push({ file: f, reason });
      continue;
    }
    const item: SceneItem = { name: f.replace(/\.[^./]+$/, ''), url: dataUrl(f) };
    const bytes = sizeOf(join(root.dir, ...f.split('/')));
    if (bytes !== undefined) item.bytes = bytes;
    scenes.push(item);
  }
  return { kind: 'scans', title, scenes, ...(skipped.length ? { skipped } : {}) };
}

/** The package's datasets/ folder (same relative place from src/serve and dist/serve). */
export const DATASETS_DIR = fileURLToPath(new URL('../../datasets/', import.meta.url));

/** Loads every valid label set from `dir` (invalid files are reported through `warn`). */
export function loadLabelSets(dir = DATASETS_DIR, warn: (msg: string) => void = () => {}): LabelSet[] {
  if (!existsSync(dir)) return [];
  const sets: LabelSet[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (!name.endsWith('.json')) continue;
    const file = join(dir, name);
    try {
      sets.push(parseLabelSet(JSON.parse(readFileSync(file, 'utf8')), file));
    } catch (e) {
      warn((e as Error).message);
    }
  }
  return sets;
}
