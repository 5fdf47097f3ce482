/**
 * YAML configs: `_base_` inheritance (a path or list of paths relative to the file, deep-merged
 * in order, the file's own keys last), `--set a.b=value` overrides (values parsed as YAML), and
 * validation with a zod schema whose errors name the file and the key.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseDocument, parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { parseOrThrow } from '../core/zod-errors.js';

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Deep merge: objects merge key by key, everything else (arrays included) is replaced. */
export function deepMerge(base: unknown, over: unknown): unknown {
  if (!isObj(base) || !isObj(over)) return over;
  const out: Obj = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = k in base ? deepMerge(base[k], v) : v;
  return out;
}

function readYaml(path: string, chain: string[]): Obj {
  if (chain.includes(path)) throw new Error(`${path}: _base_ cycle (${[...chain, path].join(' → ')})`);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new Error(
      `${path}: cannot read config (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
    );
  }
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    const err = doc.errors[0];
    const pos = err.linePos?.[0];
    throw new Error(
      `${path}${pos ? `:${pos.line}:${pos.col}` : ''}: invalid YAML: ${err.message.split('\n')[0]}`,
    );
  }
  const value = doc.toJS() ?? {};
  if (!isObj(value)) throw new Error(`${path}: a config must be a YAML mapping at the top level`);
  const bases = value._base_;
  delete value._base_;
  if (bases === undefined) return value;
  const list = Array.isArray(bases) ? bases : [bases];
  let merged: unknown = {};
  for (const b of list) {
    if (typeof b !== 'string') throw new Error(`${path}: _base_ must be a path or a list of paths`);
    merged = deepMerge(merged, readYaml(resolve(dirname(path), b), [...chain, path]));
  }
  return deepMerge(merged, value) as Obj;
}

/** Applies one `a.b.c=value` override (value parsed as YAML: numbers, booleans, null, lists). */
export function applyOverride(cfg: Obj, assignment: string): void {
  const eq = assignment.indexOf('=');
  if (eq <= 0) throw new Error(`--set ${assignment}: expected key=value (e.g. --set optim.lr=0.1)`);
  const path = assignment.slice(0, eq).split('.');
  const raw = assignment.slice(eq + 1);
  let value: unknown;
  try {
    value = parseYaml(raw);
  } catch {
    value = raw;
  }
  let node: Obj = cfg;
  for (const key of path.slice(0, -1)) {
    if (!isObj(node[key])) node[key] = {};
    node = node[key] as Obj;
  }
  node[path[path.length - 1]] = value;
}

/** Reads a config file with its bases and overrides (unvalidated). */
export function loadConfigObject(path: string, overrides: string[] = []): Obj {
  const cfg = readYaml(resolve(path), []);
  for (const o of overrides) applyOverride(cfg, o);
  return cfg;
}

/**
 * Where the user set the dotted `key` themselves: a `--set` of it (or of a section holding it),
 * else the config file's own keys (not its `_base_` files). Undefined when the value comes from a
 * base file or a schema default.
 */
export function explicitSetting(path: string, overrides: string[], key: string): string | undefined {
  for (const o of overrides) {
    const k = o.slice(0, Math.max(0, o.indexOf('=')));
    if (k === key || key.startsWith(`${k}.`)) return `--set ${o}`;
  }
  let node: unknown = parseYaml(readFileSync(resolve(path), 'utf8'));
  for (const part of key.split('.')) {
    if (!isObj(node) || !(part in node)) return undefined;
    node = node[part];
  }
  return path;
}

/** Validates `cfg` against `schema`; throws one error listing every problem by file and key. */
export function validateConfig<S extends z.ZodType>(schema: S, cfg: unknown, file: string): z.output<S> {
  return parseOrThrow(schema, cfg, '', file);
}
