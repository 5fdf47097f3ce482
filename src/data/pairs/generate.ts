/**
 * `generatePairs`: the whole pair pipeline over a source (synth | scans | rgbd) into an output
 * folder, scenes in parallel on worker threads, resumable (finished scenes and valid pair files are
 * kept), ending with an atomically written `pairs.json`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeJsonAtomic } from '../io/atomic-write.js';
import { runInWorkers, workerUrl } from '../../core/worker-pool.js';
import {
  buildPairsManifest,
  parsePairsManifest,
  settingsDiff,
  type PairGenSettings,
  type PairsManifest,
  type SceneRecord,
} from './manifest.js';
import { finishedScene, processScene, type SceneContext } from './scene-task.js';
import { planScenes, type SceneTask } from './sources.js';
import type { VirtualCameraOptions } from './views.js';

/** Options of `generatePairs` (defaults in parentheses). */
export interface GeneratePairsOptions {
  from: 'synth' | 'scans' | 'rgbd';
  /** Input folder (scans, rgbd). */
  root?: string;
  out: string;
  /** Number of synthetic scenes (synth). */
  scenes?: number;
  /** Virtual views per full scan (8). */
  viewsPerScene?: number;
  /** Minimum overlap of a kept pair (0.3). */
  minOverlap?: number;
  /** Pre-training voxel (0.025 m) and correspondence radius in voxels (1.5). */
  voxel?: number;
  radiusVoxels?: number;
  /** Voxel of the overlap test (0.05 m, PointContrast's). */
  overlapVoxel?: number;
  /** Storage downsampling of the views (= voxel; 0 keeps every point). */
  storeVoxel?: number;
  /** RGB-D: keep frames whose id is a multiple of this (25). */
  frameSkip?: number;
  /** Seed of synthetic scenes (scene i uses seed + i) and of the virtual cameras (0). */
  seed?: number;
  /** Synthetic sampling density (the generator's default). */
  pointsPerM2?: number;
  /** Virtual camera settings (views.ts defaults). */
  camera?: VirtualCameraOptions;
  /** Worker threads (1 = in this thread). */
  workers?: number;
  /** Scenes done (including skipped ones) out of the total. */
  onProgress?: (done: number, total: number) => void;
}

/** What a run did. */
export interface GeneratePairsResult {
  manifest: PairsManifest;
  /** Scenes reused from an earlier run / generated now. */
  scenesSkipped: number;
  scenesGenerated: number;
  /** Pairs of the scenes generated in this run. */
  pairsGenerated: number;
  seconds: number;
}

function check(name: string, v: number, ok: boolean, what: string): number {
  if (!ok || !Number.isFinite(v)) throw new Error(`${name}: expected ${what}, got ${v}`);
  return v;
}

/** Validated settings with defaults filled in. */
export function resolvePairSettings(o: GeneratePairsOptions): PairGenSettings {
  const voxel = o.voxel ?? 0.025;
  const s: PairGenSettings = {
    from: o.from,
    seed: check('--seed', o.seed ?? 0, Number.isSafeInteger(o.seed ?? 0), 'an integer'),
    voxel: check('--voxel', voxel, voxel > 0, 'a positive size in metres'),
    radiusVoxels: check(
      '--radius-voxels',
      o.radiusVoxels ?? 1.5,
      (o.radiusVoxels ?? 1.5) > 0,
      'a positive number',
    ),
    minOverlap: check(
      '--min-overlap',
      o.minOverlap ?? 0.3,
      (o.minOverlap ?? 0.3) >= 0 && (o.minOverlap ?? 0.3) <= 1,
      'a fraction in [0, 1]',
    ),
    overlapVoxel: check(
      '--overlap-voxel',
      o.overlapVoxel ?? 0.05,
      (o.overlapVoxel ?? 0.05) > 0,
      'a positive size in metres',
    ),
    storeVoxel: check(
      '--store-voxel',
      o.storeVoxel ?? voxel,
      (o.storeVoxel ?? voxel) >= 0,
      'a size ≥ 0 in metres',
    ),
    viewsPerScene: check(
      '--views-per-scene',
      o.viewsPerScene ?? 8,
      Number.isInteger(o.viewsPerScene ?? 8) && (o.viewsPerScene ?? 8) >= 2,
      'an integer ≥ 2',
    ),
    frameSkip: check(
      '--frame-skip',
      o.frameSkip ?? 25,
      Number.isInteger(o.frameSkip ?? 25) && (o.frameSkip ?? 25) >= 1,
      'a positive integer',
    ),
    camera: { ...(o.camera ?? {}) },
  };
  if (o.pointsPerM2 !== undefined)
    s.pointsPerM2 = check('--points-per-m2', o.pointsPerM2, o.pointsPerM2 > 0, 'a positive density');
  return s;
}

/** Generates (or completes) a pair folder; see docs/pairs.md. */
export async function generatePairs(o: GeneratePairsOptions): Promise<GeneratePairsResult> {
  const t0 = performance.now();
  const settings = resolvePairSettings(o);
  const tasks = planScenes(o.from, {
    root: o.root,
    scenes: o.scenes,
    seed: settings.seed,
    pointsPerM2: settings.pointsPerM2,
  });
  const manifestPath = join(o.out, 'pairs.json');
  if (existsSync(manifestPath)) {
    const old = parsePairsManifest(readFileSync(manifestPath, 'utf8'), manifestPath);
    const diff = settingsDiff(old.settings, settings);
    if (diff.length > 0) {
      const show = (s: PairGenSettings, k: string) => JSON.stringify(s[k as keyof PairGenSettings]);
      throw new Error(
        `${manifestPath}: generated with other settings (${diff.map((k) => `${k}: ${show(old.settings, k)} → ${show(settings, k)}`).join(', ')}); use another --out`,
      );
    }
  }
  const ctx: SceneContext = { out: o.out, settings };
  const records: (SceneRecord | undefined)[] = tasks.map((t) => finishedScene(o.out, t.key, settings));
  const todo = tasks.map((task, index) => ({ task, index })).filter((t) => !records[t.index]);
  const skipped = tasks.length - todo.length;
  o.onProgress?.(skipped, tasks.length);
  const workers = Math.max(1, Math.floor(o.workers ?? 1));
  if (workers > 1 && todo.length > 1) {
    const results = await runInWorkers<SceneTask, SceneRecord>(
      workerUrl('./pairs-worker.js', import.meta.url),
      todo.map((t) => t.task),
      { workers, workerData: ctx, onProgress: (done) => o.onProgress?.(skipped + done, tasks.length) },
    );
    results.forEach((r, i) => (records[todo[i].index] = r));
  } else {
    todo.forEach(({ task, index }, i) => {
      records[index] = processScene(task, ctx);
      o.onProgress?.(skipped + i + 1, tasks.length);
    });
  }
  const manifest = buildPairsManifest(settings, records as SceneRecord[]);
  writeJsonAtomic(manifestPath, manifest);
  return {
    manifest,
    scenesSkipped: skipped,
    scenesGenerated: todo.length,
    pairsGenerated: todo.reduce((n, t) => n + records[t.index]!.pairs.length, 0),
    seconds: (performance.now() - t0) / 1000,
  };
}
