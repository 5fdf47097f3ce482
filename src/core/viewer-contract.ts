/**
 * The viewer's data contract: the predictions `index.json`, the datasets/*.json label sets and
 * the scene listing of GET /api/scenes, validated with errors naming the file and key.
 * Platform-free: the server and the viewer both use it.
 */

/** One scene as the viewer sees it. */
export interface SceneItem {
  name: string;
  /** URL path under the server (/data/…). */
  url: string;
  /** File size in bytes; absent when the file is missing. */
  bytes?: number;
  points?: number;
}

/** The JSON body of GET /api/scenes. */
export interface SceneListing {
  kind: 'predictions' | 'scans';
  title: string;
  index?: PredictionsIndex;
  scenes: SceneItem[];
  /** Files that exist but are not listed (links outside the root, unreadable, not a file). */
  skipped?: SkippedFile[];
  /** The segmentation model the server offers (URL of its manifest folder), or why there is none. */
  model?: { url: string } | { reason: string };
}

/** A file left out of the listing because the server would not serve it. */
export interface SkippedFile {
  /** Path relative to the data root. */
  file: string;
  reason: string;
}

/** RGB, 0..255 each. */
export type Rgb = [number, number, number];

/** One class of a label set; `id` is the raw label value stored per point. */
export interface ClassInfo {
  id: number;
  name: string;
  color: Rgb;
  /** Id in the raw/source label space (e.g. NYU40 for scannet20), when the label set has one. */
  raw?: number;
}

/** An axis-aligned box (detection ground truth or prediction). */
export interface Box {
  label: number;
  center: [number, number, number];
  size: [number, number, number];
  score?: number;
}

/** The file of a predictions folder that lists its scenes (written last by `predict`). */
export const PREDICTIONS_INDEX = 'index.json';

/** One scene of a predictions folder. */
export interface SceneEntry {
  name: string;
  /** Path of the scene's PLY relative to the folder holding index.json. */
  file: string;
  points?: number;
  /** Point metrics against the scene's labels (percent; per_class leaves out classes with no IoU). */
  metrics?: {
    mIoU?: number;
    mAcc?: number;
    allAcc?: number;
    per_class?: Record<string, number>;
    [key: string]: unknown;
  };
  boxes?: { gt?: Box[]; pred?: Box[] };
}

/** The `index.json` of a predictions folder, as `predict` writes it and the viewer reads it. */
export interface PredictionsIndex {
  format: 'pointcontrast-predictions';
  version: 1;
  labelSet?: string;
  ignoreLabel: number;
  classes: ClassInfo[];
  /** The checkpoint folder that predicted the scenes. */
  checkpoint?: string;
  scenes: SceneEntry[];
}

/** A label set file (datasets/<name>.json). */
export interface LabelSet {
  name: string;
  ignoreLabel: number;
  classes: ClassInfo[];
  rawName?: string;
}

type Obj = Record<string, unknown>;

class Checker {
  constructor(private readonly file: string) {}
  fail(key: string, expected: string, got: unknown): never {
    const shown = JSON.stringify(got)?.slice(0, 60) ?? String(got);
    throw new Error(`${this.file}: ${key}: expected ${expected}, got ${shown}`);
  }
  obj(v: unknown, key: string): Obj {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) this.fail(key, 'an object', v);
    return v as Obj;
  }
  arr(v: unknown, key: string): unknown[] {
    if (!Array.isArray(v)) this.fail(key, 'an array', v);
    return v;
  }
  str(v: unknown, key: string): string {
    if (typeof v !== 'string' || v === '') this.fail(key, 'a non-empty string', v);
    return v;
  }
  num(v: unknown, key: string): number {
    if (typeof v !== 'number' || !Number.isFinite(v)) this.fail(key, 'a finite number', v);
    return v;
  }
  int(v: unknown, key: string, min = -Infinity): number {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
      this.fail(key, min === -Infinity ? 'an integer' : `an integer >= ${min}`, v);
    }
    return v;
  }
  vec3(v: unknown, key: string, min = -Infinity): [number, number, number] {
    const a = this.arr(v, key);
    if (a.length !== 3) this.fail(key, 'an array of 3 numbers', v);
    return a.map((x, i) => {
      const n = this.num(x, `${key}[${i}]`);
      if (n < min) this.fail(`${key}[${i}]`, `a number >= ${min}`, x);
      return n;
    }) as [number, number, number];
  }
}

function parseClasses(c: Checker, v: unknown, key: string): ClassInfo[] {
  const seen = new Set<number>();
  return c.arr(v, key).map((item, i) => {
    const k = `${key}[${i}]`;
    const o = c.obj(item, k);
    const id = c.int(o.id, `${k}.id`, 0);
    if (seen.has(id)) c.fail(`${k}.id`, 'a class id not used by an earlier class', id);
    seen.add(id);
    const color = c.arr(o.color, `${k}.color`);
    if (color.length !== 3) c.fail(`${k}.color`, '[r, g, b]', o.color);
    const rgb = color.map((x, j) => {
      const n = c.int(x, `${k}.color[${j}]`, 0);
      if (n > 255) c.fail(`${k}.color[${j}]`, 'an integer 0..255', x);
      return n;
    }) as Rgb;
    const info: ClassInfo = { id, name: c.str(o.name, `${k}.name`), color: rgb };
    if (o.raw !== undefined) info.raw = c.int(o.raw, `${k}.raw`);
    return info;
  });
}

/** True when `file` is a plain relative path that stays inside its folder. */
export function isSafeRelativePath(file: string): boolean {
  if (file.startsWith('/') || file.includes('\\') || file.includes('\0') || /^[a-zA-Z]:/.test(file))
    return false;
  return file.split('/').every((s) => s !== '' && s !== '.' && s !== '..');
}

function parseBoxes(c: Checker, v: unknown, key: string): Box[] {
  return c.arr(v, key).map((item, i) => {
    const k = `${key}[${i}]`;
    const o = c.obj(item, k);
    const box: Box = {
      label: c.int(o.label, `${k}.label`),
      center: c.vec3(o.center, `${k}.center`),
      size: c.vec3(o.size, `${k}.size`, 0),
    };
    if (o.score !== undefined) box.score = c.num(o.score, `${k}.score`);
    return box;
  });
}

function parseScene(c: Checker, item: unknown, k: string): SceneEntry {
  const o = c.obj(item, k);
  const file = c.str(o.file, `${k}.file`);
  if (!isSafeRelativePath(file)) c.fail(`${k}.file`, 'a relative path inside the predictions folder', file);
  const scene: SceneEntry = { name: c.str(o.name, `${k}.name`), file };
  if (o.points !== undefined) scene.points = c.int(o.points, `${k}.points`, 0);
  if (o.metrics !== undefined) {
    const m = c.obj(o.metrics, `${k}.metrics`);
    for (const key of ['mIoU', 'mAcc', 'allAcc'])
      if (m[key] !== undefined) c.num(m[key], `${k}.metrics.${key}`);
    if (m.per_class !== undefined) {
      const pc = c.obj(m.per_class, `${k}.metrics.per_class`);
      for (const [name, val] of Object.entries(pc)) c.num(val, `${k}.metrics.per_class.${name}`);
    }
    scene.metrics = m as SceneEntry['metrics'];
  }
  if (o.boxes !== undefined) {
    const b = c.obj(o.boxes, `${k}.boxes`);
    scene.boxes = {};
    if (b.gt !== undefined) scene.boxes.gt = parseBoxes(c, b.gt, `${k}.boxes.gt`);
    if (b.pred !== undefined) scene.boxes.pred = parseBoxes(c, b.pred, `${k}.boxes.pred`);
  }
  return scene;
}

/** Validates a parsed predictions index.json; throws an Error naming `file` and the bad key. */
export function parsePredictionsIndex(json: unknown, file: string): PredictionsIndex {
  const c = new Checker(file);
  const o = c.obj(json, '(top level)');
  if (o.format !== 'pointcontrast-predictions') c.fail('format', '"pointcontrast-predictions"', o.format);
  if (o.version !== 1) c.fail('version', '1', o.version);
  const names = new Set<string>();
  const scenes = c.arr(o.scenes, 'scenes').map((item, i) => {
    const s = parseScene(c, item, `scenes[${i}]`);
    if (names.has(s.name)) c.fail(`scenes[${i}].name`, 'a scene name not used by an earlier scene', s.name);
    names.add(s.name);
    return s;
  });
  const index: PredictionsIndex = {
    format: 'pointcontrast-predictions',
    version: 1,
    ignoreLabel: o.ignoreLabel === undefined ? -1 : c.int(o.ignoreLabel, 'ignoreLabel'),
    classes: parseClasses(c, o.classes, 'classes'),
    scenes,
  };
  if (o.labelSet !== undefined) index.labelSet = c.str(o.labelSet, 'labelSet');
  if (o.checkpoint !== undefined) index.checkpoint = c.str(o.checkpoint, 'checkpoint');
  return index;
}

/** Validates a label-set JSON (datasets/<name>.json); throws naming `file` and the bad key. */
export function parseLabelSet(json: unknown, file: string): LabelSet {
  const c = new Checker(file);
  const o = c.obj(json, '(top level)');
  const set: LabelSet = {
    name: c.str(o.name, 'name'),
    ignoreLabel: o.ignoreLabel === undefined ? -1 : c.int(o.ignoreLabel, 'ignoreLabel'),
    classes: parseClasses(c, o.classes, 'classes'),
  };
  if (typeof o.rawName === 'string') set.rawName = o.rawName;
  return set;
}
