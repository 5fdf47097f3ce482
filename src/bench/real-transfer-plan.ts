/**
 * What `bench real-transfer` runs, checked before anything trains: the ScanNet-layout train and
 * eval scenes, the initialisations (built-in recipes, a pre-training config, or a checkpoint
 * folder), the unlabelled real sources of the pre-training inits (never an eval scan), the label
 * budgets. Every bad name is an error that names it and says what was expected.
 */
import { existsSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { listScanNetScenes, scanFiles } from '../data/datasets/scannet.js';
import { hasFrameFiles, listFrameSequences } from '../data/rgbd/frames-layout.js';
import { listScanFiles } from '../data/pairs/sources.js';
import { findCheckpointDir } from '../train/checkpoint.js';
import { METHOD_TABLE, type TransferMethod } from './transfer-methods.js';

/**
 * The built-in initialisations: what each is (docs/benchmarks.md#real-scans) and whether it
 * pre-trains on the real pairs of `--pretrain-data`.
 */
export const REAL_INITS = {
  scratch: { what: 'random initialisation', realPairs: false },
  synthetic: {
    what: 'PointInfoNCE on synthetic partial-view pairs (configs/pretrain/synthetic-transfer.yaml)',
    realPairs: false,
  },
  real: {
    what: 'PointInfoNCE on pairs of the unlabelled real scans of --pretrain-data (configs/pretrain/real-scans.yaml)',
    realPairs: true,
  },
  'synthetic+real': {
    what: 'the synthetic backbone, pre-training continued on the real pairs',
    realPairs: true,
  },
  'real+radreg': {
    what: 'the real recipe with the RadReg regulariser, its unlabelled downstream batch drawn from the train scans (labels unused)',
    realPairs: true,
  },
  'synthetic-supervised': {
    what: 'segmentation trained on synthetic rooms with labels mapped to ScanNet20; for detection, then a detector trained on their boxes (head kept)',
    realPairs: false,
  },
  'synthetic-supervised-scanned': {
    what: "the synthetic-supervised network trained 2400 more steps on the same synthetic rooms virtually scanned (what a walk-around capture sees, thinned to 2 cm: configs/finetune/synthetic-supervised-scanned.yaml); for detection, a detector trained from it on the plain rooms' boxes",
    realPairs: false,
  },
  'synthetic-supervised-variety': {
    what: "as synthetic-supervised-scanned, its second stage on scanned rooms of the same seeds with furniture variety (sectional sofas, curtains along walls, more clutter: data synth --furniture-variety); for detection, a detector trained from it on the plain rooms' boxes",
    realPairs: false,
  },
  'synthetic-supervised-scanned-height': {
    what: 'synthetic-supervised-scanned with the height above the floor as an input (features ones-height: configs/finetune/synthetic-supervised-height.yaml, then synthetic-supervised-scanned-height.yaml); a network to answer in the complement rule (--complement-init); as an init, its cells need a seg config that reads height (real-transfer-height.yaml) and it has no detector',
    realPairs: false,
  },
  'synthetic-supervised+real': {
    what: 'the synthetic-supervised network (class layer replaced), pre-training continued on the real pairs',
    realPairs: true,
  },
} as const satisfies Record<string, { what: string; realPairs: boolean }>;

export type BuiltinInit = keyof typeof REAL_INITS;

/** One initialisation of the benchmark. */
export type InitSpec =
  | { name: string; kind: 'builtin'; builtin: BuiltinInit }
  /** A pre-training config run on the real pairs. */
  | { name: string; kind: 'recipe'; config: string }
  /** An existing checkpoint (or run) folder. */
  | { name: string; kind: 'checkpoint'; dir: string };

/** A label budget: labelled points per training scene, or every label. */
export type Budget = number | 'all';

/** The token of `--pretrain-data` that stands for the train scenes (their geometry, not their labels). */
export const TRAIN_SCENES_TOKEN = 'train';

/** A resolved unlabelled source: scan files (virtual views) or RGB-D sequence folders (frame pairs). */
export interface PretrainSource {
  /** The `--pretrain-data` entry it came from. */
  entry: string;
  kind: 'scans' | 'rgbd';
  /** Scan files (scans) or the RGB-D root (rgbd). */
  paths: string[];
}

const isDir = (p: string) => existsSync(p) && statSync(p).isDirectory();
const SCAN_EXT = /\.(ply|pcd|txt|xyz)$/i;

/** Parses a comma-separated list (empty entries dropped); `what` names the option in errors. */
export function parseList(v: string, what: string): string[] {
  const out = v
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (out.length === 0) throw new Error(`${what}: expected a comma-separated list, got '${v}'`);
  return out;
}

/** `--budgets 20,200,all`: positive integers (labelled points per training scene) or `all`. */
export function parseBudgets(v: string): Budget[] {
  return [
    ...new Set(
      parseList(v, '--budgets').map((s) => {
        if (s === 'all') return 'all' as const;
        const n = Number(s);
        if (!(Number.isInteger(n) && n > 0))
          throw new Error(
            `--budgets: '${s}' is neither a positive number of labelled points per scene nor 'all'`,
          );
        return n;
      }),
    ),
  ];
}

/** `--seeds 0,1,2`: distinct non-negative integers. */
export function parseSeeds(v: string): number[] {
  return [
    ...new Set(
      parseList(v, '--seeds').map((s) => {
        const n = Number(s);
        if (!(Number.isInteger(n) && n >= 0))
          throw new Error(`--seeds: '${s}' is not a non-negative integer`);
        return n;
      }),
    ),
  ];
}

/** `--tasks seg[,det]`. */
export function parseTasks(v: string): ('seg' | 'det')[] {
  return [
    ...new Set(
      parseList(v, '--tasks').map((s) => {
        if (s !== 'seg' && s !== 'det') throw new Error(`--tasks: unknown task '${s}' (expected seg, det)`);
        return s;
      }),
    ),
  ];
}

/** The scan folders of `scenes` under a ScanNet-layout root; unknown names are an error listing what is there. */
export function resolveScenes(
  root: string,
  scenes: readonly string[],
  what: string,
): { name: string; dir: string }[] {
  if (!isDir(root)) throw new Error(`${what}-root: '${root}' is not a folder`);
  let listed: { name: string; dir: string }[];
  try {
    listed = listScanNetScenes(root);
  } catch (e) {
    throw new Error(`${what}-root '${root}': ${(e as Error).message}`);
  }
  return scenes.map((s) => {
    const hit = listed.find((l) => l.name === s);
    if (!hit)
      throw new Error(
        `${what}-scenes: no scene '${s}' under '${root}' (it has ${listed.map((l) => l.name).join(', ')})`,
      );
    return hit;
  });
}

/**
 * An `--inits` entry: a built-in name, a pre-training config (`.yaml`, run on the real pairs) or a
 * checkpoint or run folder (with best/ or last/). `name=path` names a path entry.
 */
export function parseInit(entry: string, option = '--inits'): InitSpec {
  if (entry in REAL_INITS) return { name: entry, kind: 'builtin', builtin: entry as BuiltinInit };
  const eq = entry.indexOf('=');
  const name = eq > 0 ? entry.slice(0, eq) : basename(entry).replace(/\.ya?ml$/i, '');
  const path = eq > 0 ? entry.slice(eq + 1) : entry;
  if (/\.ya?ml$/i.test(path)) {
    if (!existsSync(path)) throw new Error(`${option}: pre-training config '${path}' does not exist`);
    return { name, kind: 'recipe', config: path };
  }
  if (isDir(path) && findCheckpointDir(path) !== undefined) return { name, kind: 'checkpoint', dir: path };
  throw new Error(
    `${option}: '${entry}' is not a built-in init (${Object.keys(REAL_INITS).join(', ')}), a pre-training config (.yaml) or a checkpoint folder (or a run folder with last/ or best/)`,
  );
}

/** The built-in inits that are segmentation networks of ScanNet20 classes (trained on synthetic labels). */
export const SEGMENTATION_INITS = [
  'synthetic-supervised',
  'synthetic-supervised-scanned',
  'synthetic-supervised-variety',
  'synthetic-supervised-scanned-height',
] as const satisfies readonly BuiltinInit[];

/**
 * `--complement-init`: the network that answers for the classes the labels lack in every
 * complement cell, instead of each cell's own init: a built-in segmentation init or a checkpoint
 * folder ([name=]path).
 */
export function parseComplementInit(entry: string): InitSpec {
  const spec = parseInit(entry, '--complement-init');
  if (
    spec.kind === 'recipe' ||
    (spec.kind === 'builtin' && !(SEGMENTATION_INITS as readonly string[]).includes(spec.builtin))
  )
    throw new Error(
      `--complement-init: '${entry}' is not a segmentation network; expected ${SEGMENTATION_INITS.join(', ')} or a segmentation checkpoint folder ([name=]path)`,
    );
  return spec;
}

/** Parses `--inits`; names must be distinct and `scratch` is always there (the gains pair against it). */
export function parseInits(v: string): InitSpec[] {
  const specs = parseList(v, '--inits').map((e) => parseInit(e));
  if (!specs.some((s) => s.name === 'scratch')) specs.unshift(parseInit('scratch'));
  const seen = new Set<string>();
  for (const s of specs) {
    if (seen.has(s.name)) throw new Error(`--inits: two entries are named '${s.name}' (use name=path)`);
    seen.add(s.name);
  }
  return specs;
}

function realOrSelf(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return resolve(p);
  }
}

/**
 * Resolves `--pretrain-data`: `train` (the train scenes' meshes, labels unused), a ScanNet-layout
 * root or scan folder (its `_vh_clean_2.ply` meshes), a folder of scans, one scan file, or an RGB-D
 * folder (ScanNet export or 3DMatch / 7-Scenes frames). An eval scene anywhere in it is refused.
 */
export function resolvePretrainData(
  entries: readonly string[],
  train: readonly { name: string; dir: string }[],
  evalScenes: readonly { name: string; dir: string }[],
): PretrainSource[] {
  const evalFiles = new Map<string, string>();
  for (const e of evalScenes) {
    const f = scanFiles(e.dir, e.name);
    for (const p of [f.mesh, f.labels]) if (existsSync(p)) evalFiles.set(realOrSelf(p), e.name);
  }
  const refuse = (entry: string, file: string, scene: string) => {
    throw new Error(
      `--pretrain-data: '${entry}' contains eval scene ${scene} (${file}); an eval scan never enters pre-training`,
    );
  };
  const sources = entries.map((entry): PretrainSource => {
    if (entry === TRAIN_SCENES_TOKEN)
      return { entry, kind: 'scans', paths: train.map((t) => scanFiles(t.dir, t.name).mesh) };
    if (!existsSync(entry)) throw new Error(`--pretrain-data: '${entry}' does not exist`);
    if (!isDir(entry)) {
      if (!SCAN_EXT.test(entry))
        throw new Error(`--pretrain-data: '${entry}' is not a .ply/.pcd/.txt/.xyz scan`);
      return { entry, kind: 'scans', paths: [entry] };
    }
    const rgbdScanNet =
      existsSync(join(entry, 'intrinsic', 'intrinsic_depth.txt')) ||
      readdirSync(entry).some((n) => existsSync(join(entry, n, 'intrinsic', 'intrinsic_depth.txt')));
    if (rgbdScanNet || hasFrameFiles(entry) || listFrameSequences(entry).length > 0) {
      for (const e of evalScenes)
        if (realOrSelf(entry).includes(e.name) || readdirSync(entry).some((n) => n.includes(e.name)))
          refuse(entry, entry, e.name);
      return { entry, kind: 'rgbd', paths: [entry] };
    }
    const files = listScanFiles(entry);
    if (files.length === 0)
      throw new Error(`--pretrain-data: '${entry}' holds no scans (.ply/.pcd/.txt/.xyz) and no RGB-D frames`);
    return { entry, kind: 'scans', paths: files };
  });
  for (const s of sources) {
    if (s.kind !== 'scans') continue;
    for (const p of s.paths) {
      const hit = evalFiles.get(realOrSelf(p));
      if (hit) refuse(s.entry, p, hit);
      for (const e of evalScenes) if (basename(p).includes(e.name)) refuse(s.entry, p, e.name);
    }
  }
  return sources;
}

/** What names a cell: one fine-tuning run and its evaluation. */
export interface CellId {
  task: string;
  init: string;
  method: string;
  budget: Budget;
  seed: number;
  /** Classes held out of the training labels (`--holdout-classes`; segmentation cells only). */
  heldOut?: readonly string[];
}

/** A cell's held-out classes as one token ('' when none). */
export function heldOutToken(c: { heldOut?: readonly string[] }): string {
  return c.heldOut?.length ? c.heldOut.join('+') : '';
}

/** A cell's key in results.json. */
export function cellKey(c: CellId): string {
  const ho = heldOutToken(c);
  return `${c.task}|${c.init}|${c.method}|${c.budget}|${c.seed}${ho ? `|ho=${ho}` : ''}`;
}

/** The folder name of a cell's fine-tuning run. */
export function cellRunName(c: CellId): string {
  const safe = (v: string) => v.replace(/[^A-Za-z0-9._+-]+/g, '_');
  const ho = heldOutToken(c);
  return `${c.task}-${c.budget === 'all' ? 'all' : `p${c.budget}`}-${safe(c.init)}-${c.method}-s${c.seed}${ho ? `-ho-${safe(ho)}` : ''}`;
}

/** A cell of a run: one task, init, method, label budget and seed. */
export interface CellPlan extends CellId {
  task: 'seg' | 'det';
  method: TransferMethod;
}

/**
 * Every cell of a run, in order: task, budget, seed, init, method. Detection runs at the 'all'
 * budget with plain fine-tuning only, and so does the complement rule; a method from scratch runs
 * only from scratch; scratch runs only plain fine-tuning and the methods that start from every
 * init (init 'any': the mixing ones), and the complement rule when another network answers in it.
 */
export function planCells(o: {
  tasks: readonly ('seg' | 'det')[];
  budgets: readonly Budget[];
  seeds: readonly number[];
  inits: readonly { name: string }[];
  methods: readonly TransferMethod[];
  /** Classes held out of the labels of every segmentation cell. */
  holdoutClasses?: readonly string[];
  /** A network answers in every complement cell (`--complement-init`): scratch's cells get one too. */
  complementInit?: InitSpec;
}): CellPlan[] {
  const cells: CellPlan[] = [];
  for (const task of o.tasks)
    for (const budget of task === 'det' ? (['all'] as const) : o.budgets)
      for (const seed of o.seeds)
        for (const { name } of o.inits)
          for (const method of o.methods) {
            const from = METHOD_TABLE[method].init;
            if (task === 'det' && method !== 'baseline') continue; // the methods are segmentation methods
            // its thresholds are calibrated on the labelled points: every label of the scans
            if (METHOD_TABLE[method].complementsInit && budget !== 'all') continue;
            if (from === 'scratch' && name !== 'scratch') continue;
            const answered = METHOD_TABLE[method].complementsInit && o.complementInit !== undefined;
            if (
              from !== 'scratch' &&
              from !== 'any' &&
              name === 'scratch' &&
              method !== 'baseline' &&
              !answered
            )
              continue;
            const heldOut = task === 'seg' && o.holdoutClasses?.length ? { heldOut: o.holdoutClasses } : {};
            cells.push({ task, init: name, method, budget, seed, ...heldOut });
          }
  return cells;
}
