/**
 * S3DIS (Stanford3dDataset_v1.2[_Aligned_Version]): Area_N/<room>/Annotations/<class>_<k>.txt rows
 * "x y z r g b" → one scene per room; each annotation file is one instance; Area 5 = val by default.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { boxClassMask, rawIdOfName, rawToTrainLut, type LabelMap } from '../label-map.js';
import type { PreparedScene } from '../prepared/codec.js';
import { instanceBoxes } from './instance-boxes.js';
import { loadLabelMap } from './label-maps.js';
import { assignSplits } from './splits.js';
import type { DatasetDriver, SceneTask, SourceOptions } from './types.js';
import { parseXyzRgbText } from './xyzrgb-text.js';

const natural = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });
const isDir = (p: string) => existsSync(p) && statSync(p).isDirectory();

/** Train id of an S3DIS annotation class name (via rawClasses, else by class name); undefined if unknown. */
export function s3disClassId(map: LabelMap, className: string, lut = rawToTrainLut(map)): number | undefined {
  if (map.rawClasses) {
    const raw = rawIdOfName(map, className);
    return raw === undefined ? undefined : (lut[raw] ?? map.ignoreLabel);
  }
  return map.classes.find((c) => c.name === className)?.id;
}

/** Lists the rooms of an S3DIS root: [{ area number, area folder, room, dir }] in natural order. */
export function listS3disRooms(root: string): { area: number; areaDir: string; room: string; dir: string }[] {
  if (!isDir(root)) throw new Error(`s3dis: root '${root}' is not a folder`);
  const areas = readdirSync(root)
    .filter((n) => /^Area_\d+$/.test(n) && isDir(join(root, n)))
    .sort(natural);
  if (areas.length === 0) throw new Error(`s3dis: no Area_N folders in '${root}' (expected Area_1 … Area_6)`);
  return areas.flatMap((a) =>
    readdirSync(join(root, a))
      .filter((r) => isDir(join(root, a, r, 'Annotations')))
      .sort(natural)
      .map((room) => ({ area: Number(a.slice(5)), areaDir: a, room, dir: join(root, a, room) })),
  );
}

function plan(opts: SourceOptions) {
  if (!opts.root) throw new Error('s3dis: --root is required (the folder holding Area_1 … Area_6)');
  const labelMap = loadLabelMap(opts.classes ?? 's3dis13');
  const valAreas = opts.valAreas ?? [5];
  const rooms = listS3disRooms(opts.root);
  const names = rooms.map((r) => `${r.areaDir}_${r.room}`);
  const areaOf = new Map(rooms.map((r, i) => [names[i], r.area]));
  const { splits, warnings } = assignSplits(names, opts, (n) =>
    valAreas.includes(areaOf.get(n)!) ? 'val' : 'train',
  );
  const tasks: SceneTask[] = rooms.map((r, i) => ({
    name: names[i],
    split: splits.get(names[i])!,
    src: { dir: r.dir },
  }));
  return {
    labelMap,
    tasks,
    options: { skipBadLines: opts.skipBadLines ?? false, labelMap: labelMap.name },
    splitOptions: { valAreas, splitFiles: opts.splitFiles ?? [], val: opts.val ?? [] },
    warnings,
  };
}

/** Loads one room: annotation files concatenated in natural order, instance = file index. */
export function loadS3disRoom(
  name: string,
  dir: string,
  labelMap: LabelMap,
  skipBadLines = false,
): PreparedScene {
  const annDir = join(dir, 'Annotations');
  const files = readdirSync(annDir)
    .filter((f) => f.endsWith('.txt'))
    .sort(natural);
  if (files.length === 0) throw new Error(`s3dis: ${annDir}: no <class>_<k>.txt annotation files`);
  const lut = rawToTrainLut(labelMap);
  const parts = files.map((f) => {
    const path = join(annDir, f);
    const m = /^(.+)_\d+\.txt$/.exec(f);
    if (!m) throw new Error(`s3dis: ${path}: expected an annotation file named <class>_<k>.txt`);
    const label = s3disClassId(labelMap, m[1], lut);
    if (label === undefined) {
      const known = labelMap.rawClasses ?? labelMap.classes.map((c) => c.name);
      throw new Error(
        `s3dis: ${path}: unknown class '${m[1]}' (label map ${labelMap.name} knows ${known.join(', ')})`,
      );
    }
    return { path, label, rows: parseXyzRgbText(readFileSync(path), path, { skipBadLines }) };
  });
  const n = parts.reduce((s, p) => s + p.rows.positions.length / 3, 0);
  const positions = new Float32Array(n * 3);
  const colors = new Uint8Array(n * 3);
  const labels = new Int32Array(n);
  const instances = new Int32Array(n);
  let off = 0;
  const badLines: { file: string; lines: number; first: number[] }[] = [];
  parts.forEach((p, k) => {
    const m = p.rows.positions.length / 3;
    positions.set(p.rows.positions, off * 3);
    colors.set(p.rows.colors, off * 3);
    labels.fill(p.label, off, off + m);
    instances.fill(k, off, off + m);
    off += m;
    if (p.rows.badLines > 0)
      badLines.push({ file: p.path, lines: p.rows.badLines, first: p.rows.badLineNumbers });
  });
  const instLabel = parts.map((p) => p.label);
  const boxes = instanceBoxes(positions, instances, instLabel, boxClassMask(labelMap));
  const meta: Record<string, unknown> = { source: dir, annotationFiles: files.length };
  if (badLines.length > 0) meta.skippedBadLines = badLines;
  return { name, cloud: { positions, colors, labels, instances }, boxes, labelSet: labelMap.name, meta };
}

/** The `s3dis` source of `data prepare`. */
export const s3disDriver: DatasetDriver = {
  plan,
  load: (task, opts, labelMap) =>
    loadS3disRoom(task.name, task.src.dir as string, labelMap, opts.skipBadLines),
};
