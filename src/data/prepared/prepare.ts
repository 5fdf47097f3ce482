/**
 * `data prepare` as a library call: raw dataset → one scene file per scene + manifest.json.
 * Resumable (finished scenes are skipped by header + size + options key; broken ones redone),
 * optionally parallel (worker_threads), and the manifest is written last.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { writeFileAtomic } from '../io/atomic-write.js';
import { runInWorkers, workerUrl } from '../../core/worker-pool.js';
import { datasetDriver } from '../datasets/registry.js';
import type { SceneTask, SourceOptions } from '../datasets/types.js';
import { FORMAT_VERSION } from './codec.js';
import { buildManifest, manifestToJson, type ManifestScene, type PreparedManifest } from './manifest.js';
import { entryFromHeader, prepareScene, sceneFileName, type PrepareContext } from './prepare-scene.js';
import { readPreparedHeaderFile } from './scene-file.js';

/** Options of `prepareDataset`. */
export interface PrepareOptions {
  /** Source type: a key of DATASETS (scannet, s3dis, ply-folder, synth). */
  type: string;
  source: SourceOptions;
  /** Output folder (created). */
  out: string;
  /** Worker threads (1 = in this thread). */
  workers?: number;
  /** Redo every scene even if a valid file exists. */
  force?: boolean;
  onProgress?: (done: number, total: number) => void;
}

/** What a preparation run did. */
export interface PrepareResult {
  out: string;
  manifest: PreparedManifest;
  /** Scenes written by this run. */
  prepared: number;
  /** Scenes whose valid file was kept. */
  skipped: number;
  /** Scenes whose existing file was invalid (truncated, corrupt) or stale and was redone. */
  redone: { name: string; reason: string }[];
  /** Leftover temp files of crashed runs that were deleted. */
  removedTempFiles: number;
  warnings: string[];
}

const SAFE_NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;

function packageVersion(): string {
  const url = new URL('../../../package.json', import.meta.url);
  return (JSON.parse(readFileSync(url, 'utf8')) as { version: string }).version;
}

/** 64-bit FNV-1a of a string, as hex (the options fingerprint stored in scene headers). */
export function fingerprint(text: string): string {
  let h = 0xcbf29ce484222325n;
  for (let i = 0; i < text.length; i++) {
    h ^= BigInt(text.charCodeAt(i));
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return h.toString(16).padStart(16, '0');
}

function pidAlive(pid: number): boolean {
  if (pid === process.pid) return false; // nothing of ours is in flight before we start
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Deletes temp files (".<file>.tmp-<pid>-<n>", see writeFileAtomic) left by dead processes. */
function removeStaleTemps(out: string): number {
  let n = 0;
  for (const f of readdirSync(out)) {
    const m = /^\..+\.tmp-(\d+)-\d+$/.exec(f);
    if (m && !pidAlive(Number(m[1]))) {
      rmSync(join(out, f), { force: true });
      n++;
    }
  }
  return n;
}

/** Prepares a dataset into `out`; see docs/datasets.md for the layout and resume rules. */
export async function prepareDataset(o: PrepareOptions): Promise<PrepareResult> {
  const driver = datasetDriver(o.type);
  const source: SourceOptions = { ...o.source };
  if (source.root) source.root = resolve(source.root);
  const plan = driver.plan(source);
  if (source.limit !== undefined) plan.tasks = plan.tasks.slice(0, source.limit);
  const seen = new Set<string>();
  for (const t of plan.tasks) {
    if (!SAFE_NAME.test(t.name)) throw new Error(`${o.type}: scene name '${t.name}' is not a safe file name`);
    if (seen.has(t.name)) throw new Error(`${o.type}: two scenes are named '${t.name}'`);
    seen.add(t.name);
  }
  const out = resolve(o.out);
  mkdirSync(out, { recursive: true });
  // No manifest while scenes are being (re)written: a crashed run must not claim missing scenes.
  rmSync(join(out, 'manifest.json'), { force: true });
  const removedTempFiles = removeStaleTemps(out);
  const key = fingerprint(
    JSON.stringify({
      type: o.type,
      root: source.root,
      options: plan.options,
      labelMap: plan.labelMap,
      FORMAT_VERSION,
    }),
  );
  const ctx: PrepareContext = { type: o.type, opts: source, labelMap: plan.labelMap, out, key };

  const entries: (ManifestScene | undefined)[] = new Array(plan.tasks.length);
  const todo: { index: number; task: SceneTask }[] = [];
  const redone: PrepareResult['redone'] = [];
  plan.tasks.forEach((task, index) => {
    const path = join(out, sceneFileName(task.name));
    if (!o.force && existsSync(path)) {
      try {
        const e = entryFromHeader(task, readPreparedHeaderFile(path), key);
        if (e) {
          entries[index] = e;
          return;
        }
        redone.push({ name: task.name, reason: 'prepared with other options' });
      } catch (err) {
        redone.push({ name: task.name, reason: (err as Error).message });
      }
    }
    todo.push({ index, task });
  });
  const total = plan.tasks.length;
  const skipped = total - todo.length;
  o.onProgress?.(skipped, total);
  const workers = Math.max(1, Math.floor(o.workers ?? 1));
  if (workers > 1 && todo.length > 1) {
    const results = await runInWorkers<SceneTask, ManifestScene>(
      workerUrl('./prepare-worker.js', import.meta.url),
      todo.map((t) => t.task),
      { workers, workerData: ctx, onProgress: (done) => o.onProgress?.(skipped + done, total) },
    );
    results.forEach((r, i) => (entries[todo[i].index] = r));
  } else {
    for (let i = 0; i < todo.length; i++) {
      entries[todo[i].index] = await prepareScene(todo[i].task, ctx);
      o.onProgress?.(skipped + i + 1, total);
    }
  }
  const manifest = buildManifest(
    plan.labelMap,
    entries as ManifestScene[],
    {
      type: o.type,
      ...(source.root ? { root: source.root } : {}),
      options: {
        ...plan.options,
        ...plan.splitOptions,
        ...(source.limit !== undefined ? { limit: source.limit } : {}),
      },
    },
    packageVersion(),
  );
  writeFileAtomic(join(out, 'manifest.json'), manifestToJson(manifest));
  return {
    out,
    manifest,
    prepared: todo.length,
    skipped,
    redone,
    removedTempFiles,
    warnings: plan.warnings ?? [],
  };
}
