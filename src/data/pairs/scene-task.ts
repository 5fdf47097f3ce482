/**
 * One scene → its pair files: load (or render/back-project) the views, select the overlapping
 * view pairs, compute correspondences, write each pair file atomically (a valid existing file is
 * kept), then write `<key>/scene.json`, the record that lets a re-run skip the whole scene.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic, writeJsonAtomic } from '../io/atomic-write.js';
import { openRgbdScene } from '../rgbd/scannet-layout.js';
import { openFramesScene } from '../rgbd/frames-layout.js';
import { buildPair, overlappingPairs, type PairSettings } from './make-pairs.js';
import {
  sceneRecordSchema,
  settingsDiff,
  type PairEntry,
  type PairGenSettings,
  type SceneRecord,
} from './manifest.js';
import { decodePairHeader, encodePair } from './pair-file.js';
import { rgbdViews } from './rgbd-views.js';
import { Rng } from '../../core/rng.js';
import { loadScan, type SceneTask } from './sources.js';
import { roomBoundsOf, scanViews, type View, type VirtualCameraOptions } from './views.js';

/** What every scene task needs besides the task itself. */
export interface SceneContext {
  out: string;
  settings: PairGenSettings;
}

/** Path of a scene's record file. */
export function sceneRecordPath(out: string, key: string): string {
  return join(out, key, 'scene.json');
}

/**
 * The finished record of a scene if it is complete under the same settings (record valid, every
 * pair file present with the recorded size); otherwise undefined.
 */
export function finishedScene(out: string, key: string, settings: PairGenSettings): SceneRecord | undefined {
  const path = sceneRecordPath(out, key);
  if (!existsSync(path)) return undefined;
  try {
    const rec = sceneRecordSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
    if (settingsDiff(rec.settings, settings).length > 0) return undefined;
    for (const p of rec.pairs) {
      const f = join(out, p.file);
      if (!existsSync(f) || statSync(f).size !== p.bytes) return undefined;
    }
    return rec;
  } catch {
    return undefined;
  }
}

function pairSettings(s: PairGenSettings): PairSettings {
  return {
    voxel: s.voxel,
    radiusVoxels: s.radiusVoxels,
    minOverlap: s.minOverlap,
    overlapVoxel: s.overlapVoxel,
  };
}

type Timing = NonNullable<SceneRecord['ms']>;

/** The views of a scene and its display name/source; adds the load and view times to `ms`. */
function sceneViews(
  task: SceneTask,
  s: PairGenSettings,
  ms: Timing,
): { name: string; source: string; views: View[]; dropped: SceneRecord['dropped'] } {
  let t = performance.now();
  if (task.kind === 'rgbd') {
    const scene = task.layout === 'frames' ? openFramesScene(task.dir) : openRgbdScene(task.dir);
    const { views, dropped } = rgbdViews(scene, { frameSkip: s.frameSkip, storeVoxel: s.storeVoxel });
    ms.load = performance.now() - t;
    return { name: scene.name, source: task.dir, views, dropped };
  }
  const scan = loadScan(task);
  ms.load = performance.now() - t;
  t = performance.now();
  const room = scan.room ?? roomBoundsOf(scan.cloud.positions);
  const views = scanViews(scan.cloud, room, Rng.keyed(s.seed, task.key).rand(), {
    ...(s.camera as VirtualCameraOptions),
    count: s.viewsPerScene,
    storeVoxel: s.storeVoxel,
  });
  const dropped =
    views.length < s.viewsPerScene
      ? [{ id: '*', reason: `only ${views.length} of ${s.viewsPerScene} virtual views saw enough points` }]
      : [];
  ms.views = performance.now() - t;
  return { name: scan.name, source: scan.source, views, dropped };
}

/** Generates (or completes) one scene's pairs and returns its record. */
export function processScene(task: SceneTask, ctx: SceneContext): SceneRecord {
  const { out, settings } = ctx;
  const ms: Timing = { load: 0, views: 0, overlap: 0, correspondences: 0, write: 0 };
  const { name, source, views, dropped } = sceneViews(task, settings, ms);
  const ps = pairSettings(settings);
  let t = performance.now();
  const { pairs, tested } = overlappingPairs(views, ps);
  ms.overlap = performance.now() - t;
  const entries: PairEntry[] = [];
  for (const c of pairs) {
    const a = views[c.a];
    const b = views[c.b];
    const file = `${task.key}/${a.id}_${b.id}.pair`;
    const path = join(out, file);
    let header;
    if (existsSync(path)) {
      try {
        header = decodePairHeader(readFileSync(path), path);
      } catch {
        header = undefined; // damaged or truncated: rewrite it
      }
    }
    let bytes: number;
    let corr: number;
    if (header && header.views[0].id === a.id && header.views[1].id === b.id) {
      bytes = header.byteLength;
      corr = header.correspondences;
    } else {
      t = performance.now();
      const pair = buildPair(name, a, b, c.overlap, ps);
      ms.correspondences += performance.now() - t;
      t = performance.now();
      const data = encodePair(pair);
      writeFileAtomic(path, data);
      ms.write += performance.now() - t;
      bytes = data.length;
      corr = pair.corr.length / 2;
    }
    entries.push({
      file,
      scene: name,
      views: [a.id, b.id],
      overlap: c.overlap.overlap,
      points: [a.positions.length / 3, b.positions.length / 3],
      correspondences: corr,
      bytes,
    });
  }
  const record: SceneRecord = {
    key: task.key,
    name,
    source,
    views: views.length,
    tested,
    dropped,
    pairs: entries,
    settings,
    ms: Object.fromEntries(Object.entries(ms).map(([k, v]) => [k, Math.round(v)])) as Timing,
  };
  writeJsonAtomic(sceneRecordPath(out, task.key), record);
  return record;
}
