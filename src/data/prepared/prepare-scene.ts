/**
 * Prepares one scene (load through its driver → encode → atomic write) and returns its manifest
 * entry; run in the main thread or in a preparation worker. Also rebuilds entries from headers.
 */
import { join } from 'node:path';
import type { LabelMap } from '../label-map.js';
import { datasetDriver } from '../datasets/registry.js';
import type { SceneTask, SourceOptions } from '../datasets/types.js';
import type { PreparedHeader } from './codec.js';
import { computeSceneStats, type ManifestScene, type SceneStats } from './manifest.js';
import { SCENE_SUFFIX, writePreparedSceneFile } from './scene-file.js';

/** What every scene job needs (structured-clonable, sent to workers as workerData). */
export interface PrepareContext {
  type: string;
  opts: SourceOptions;
  labelMap: LabelMap;
  out: string;
  /** Fingerprint of everything that changes the output; stored in each header (meta.key). */
  key: string;
}

/** Scene file name for a scene name. */
export function sceneFileName(name: string): string {
  return `${name}${SCENE_SUFFIX}`;
}

/** Loads, encodes and writes one scene; returns its manifest entry. */
export async function prepareScene(task: SceneTask, ctx: PrepareContext): Promise<ManifestScene> {
  const scene = await datasetDriver(ctx.type).load(task, ctx.opts, ctx.labelMap);
  const { cloud } = scene;
  const points = cloud.positions.length / 3;
  const stats = computeSceneStats(
    cloud.labels,
    cloud.instances,
    points,
    ctx.labelMap.classes.length,
    scene.boxes.length,
  );
  const notes = scene.meta;
  scene.name = task.name;
  scene.labelSet = ctx.labelMap.name;
  scene.meta = { key: ctx.key, stats, ...(notes ? { notes } : {}) };
  const file = sceneFileName(task.name);
  writePreparedSceneFile(join(ctx.out, file), scene);
  return entry(task, file, stats, notes);
}

function entry(
  task: SceneTask,
  file: string,
  stats: SceneStats,
  notes?: Record<string, unknown>,
): ManifestScene {
  const e: ManifestScene = { name: task.name, file, split: task.split, ...stats };
  if (notes && Object.keys(notes).length > 0) e.notes = notes;
  return e;
}

/** The manifest entry of an already prepared scene from its header, or undefined if it is stale. */
export function entryFromHeader(task: SceneTask, h: PreparedHeader, key: string): ManifestScene | undefined {
  const meta = h.meta as { key?: string; stats?: SceneStats; notes?: Record<string, unknown> } | undefined;
  if (!meta || meta.key !== key || !meta.stats || meta.stats.points !== h.points || h.name !== task.name)
    return undefined;
  return entry(task, sceneFileName(task.name), meta.stats, meta.notes);
}
