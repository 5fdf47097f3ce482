/**
 * Streaming reader of a pair folder for the training loader: the manifest is read once, pairs are
 * loaded one file at a time (sync by index, or an async iterator that reads ahead one file).
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parsePairsManifest, type PairEntry, type PairsManifest } from './manifest.js';
import { decodePair, type PointPair } from './pair-file.js';

/** An opened pair folder. */
export interface PairDataset {
  dir: string;
  manifest: PairsManifest;
  /** Number of pairs. */
  size: number;
  /** Manifest entry of pair i. */
  entry(i: number): PairEntry;
  /** Loads pair i (synchronously). */
  read(i: number): PointPair;
  /** Loads the pairs in `order` (default 0..size−1) one at a time, reading the next file while the caller works. */
  stream(order?: readonly number[]): AsyncGenerator<PointPair>;
}

/** Reads one pair file; errors name the file. */
export function readPairFile(path: string): PointPair {
  return decodePair(readFileSync(path), path);
}

/** Opens a folder written by `generatePairs` / `data pairs`. */
export function openPairDataset(dir: string): PairDataset {
  const path = join(dir, 'pairs.json');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new Error(`${dir}: no pairs.json (not a pair folder, or 'data pairs' did not finish; re-run it)`);
  }
  const manifest = parsePairsManifest(text, path);
  const size = manifest.pairs.length;
  const checkIndex = (i: number) => {
    if (!(Number.isInteger(i) && i >= 0 && i < size))
      throw new RangeError(`${path}: pair index ${i} outside 0..${size - 1}`);
  };
  const check = (p: PointPair, e: PairEntry, file: string): PointPair => {
    if (
      p.view0.positions.length / 3 !== e.points[0] ||
      p.view1.positions.length / 3 !== e.points[1] ||
      p.corr.length / 2 !== e.correspondences
    ) {
      throw new Error(
        `${file}: point or correspondence counts differ from ${path} (stale manifest? re-run 'data pairs')`,
      );
    }
    return p;
  };
  return {
    dir,
    manifest,
    size,
    entry(i) {
      checkIndex(i);
      return manifest.pairs[i];
    },
    read(i) {
      checkIndex(i);
      const e = manifest.pairs[i];
      const file = join(dir, e.file);
      return check(readPairFile(file), e, file);
    },
    async *stream(order) {
      const idx = order ?? Array.from({ length: size }, (_, i) => i);
      idx.forEach(checkIndex);
      const load = (i: number) => {
        const file = join(dir, manifest.pairs[i].file);
        const p = readFile(file).then((b) => ({ b, file, i }));
        p.catch(() => {}); // a read-ahead the caller never reaches must not become an unhandled rejection
        return p;
      };
      let next = idx.length > 0 ? load(idx[0]) : undefined;
      for (let k = 0; k < idx.length; k++) {
        const { b, file, i } = await next!;
        next = k + 1 < idx.length ? load(idx[k + 1]) : undefined;
        yield check(decodePair(b, file), manifest.pairs[i], file);
      }
    },
  };
}
