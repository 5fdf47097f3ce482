/**
 * Label maps as data (datasets/*.json): validation with errors naming the file and key, the
 * raw-id → train-id look-up table, names and palette. Platform-free: training, evaluation
 * tables and the viewer legend all read the same map through this module.
 */

/** One training class of a label map. */
export interface LabelClass {
  /** Train id, 0..K-1. */
  id: number;
  /** Raw dataset id(s) mapped to this class (nyu40 id, S3DIS raw index, …); default: the train id. */
  raw?: number | number[];
  name: string;
  color: [number, number, number];
  /** Whether instances of this class get boxes (3D detection); see `boxClassMask`. */
  detection?: boolean;
}

/** A label map: raw ids → train ids 0..K-1, everything else → `ignoreLabel`. */
export interface LabelMap {
  name: string;
  description?: string;
  ignoreLabel: number;
  /** Name of the raw label space (e.g. "nyu40"). */
  rawName?: string;
  /** Names of raw ids by index, when the raw space is named by strings (S3DIS file names). */
  rawClasses?: string[];
  /** Sorted by train id. */
  classes: LabelClass[];
}

const MAX_RAW = 1 << 20;

function fail(file: string, key: string, expected: string, got: unknown): never {
  const shown = got === undefined ? 'nothing' : JSON.stringify(got);
  throw new Error(`${file}: key '${key}': expected ${expected}, got ${shown?.slice(0, 80)}`);
}

function isInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v);
}

function parseClass(v: unknown, i: number, file: string): LabelClass {
  const key = `classes[${i}]`;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(file, key, 'an object', v);
  const o = v as Record<string, unknown>;
  const known = new Set(['id', 'raw', 'name', 'color', 'detection']);
  for (const k of Object.keys(o))
    if (!known.has(k)) fail(file, `${key}.${k}`, `one of ${[...known].join(', ')}`, k);
  if (!isInt(o.id) || o.id < 0) fail(file, `${key}.id`, 'a non-negative integer', o.id);
  if (typeof o.name !== 'string' || o.name.length === 0)
    fail(file, `${key}.name`, 'a non-empty string', o.name);
  const c = o.color;
  if (!Array.isArray(c) || c.length !== 3 || !c.every((x) => isInt(x) && x >= 0 && x <= 255)) {
    fail(file, `${key}.color`, '[r, g, b] with integers 0..255', c);
  }
  const out: LabelClass = { id: o.id, name: o.name, color: [c[0], c[1], c[2]] };
  if (o.raw !== undefined) {
    const raws = Array.isArray(o.raw) ? o.raw : [o.raw];
    if (raws.length === 0 || !raws.every((r) => isInt(r) && r >= 0 && r < MAX_RAW)) {
      fail(file, `${key}.raw`, `a raw id 0..${MAX_RAW - 1} or a non-empty list of them`, o.raw);
    }
    out.raw = Array.isArray(o.raw) ? (raws as number[]) : (o.raw as number);
  }
  if (o.detection !== undefined) {
    if (typeof o.detection !== 'boolean') fail(file, `${key}.detection`, 'true or false', o.detection);
    out.detection = o.detection;
  }
  return out;
}

/** Validates a parsed label-map JSON value; errors name `file` and the offending key. */
export function parseLabelMap(value: unknown, file = 'label map'): LabelMap {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    fail(file, '(root)', 'an object', value);
  const o = value as Record<string, unknown>;
  if (typeof o.name !== 'string' || o.name.length === 0) fail(file, 'name', 'a non-empty string', o.name);
  const ignoreLabel = o.ignoreLabel ?? -1;
  if (!isInt(ignoreLabel) || ignoreLabel < -32768 || ignoreLabel > 32767) {
    fail(file, 'ignoreLabel', 'an int16 integer (usually -1)', o.ignoreLabel);
  }
  if (o.rawName !== undefined && typeof o.rawName !== 'string') fail(file, 'rawName', 'a string', o.rawName);
  if (o.description !== undefined && typeof o.description !== 'string') {
    fail(file, 'description', 'a string', o.description);
  }
  let rawClasses: string[] | undefined;
  if (o.rawClasses !== undefined) {
    if (!Array.isArray(o.rawClasses) || !o.rawClasses.every((s) => typeof s === 'string')) {
      fail(file, 'rawClasses', 'a list of strings', o.rawClasses);
    }
    rawClasses = o.rawClasses as string[];
    if (new Set(rawClasses).size !== rawClasses.length) fail(file, 'rawClasses', 'unique names', rawClasses);
  }
  if (!Array.isArray(o.classes) || o.classes.length === 0)
    fail(file, 'classes', 'a non-empty list', o.classes);
  const classes = o.classes.map((c, i) => parseClass(c, i, file));
  const k = classes.length;
  const byId: LabelClass[] = new Array(k);
  classes.forEach((c, i) => {
    if (c.id >= k) fail(file, `classes[${i}].id`, `a train id 0..${k - 1} (ids must be 0..K-1)`, c.id);
    if (byId[c.id]) fail(file, `classes[${i}].id`, 'a train id used by one class only', c.id);
    byId[c.id] = c;
  });
  if (ignoreLabel >= 0 && ignoreLabel < k)
    fail(file, 'ignoreLabel', `a value outside the train ids 0..${k - 1}`, ignoreLabel);
  const seenRaw = new Map<number, number>();
  classes.forEach((c, i) => {
    for (const r of rawIds(c)) {
      if (seenRaw.has(r))
        fail(file, `classes[${i}].raw`, `a raw id not already used by classes[${seenRaw.get(r)}]`, r);
      seenRaw.set(r, i);
      if (rawClasses && r >= rawClasses.length) {
        fail(file, `classes[${i}].raw`, `an index into rawClasses (0..${rawClasses.length - 1})`, r);
      }
    }
  });
  const names = new Set<string>();
  classes.forEach((c, i) => {
    if (names.has(c.name)) fail(file, `classes[${i}].name`, 'a class name used once', c.name);
    names.add(c.name);
  });
  const map: LabelMap = { name: o.name, ignoreLabel, classes: byId };
  if (o.description !== undefined) map.description = o.description as string;
  if (o.rawName !== undefined) map.rawName = o.rawName as string;
  if (rawClasses) map.rawClasses = rawClasses;
  return map;
}

/** The raw ids of a class (its train id when `raw` is absent). */
export function rawIds(c: LabelClass): number[] {
  if (c.raw === undefined) return [c.id];
  return Array.isArray(c.raw) ? c.raw : [c.raw];
}

/** A label map from a plain list of class names: ids and raw ids 0..K-1, a generated palette. */
export function labelMapFromNames(names: string[], name: string, file = name): LabelMap {
  const classes = names.map((n, id) => ({ id, name: n, color: defaultColor(id) }));
  return parseLabelMap({ name, ignoreLabel: -1, rawName: 'index', classes }, file);
}

/**
 * Parses a class-list file: label-map JSON, or plain text with one class name per line
 * (blank lines and `#` comments skipped; CRLF tolerated) → ids 0..K-1.
 */
export function parseClassList(text: string, file: string, name = 'classes'): LabelMap {
  const trimmed = text.replace(/^\uFEFF/, '').trimStart();
  if (trimmed.startsWith('{')) {
    let json: unknown;
    try {
      json = JSON.parse(trimmed);
    } catch (e) {
      throw new Error(`${file}: not valid JSON: ${(e as Error).message}`);
    }
    return parseLabelMap(json, file);
  }
  const names: string[] = [];
  text.split(/\r?\n/).forEach((line) => {
    const s = line.trim();
    if (s.length > 0 && !s.startsWith('#')) names.push(s);
  });
  if (names.length === 0) throw new Error(`${file}: expected one class name per line, found none`);
  const seen = new Map<string, number>();
  names.forEach((n, i) => {
    if (seen.has(n))
      throw new Error(`${file}: class '${n}' listed twice (entries ${seen.get(n)! + 1} and ${i + 1})`);
    seen.set(n, i);
  });
  return labelMapFromNames(names, name, file);
}

/** Look-up table indexed by raw id (length = max raw id + 1) giving the train id or `ignoreLabel`. */
export function rawToTrainLut(map: LabelMap): Int32Array {
  let max = 0;
  for (const c of map.classes) for (const r of rawIds(c)) max = Math.max(max, r);
  const lut = new Int32Array(max + 1).fill(map.ignoreLabel);
  for (const c of map.classes) for (const r of rawIds(c)) lut[r] = c.id;
  return lut;
}

/** Maps raw labels through a LUT; raw ids outside the table (or negative) become `ignoreLabel`. */
export function mapRawLabels(raw: ArrayLike<number>, lut: Int32Array, ignoreLabel: number): Int32Array {
  const out = new Int32Array(raw.length);
  const n = lut.length;
  for (let i = 0; i < raw.length; i++) {
    const r = raw[i];
    out[i] = r >= 0 && r < n ? lut[r] : ignoreLabel;
  }
  return out;
}

/** Raw id of a raw class name (via `rawClasses`), or undefined. */
export function rawIdOfName(map: LabelMap, name: string): number | undefined {
  const i = map.rawClasses?.indexOf(name) ?? -1;
  return i >= 0 ? i : undefined;
}

/**
 * Train ids of the named classes; an unknown name is an error naming `where` (the config key or
 * option), the name, and the classes there are.
 */
export function trainIdsOfNames(
  classes: readonly { id: number; name: string }[],
  names: readonly string[],
  where: string,
): number[] {
  return names.map((n) => {
    const c = classes.find((k) => k.name === n);
    if (!c)
      throw new Error(
        `${where}: unknown class '${n}' (expected some of ${classes.map((k) => k.name).join(', ')})`,
      );
    return c.id;
  });
}

/** A copy of `labels` with the train ids `ids` set to `ignore` (the labels themselves when `ids` is empty). */
export function dropLabels(labels: Int32Array, ids: readonly number[], ignore: number): Int32Array {
  if (ids.length === 0) return labels;
  const drop = new Uint8Array(Math.max(...ids) + 1);
  for (const id of ids) drop[id] = 1;
  return Int32Array.from(labels, (l) => (l >= 0 && l < drop.length && drop[l] === 1 ? ignore : l));
}

/** Class names by train id. */
export function classNames(map: LabelMap): string[] {
  return map.classes.map((c) => c.name);
}

/** Palette by train id: K×3 bytes. */
export function palette(map: LabelMap): Uint8Array {
  const p = new Uint8Array(map.classes.length * 3);
  map.classes.forEach((c, i) => p.set(c.color, i * 3));
  return p;
}

/**
 * Which train ids get boxes: `detection: true` classes when any class sets the flag, else all
 * classes (plain class lists carry no flags).
 */
export function boxClassMask(map: LabelMap): boolean[] {
  const flagged = map.classes.some((c) => c.detection !== undefined);
  return map.classes.map((c) => (flagged ? c.detection === true : true));
}

/** A distinct, deterministic colour for class `i` (golden-angle hue walk). */
export function defaultColor(i: number): [number, number, number] {
  const h = (i * 137.508) % 360;
  const s = 0.65;
  const v = i % 2 === 0 ? 0.9 : 0.7;
  const f = (n: number) => {
    const k = (n + h / 60) % 6;
    return Math.round(255 * (v - v * s * Math.max(0, Math.min(k, 4 - k, 1))));
  };
  return [f(5), f(3), f(1)];
}
