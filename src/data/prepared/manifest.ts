/**
 * manifest.json of a prepared dataset: scenes (name, file, split, points, label histogram, box
 * count), splits, the label map inline, palette, totals, source and versions. Platform-free.
 */
import type { LabelClass, LabelMap } from '../label-map.js';
import { FORMAT_VERSION } from './codec.js';

export const MANIFEST_FORMAT = 'pointcontrast-prepared';
export const MANIFEST_VERSION = 1;

/** Per-scene numbers stored in the manifest (and in each scene file's header meta.stats). */
export interface SceneStats {
  points: number;
  /** Points per train id (length K). */
  histogram: number[];
  /** Points with the ignore label (or no label array at all). */
  ignored: number;
  /** Distinct instance ids ≥ 0. */
  instances: number;
  boxes: number;
}

/** One scene entry of the manifest. */
export interface ManifestScene extends SceneStats {
  name: string;
  /** File name relative to the manifest's folder. */
  file: string;
  split: string;
  /** Notes from preparation (skipped bad lines, label mismatches, …). */
  notes?: Record<string, unknown>;
}

/** The manifest of a prepared dataset. */
export interface PreparedManifest {
  format: typeof MANIFEST_FORMAT;
  version: number;
  source: { type: string; root?: string; options: Record<string, unknown> };
  versions: { pointcontrast: string; sceneFormat: number };
  labelMap: { name: string; rawName?: string; description?: string; rawClasses?: string[] };
  /** The label map's classes inline (id, name, color, raw, detection). */
  classes: LabelClass[];
  palette: [number, number, number][];
  ignoreLabel: number;
  splits: Record<string, string[]>;
  scenes: ManifestScene[];
  points: { total: number; bySplit: Record<string, number> };
  /** Points per train id over all scenes, and ignored points. */
  histogram: number[];
  ignored: number;
  created: string;
}

/** Label histogram, ignored count, instance count of a labelled cloud. */
export function computeSceneStats(
  labels: Int32Array | undefined,
  instances: Int32Array | undefined,
  points: number,
  numClasses: number,
  boxes: number,
): SceneStats {
  const histogram = new Array<number>(numClasses).fill(0);
  let ignored = labels ? 0 : points;
  if (labels) {
    const h = new Float64Array(numClasses);
    for (let i = 0; i < labels.length; i++) {
      const l = labels[i];
      if (l >= 0 && l < numClasses) h[l]++;
      else ignored++;
    }
    for (let c = 0; c < numClasses; c++) histogram[c] = h[c];
  }
  const ids = new Set<number>();
  if (instances) for (let i = 0; i < instances.length; i++) if (instances[i] >= 0) ids.add(instances[i]);
  return { points, histogram, ignored, instances: ids.size, boxes };
}

/** Builds the manifest from the label map and the per-scene entries (in plan order). */
export function buildManifest(
  labelMap: LabelMap,
  scenes: ManifestScene[],
  source: PreparedManifest['source'],
  pointcontrastVersion: string,
): PreparedManifest {
  const k = labelMap.classes.length;
  const splits: Record<string, string[]> = {};
  const bySplit: Record<string, number> = {};
  const histogram = new Array<number>(k).fill(0);
  let total = 0;
  let ignored = 0;
  for (const s of scenes) {
    (splits[s.split] ??= []).push(s.name);
    bySplit[s.split] = (bySplit[s.split] ?? 0) + s.points;
    total += s.points;
    ignored += s.ignored;
    s.histogram.forEach((v, c) => (histogram[c] += v));
  }
  const lm: PreparedManifest['labelMap'] = { name: labelMap.name };
  if (labelMap.rawName) lm.rawName = labelMap.rawName;
  if (labelMap.description) lm.description = labelMap.description;
  if (labelMap.rawClasses) lm.rawClasses = labelMap.rawClasses;
  return {
    format: MANIFEST_FORMAT,
    version: MANIFEST_VERSION,
    source,
    versions: { pointcontrast: pointcontrastVersion, sceneFormat: FORMAT_VERSION },
    labelMap: lm,
    classes: labelMap.classes,
    palette: labelMap.classes.map((c) => c.color),
    ignoreLabel: labelMap.ignoreLabel,
    splits,
    scenes,
    points: { total, bySplit },
    histogram,
    ignored,
    created: new Date().toISOString(),
  };
}

/** The manifest's label map, for code that wants a `LabelMap`. */
export function manifestLabelMap(m: PreparedManifest): LabelMap {
  const map: LabelMap = { name: m.labelMap.name, ignoreLabel: m.ignoreLabel, classes: m.classes };
  if (m.labelMap.rawName) map.rawName = m.labelMap.rawName;
  if (m.labelMap.rawClasses) map.rawClasses = m.labelMap.rawClasses;
  return map;
}

/** Validates a parsed manifest.json enough to use it; errors name the file and key. */
export function parseManifest(value: unknown, file: string): PreparedManifest {
  const m = value as PreparedManifest;
  const bad = (key: string, what: string): never => {
    throw new Error(`${file}: key '${key}': expected ${what}`);
  };
  if (typeof m !== 'object' || m === null) bad('(root)', 'an object');
  if (m.format !== MANIFEST_FORMAT) bad('format', `"${MANIFEST_FORMAT}", got ${JSON.stringify(m.format)}`);
  if (m.version !== MANIFEST_VERSION)
    bad('version', `${MANIFEST_VERSION} (this reader's version), got ${m.version}`);
  if (!Array.isArray(m.classes)) bad('classes', 'a list of classes (empty for unlabelled data)');
  if (!Array.isArray(m.scenes)) bad('scenes', 'a list');
  m.scenes.forEach((s, i) => {
    if (typeof s?.name !== 'string') bad(`scenes[${i}].name`, 'a string');
    if (typeof s.file !== 'string' || s.file.includes('..'))
      bad(`scenes[${i}].file`, 'a file name inside the folder');
    if (!Number.isInteger(s.points)) bad(`scenes[${i}].points`, 'an integer');
    if (typeof s.split !== 'string') bad(`scenes[${i}].split`, 'a string');
  });
  if (typeof m.splits !== 'object' || m.splits === null) bad('splits', 'an object of split → scene names');
  return m;
}

/** JSON text with short number arrays kept on one line (histograms, colours). */
export function manifestToJson(m: PreparedManifest): string {
  return `${JSON.stringify(m, null, 2).replace(/\[\s+(-?[\d.e+-]+(?:,\s+-?[\d.e+-]+)*)\s+\]/g, (_, inner: string) => `[${inner.replace(/,\s+/g, ', ')}]`)}\n`;
}
