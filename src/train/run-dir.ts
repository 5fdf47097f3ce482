/**
 * Run folders (DESIGN.md "Files"): `config.yaml` (resolved), `metrics.jsonl` (one JSON object per
 * logged step or evaluation; written and read only here), the checkpoints (`checkpoints/step-<N>/`,
 * `last/`, `best/`: checkpoint.ts), `predictions/`, `summary.md`. Default location
 * runs/<config name>-<time>.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic, writeJsonAtomic } from '../data/io/atomic-write.js';
import { parse, stringify } from 'yaml';
import { loaderStateSchema, type LoaderState } from '../data/loader/types.js';
import { parseOrThrow } from '../core/zod-errors.js';
import {
  bestCheckpointDir,
  checkpointMetaFile,
  hasCheckpoint,
  lastCheckpointDir,
  readCheckpointMeta,
  stepCheckpointDir,
} from './checkpoint.js';

/** One record of metrics.jsonl: a logged training step or an evaluation, keyed by `step`. */
export type MetricsRecord = Record<string, unknown>;

/** A timestamp usable in folder names (UTC, no colons). */
export function runStamp(d = new Date()): string {
  return d.toISOString().replace(/[:]/g, '').replace(/\..*$/, '');
}

export class RunDir {
  constructor(readonly path: string) {
    mkdirSync(path, { recursive: true });
  }

  /** The default folder for a config name. */
  static defaultPath(configName: string, root = 'runs'): string {
    return join(root, `${configName}-${runStamp()}`);
  }

  /** Writes the resolved config; `notes` become comment lines at its top (e.g. where the backbone came from). */
  writeConfig(cfg: unknown, notes: readonly string[] = []): void {
    const header = notes.map((n) => `# ${n}\n`).join('');
    writeFileAtomic(join(this.path, 'config.yaml'), header + stringify(cfg));
  }

  /** The comment lines at the top of the run's config.yaml (none when it has no such file). */
  configNotes(): string[] {
    const path = join(this.path, 'config.yaml');
    if (!existsSync(path)) return [];
    const lines = readFileSync(path, 'utf8').split('\n');
    const end = lines.findIndex((l) => !l.startsWith('# '));
    return lines.slice(0, end < 0 ? lines.length : end).map((l) => l.slice(2));
  }

  /** The run's metrics.jsonl (named in errors). */
  get metricsFile(): string {
    return join(this.path, 'metrics.jsonl');
  }

  /** Appends one metrics record (a JSON line). */
  log(record: MetricsRecord): void {
    appendFileSync(this.metricsFile, `${JSON.stringify(record)}\n`);
  }

  /** The metrics lines with their records; a line that is not a JSON object (cut by a crash) is left out. */
  private metricsLines(): { line: string; record: MetricsRecord }[] {
    if (!existsSync(this.metricsFile)) return [];
    const out: { line: string; record: MetricsRecord }[] = [];
    for (const line of readFileSync(this.metricsFile, 'utf8').split('\n')) {
      if (line.trim() === '') continue;
      let record: unknown;
      try {
        record = JSON.parse(line);
      } catch {
        continue;
      }
      if (typeof record === 'object' && record !== null && !Array.isArray(record))
        out.push({ line, record: record as MetricsRecord });
    }
    return out;
  }

  /** The metrics records in the order logged (none before the first). */
  metrics(): MetricsRecord[] {
    return this.metricsLines().map((l) => l.record);
  }

  /** Keeps only the records at or before `step` (a resumed run logs again what came after). */
  dropMetricsAfter(step: number): void {
    if (!existsSync(this.metricsFile)) return;
    const keep = this.metricsLines()
      .filter(({ record }) => typeof record.step === 'number' && record.step <= step)
      .map((l) => l.line);
    writeFileAtomic(this.metricsFile, keep.length ? `${keep.join('\n')}\n` : '');
  }

  writeSummary(markdown: string): void {
    writeFileAtomic(join(this.path, 'summary.md'), markdown);
  }

  get last(): string {
    return lastCheckpointDir(this.path);
  }
  get best(): string {
    return bestCheckpointDir(this.path);
  }
  stepDir(step: number): string {
    return stepCheckpointDir(this.path, step);
  }
  get predictions(): string {
    return join(this.path, 'predictions');
  }
  hasCheckpoint(): boolean {
    return RunDir.hasCheckpointAt(this.path);
  }

  /** True when `path` holds a run's `last/` checkpoint (without creating the folder). */
  static hasCheckpointAt(path: string): boolean {
    return hasCheckpoint(lastCheckpointDir(path));
  }

  /**
   * The run's labelled-data selection (`selection.json`, so a limited-label split is
   * reproducible): read back on resume, else chosen by `choose` (given this run) and written.
   */
  selection<S>(resume: boolean | undefined, choose: (run: RunDir) => S): S {
    const path = join(this.path, 'selection.json');
    if (resume) return JSON.parse(readFileSync(path, 'utf8')) as S;
    const chosen = choose(this);
    writeJsonAtomic(path, chosen);
    return chosen;
  }

  /** The data loader's position saved with the last checkpoint (for an exact resume). */
  loaderState(): LoaderState | undefined {
    const { dir, meta } = readCheckpointMeta(this.last);
    const state = meta.trainState?.loader;
    if (state === undefined) return undefined;
    return parseOrThrow(loaderStateSchema, state, 'trainState.loader', checkpointMetaFile(dir));
  }

  /**
   * True once the run ended (max steps, time budget or early stop): `summary.md` is written
   * after the final checkpoint. `last/` alone does not say so: it is rewritten at every
   * periodic checkpoint, so a killed run has one too.
   */
  isFinished(): boolean {
    return existsSync(join(this.path, 'summary.md'));
  }
}

/** A setting in which a finished run's resolved config differs from the one it would be made with now. */
export interface ConfigChange {
  /** Dotted key, e.g. `train.maxSteps`. */
  key: string;
  was: unknown;
  now: unknown;
}

/**
 * The settings that differ between two resolved configs, compared key by key where both have the
 * key (a key only one has, e.g. one added to a schema since, is not a change); arrays compare
 * whole. `ignore` lists dotted keys (and their subtrees) not compared, e.g. folder paths.
 */
export function configChanges(
  was: unknown,
  now: unknown,
  ignore: readonly string[] = [],
  prefix = '',
): ConfigChange[] {
  if (ignore.includes(prefix)) return [];
  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isObject(was) && isObject(now)) {
    return Object.keys(now)
      .filter((k) => k in was)
      .flatMap((k) => configChanges(was[k], now[k], ignore, prefix ? `${prefix}.${k}` : k));
  }
  return JSON.stringify(was) === JSON.stringify(now) ? [] : [{ key: prefix, was, now }];
}

/**
 * Runs a training into `path` unless it already finished there: `start(resume)` begins it, or
 * continues it from its last checkpoint when an earlier attempt was cut off. Returns what
 * `start` returned, or undefined for a finished run that is reused as it is. With `recipe`, a
 * finished run whose config.yaml differs from `recipe.now()` (outside `recipe.ignore`) is not
 * reused silently: `recipe.changed` is called with the changes, and what it throws stops the work.
 */
export async function runUnlessFinished<T>(
  path: string,
  start: (resume: boolean) => Promise<T>,
  recipe?: { now: () => unknown; ignore: readonly string[]; changed: (changes: ConfigChange[]) => never },
): Promise<T | undefined> {
  const run = new RunDir(path);
  if (run.isFinished()) {
    const file = join(path, 'config.yaml');
    if (recipe && existsSync(file)) {
      const changes = configChanges(parse(readFileSync(file, 'utf8')), recipe.now(), recipe.ignore);
      if (changes.length > 0) recipe.changed(changes);
    }
    return undefined;
  }
  return start(run.hasCheckpoint());
}

/**
 * Where a fine-tuning run starts or resumes, before anything is written: the resolved config
 * (the run's own config.yaml on --resume) and the folder, which is not created here.
 */
export function runTarget<C extends { name: string }>(
  opts: { config: string; out?: string; resume?: boolean; overrides?: string[] },
  resolve: (file: string, overrides?: string[]) => C,
): { cfg: C; path: string } {
  if (opts.resume) {
    if (!opts.out || !existsSync(join(opts.out, 'config.yaml')))
      throw new Error('--resume needs --out <run folder> with a config.yaml');
    return { cfg: resolve(join(opts.out, 'config.yaml'), opts.overrides), path: opts.out };
  }
  const cfg = resolve(opts.config, opts.overrides);
  const path = opts.out ?? RunDir.defaultPath(cfg.name);
  if (RunDir.hasCheckpointAt(path))
    throw new Error(`${path} already holds a run; use --resume or another --out`);
  return { cfg, path };
}
