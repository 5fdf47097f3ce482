/**
 * A folder of the user's own .ply / .pcd scans (searched recursively) → prepared scenes. Labels
 * come from a `label` property mapped through a class list; train/ val/ test/ subfolders give splits.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { PointCloud } from '../../geometry/point-cloud.js';
import { parsePointCloud } from '../formats/index.js';
import { boxClassMask, mapRawLabels, rawToTrainLut, type LabelMap } from '../label-map.js';
import type { PreparedScene } from '../prepared/codec.js';
import { instanceBoxes, instanceMajorityLabels } from './instance-boxes.js';
import { loadLabelMap } from './label-maps.js';
import { assignSplits } from './splits.js';
import type { DatasetDriver, SceneTask, SourceOptions } from './types.js';

const EXTENSIONS = /\.(ply|pcd)$/i;
const SPLIT_DIRS = new Set(['train', 'val', 'test']);

/** The label map of a folder prepared without --classes: no classes, every point unlabelled. */
export const UNLABELLED: LabelMap = { name: 'unlabelled', ignoreLabel: -1, classes: [] };

/** All .ply/.pcd files under `root` (hidden entries skipped), as paths relative to root, sorted. */
export function listCloudFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      if (name.startsWith('.')) continue;
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (EXTENSIONS.test(name)) out.push(relative(root, p));
    }
  };
  walk(root);
  return out;
}

/** Scene name and default split of a relative file path: a leading train/val/test folder is the split. */
export function sceneNameOf(rel: string): { name: string; split?: string } {
  const parts = rel.replace(EXTENSIONS, '').split(sep);
  const split = parts.length > 1 && SPLIT_DIRS.has(parts[0]) ? parts.shift() : undefined;
  const name = parts
    .join('__')
    .replace(/[^A-Za-z0-9._-]/g, '_')
    .replace(/^[.-]/, '_');
  return split ? { name, split } : { name };
}

function plan(opts: SourceOptions) {
  if (!opts.root) throw new Error('ply-folder: --root is required (a folder of .ply / .pcd files)');
  if (!existsSync(opts.root) || !statSync(opts.root).isDirectory()) {
    throw new Error(`ply-folder: root '${opts.root}' is not a folder`);
  }
  const labelMap = opts.classes ? loadLabelMap(opts.classes) : UNLABELLED;
  const files = listCloudFiles(opts.root);
  if (files.length === 0) throw new Error(`ply-folder: no .ply or .pcd files under '${opts.root}'`);
  const named = files.map((f) => ({ file: f, ...sceneNameOf(f) }));
  const splitOf = new Map(named.map((n) => [n.name, n.split ?? 'train']));
  const { splits, warnings } = assignSplits(
    named.map((n) => n.name),
    opts,
    (n) => splitOf.get(n)!,
  );
  const tasks: SceneTask[] = named.map((n) => ({
    name: n.name,
    split: splits.get(n.name)!,
    src: { path: join(opts.root!, n.file) },
  }));
  return {
    labelMap,
    tasks,
    options: { labelMap: labelMap.name, classes: labelMap.classes.map((c) => c.name) },
    splitOptions: { splitFiles: opts.splitFiles ?? [], val: opts.val ?? [] },
    warnings,
  };
}

/**
 * Loads one file: raw `label` values → train ids through the map (unknown → ignore); instance
 * ids ≥ 0 kept, each instance's class is the majority of its points' labels, boxes per the map.
 */
export function loadCloudFile(name: string, path: string, labelMap: LabelMap): PreparedScene {
  const b = readFileSync(path);
  const src = parsePointCloud(new Uint8Array(b.buffer, b.byteOffset, b.byteLength), path);
  const cloud: PointCloud = { positions: src.positions };
  if (src.colors) cloud.colors = src.colors;
  if (src.normals) cloud.normals = src.normals;
  if (src.properties) cloud.properties = src.properties;
  const notes: Record<string, unknown> = { source: path };
  const k = labelMap.classes.length;
  if (src.labels && k > 0)
    cloud.labels = mapRawLabels(src.labels, rawToTrainLut(labelMap), labelMap.ignoreLabel);
  else if (src.labels) notes.labelsIgnored = 'the file has labels but no --classes was given';
  else if (k > 0) notes.noLabelProperty = true;
  let boxes: PreparedScene['boxes'] = [];
  if (src.instances) {
    cloud.instances = src.instances.map((v) => (v < 0 ? -1 : v));
    if (cloud.labels) {
      const instLabel = instanceMajorityLabels(cloud.instances, cloud.labels, k);
      boxes = instanceBoxes(cloud.positions, cloud.instances, instLabel, boxClassMask(labelMap));
    }
  }
  return { name, cloud, boxes, labelSet: labelMap.name, meta: notes };
}

/** The `ply-folder` source of `data prepare`. */
export const plyFolderDriver: DatasetDriver = {
  plan,
  load: (task, _opts, labelMap) => loadCloudFile(task.name, task.src.path as string, labelMap),
};
