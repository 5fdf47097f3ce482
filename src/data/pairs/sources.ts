/**
 * Where pair generation reads scenes from: synthetic scenes made on the fly, a folder of scans
 * (PLY/PCD/text files, or a prepared-dataset folder with manifest.json), or a folder of RGB-D
 * scenes in ScanNet's export layout. Planning lists the scenes; loading happens in the workers.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import type { PointCloud } from '../../geometry/point-cloud.js';
import { openPreparedDataset } from '../prepared/dataset.js';
import { readPointCloud } from '../io/read-cloud.js';
import { generateScene } from '../synth/index.js';
import { frameSequenceName, framesIntrinsicsFile, listFrameSequences } from '../rgbd/frames-layout.js';
import { synthSceneName } from '../synth/scene.js';
import type { Room } from './views.js';

/** One scene to turn into pairs; `key` names its output folder. */
export type SceneTask =
  | { kind: 'synth'; key: string; seed: number; pointsPerM2?: number }
  | { kind: 'scan'; key: string; file: string }
  | { kind: 'prepared'; key: string; root: string; name: string }
  | { kind: 'rgbd'; key: string; dir: string; layout: RgbdLayout };

/** ScanNet's SensorData export, or the 3DMatch toolbox / 7-Scenes frame files. */
export type RgbdLayout = 'scannet' | 'frames';

const SCAN_EXT = /\.(ply|pcd|txt|xyz)$/i;

/** The scan files under `root`, recursively, in name order (ScanNet's `.labels.ply` copies left out). */
export function listScanFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      // ScanNet ships x_vh_clean_2.ply and x_vh_clean_2.labels.ply with the same vertices: take one
      else if (SCAN_EXT.test(name) && !/\.labels\.ply$/i.test(name)) out.push(p);
    }
  };
  walk(root);
  return out;
}

function isRgbdScene(dir: string): boolean {
  return existsSync(join(dir, 'intrinsic', 'intrinsic_depth.txt'));
}

/** RGB-D scene folders under `root`: ScanNet exports (root or its sub-folders), else 3DMatch / 7-Scenes sequences. */
function rgbdSceneTasks(root: string): SceneTask[] {
  const scannet = isRgbdScene(root)
    ? [root]
    : readdirSync(root)
        .sort()
        .map((n) => join(root, n))
        .filter((d) => statSync(d).isDirectory() && isRgbdScene(d));
  if (scannet.length > 0)
    return scannet.map((dir) => ({
      kind: 'rgbd' as const,
      key: safeKey(basename(dir)),
      dir,
      layout: 'scannet' as const,
    }));
  return listFrameSequences(root)
    .filter((dir) => framesIntrinsicsFile(dir) !== undefined)
    .map((dir) => ({
      kind: 'rgbd' as const,
      key: safeKey(frameSequenceName(dir)),
      dir,
      layout: 'frames' as const,
    }));
}

/** A folder-safe key: path separators and odd characters become '_'. */
function safeKey(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]+/g, '_');
}

/** Lists the scenes of a source; throws naming the root when there is nothing to read. */
export function planScenes(
  from: 'synth' | 'scans' | 'rgbd',
  o: { root?: string; scenes?: number; seed: number; pointsPerM2?: number },
): SceneTask[] {
  if (from === 'synth') {
    const n = o.scenes ?? 0;
    if (!(Number.isInteger(n) && n > 0))
      throw new Error(`--from synth needs --scenes N (a positive integer), got ${o.scenes}`);
    return Array.from({ length: n }, (_, i) => ({
      kind: 'synth' as const,
      key: synthSceneName(o.seed + i),
      seed: o.seed + i,
      ...(o.pointsPerM2 ? { pointsPerM2: o.pointsPerM2 } : {}),
    }));
  }
  const root = o.root;
  if (!root) throw new Error(`--from ${from} needs --root DIR`);
  if (!existsSync(root) || !statSync(root).isDirectory()) throw new Error(`--root ${root}: not a folder`);
  let tasks: SceneTask[];
  if (from === 'rgbd') {
    tasks = rgbdSceneTasks(root);
    if (tasks.length === 0) {
      throw new Error(
        `${root}: no RGB-D scene found (ScanNet export: intrinsic/intrinsic_depth.txt, depth/, pose/; ` +
          `3DMatch / 7-Scenes: camera-intrinsics.txt beside frame-N.depth.png + frame-N.pose.txt)`,
      );
    }
  } else if (existsSync(join(root, 'manifest.json'))) {
    const ds = openPreparedDataset(root);
    tasks = ds.sceneNames().map((name) => ({ kind: 'prepared' as const, key: safeKey(name), root, name }));
  } else {
    tasks = listScanFiles(root).map((file) => ({
      kind: 'scan' as const,
      key: safeKey(relative(root, file).replace(SCAN_EXT, '')),
      file,
    }));
    if (tasks.length === 0)
      throw new Error(`${root}: no .ply, .pcd, .txt or .xyz scans (and no manifest.json)`);
  }
  const seen = new Set<string>();
  for (const t of tasks) {
    if (seen.has(t.key)) throw new Error(`${root}: two scenes map to the output folder '${t.key}'`);
    seen.add(t.key);
  }
  return tasks;
}

/** A loaded full scan: its cloud, name, and the room bounds cameras are placed in. */
export interface LoadedScan {
  name: string;
  cloud: PointCloud;
  /** Known bounds (synthetic rooms); undefined → estimated from the points. */
  room?: Room;
  source: string;
}

/** Loads a synth/scan/prepared task's full scan. */
export function loadScan(task: Exclude<SceneTask, { kind: 'rgbd' }>): LoadedScan {
  if (task.kind === 'synth') {
    const s = generateScene({
      seed: task.seed,
      ...(task.pointsPerM2 ? { pointsPerM2: task.pointsPerM2 } : {}),
    });
    return {
      name: s.name,
      cloud: s.cloud,
      room: { min: [...s.room.min], max: [...s.room.max] },
      source: `synth seed ${task.seed}`,
    };
  }
  if (task.kind === 'scan') return { name: task.key, cloud: readPointCloud(task.file), source: task.file };
  const scene = openPreparedDataset(task.root).readScene(task.name);
  return { name: scene.name, cloud: scene.cloud, source: `${task.root} ${task.name}` };
}
