/**
 * Split assignment for `data prepare`: split list files (one scene name per line), `--val` names,
 * and a default split for scenes no list mentions. Validates that listed scenes exist.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

/** A parsed "split=path" or bare path argument; the split name is inferred from the file name. */
export function parseSplitFileArg(arg: string): { split: string; path: string } {
  const m = /^([A-Za-z0-9_-]+)=(.+)$/.exec(arg);
  if (m) return { split: m[1], path: m[2] };
  const inferred = /(train|val|test)/i.exec(basename(arg));
  if (!inferred) {
    throw new Error(
      `split file '${arg}': cannot tell the split from the name; write it as <split>=<path>, e.g. val=${arg}`,
    );
  }
  return { split: inferred[1].toLowerCase(), path: arg };
}

/** Reads one scene name per line (blank lines and # comments skipped, CRLF tolerated). */
export function readSplitList(path: string): string[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new Error(`split file '${path}': ${(e as Error).message}`);
  }
  return text
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0 && !s.startsWith('#'));
}

/**
 * Split per scene: `--val` names → "val", then split files, then `defaultSplit(name)`. Names a
 * split file lists but the dataset lacks (a partial download) become warnings; unknown `--val`
 * names are errors.
 */
export function assignSplits(
  names: readonly string[],
  opts: { splitFiles?: string[]; val?: string[] },
  defaultSplit: (name: string) => string = () => 'train',
): { splits: Map<string, string>; warnings: string[] } {
  const known = new Set(names);
  const out = new Map<string, string>();
  const warnings: string[] = [];
  for (const arg of opts.splitFiles ?? []) {
    const { split, path } = parseSplitFileArg(arg);
    const listed = readSplitList(path);
    const absent = listed.filter((name) => !known.has(name));
    if (absent.length > 0) {
      warnings.push(
        `split file '${path}': ${absent.length} of ${listed.length} listed scenes are not in the dataset (first: ${absent[0]})`,
      );
    }
    listed.forEach((name) => {
      if (!known.has(name)) return;
      const prev = out.get(name);
      if (prev !== undefined && prev !== split) {
        throw new Error(`split file '${path}': scene '${name}' is already in split '${prev}'`);
      }
      out.set(name, split);
    });
  }
  for (const name of opts.val ?? []) {
    if (!known.has(name)) throw new Error(`--val: scene '${name}' is not in the dataset`);
    out.set(name, 'val');
  }
  for (const name of names) if (!out.has(name)) out.set(name, defaultSplit(name));
  return { splits: out, warnings };
}
