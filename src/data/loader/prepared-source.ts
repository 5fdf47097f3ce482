/**
 * The `prepared` loader source: scenes of a prepared dataset folder (optionally one split, or
 * named scenes), optionally only chosen labelled points per scene (Contrastive Scene Contexts'
 * "limited annotations": every other label becomes ignore) and only chosen boxes (its limited-box
 * protocol: other objects lose box and instance id, so they count as background, as in CSC's
 * VoteNet loader), optionally no labels of chosen classes (classes held out), and optionally
 * labelled rooms of another dataset mixed into the samples (mix-rooms.ts). Plain options, so a
 * prefetch worker opens the same source.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { Rng } from '../../core/rng.js';
import { MIX_PLACEMENTS, mixRooms } from '../augment/mix-rooms.js';
import { openPreparedDataset, type PreparedDataset } from '../prepared/dataset.js';
import { dropLabels } from '../label-map.js';
import type { SceneSample, SceneSource } from './types.js';

/** Labelled rooms of another prepared dataset mixed into training samples (the loader spec's `mix`). */
export const roomMixSpec = z.strictObject({
  /** Prepared dataset with the same classes (e.g. synthetic rooms with ScanNet20 labels). */
  dir: z.string(),
  /** Its split to draw rooms from (null: every scene). */
  split: z.string().nullable(),
  /** Probability that a sample gets one of its rooms placed over or beside it. */
  p: z.number().min(0).max(1),
  /** Over the sample (Mix3D) or beside it (mix-rooms.ts). */
  placement: z.enum(MIX_PLACEMENTS),
  /** Seed of the draws: the k-th read of the source draws from stream (seed, k). */
  seed: z.number().int(),
});
export type RoomMixOptions = z.output<typeof roomMixSpec>;

/** Options of the `{ type: 'prepared' }` source. */
export interface PreparedSourceOptions {
  dir: string;
  /** Split to read (default: every scene of the manifest), unless `scenes` names them. */
  split?: string;
  /** Scene names to use, in this order (a training subset). */
  scenes?: string[];
  /** JSON file { scenes: { scene: point indices } } of the labelled points to keep (others → ignore). */
  keepPoints?: string;
  /** JSON file { scene: instance ids whose boxes are kept } (others → background). */
  keepBoxes?: string;
  /** Train ids whose labels become ignore (classes held out of the labels; mixed rooms keep theirs). */
  ignoreClasses?: number[];
  /** Mix rooms of another dataset into the samples (segmentation; mixed samples lose their boxes). */
  mix?: RoomMixOptions;
}

function readJson<T>(file: string): T {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch (e) {
    throw new Error(`${file}: cannot read the selection (${(e as Error).message})`);
  }
}

/** Only the listed labelled points keep their label. */
function keepLabels(s: SceneSample, idx: number[] | undefined, file: string, ignore: number): SceneSample {
  const labels = s.cloud.labels;
  if (!labels) return s;
  if (!idx) throw new Error(`${file}: no labelled points listed for scene ${s.name}`);
  const kept = new Int32Array(labels.length).fill(ignore);
  for (const p of idx) kept[p] = labels[p];
  return { ...s, cloud: { ...s.cloud, labels: kept } };
}

/** Labels of the listed train ids become `ignore`. */
function dropClasses(s: SceneSample, ids: readonly number[], ignore: number): SceneSample {
  const labels = s.cloud.labels;
  if (!labels || ids.length === 0) return s;
  return { ...s, cloud: { ...s.cloud, labels: dropLabels(labels, ids, ignore) } };
}

/** Only the listed instances keep their box and instance id. */
function keepBoxes(s: SceneSample, ids: number[] | undefined, file: string): SceneSample {
  if (!ids) throw new Error(`${file}: no boxes listed for scene ${s.name}`);
  const kept = new Uint8Array(Math.max(-1, ...ids) + 1);
  for (const id of ids) if (id >= 0) kept[id] = 1;
  const isKept = (v: number) => v >= 0 && v < kept.length && kept[v] === 1;
  const inst = s.cloud.instances;
  const instances = inst ? Int32Array.from(inst, (v) => (isKept(v) ? v : -1)) : undefined;
  return {
    name: s.name,
    cloud: instances ? { ...s.cloud, instances } : s.cloud,
    boxes: (s.boxes ?? []).filter((b) => isKept(b.instance)),
  };
}

/** The rooms a mix draws from, checked to label the same classes as `ds`. */
function openMix(
  ds: PreparedDataset,
  dir: string,
  m: RoomMixOptions,
): { other: PreparedDataset; names: string[] } {
  const other = openPreparedDataset(m.dir);
  const names = other.sceneNames(m.split ?? undefined);
  if (names.length === 0)
    throw new Error(`${m.dir}: data.mix has no scenes${m.split ? ` in split '${m.split}'` : ''}`);
  const classes = (d: PreparedDataset) => d.manifest.classes.map((c) => c.name).join(',');
  if (classes(other) !== classes(ds) || other.manifest.ignoreLabel !== ds.manifest.ignoreLabel)
    throw new Error(
      `${m.dir}: data.mix labels ${other.manifest.labelMap.name} (${other.manifest.classes.length} classes, ignore ${other.manifest.ignoreLabel}) but ${dir} labels ${ds.manifest.labelMap.name} (${ds.manifest.classes.length} classes, ignore ${ds.manifest.ignoreLabel}); mixed rooms need the same classes`,
    );
  return { other, names };
}

/** Opens a prepared dataset as a scene source with the selection applied. */
export function preparedSource(o: PreparedSourceOptions): SceneSource {
  const ds = openPreparedDataset(o.dir);
  const names = o.scenes ?? ds.sceneNames(o.split);
  if (o.scenes === undefined && o.split !== undefined && names.length === 0)
    throw new Error(`${o.dir}: split '${o.split}' has no scenes`);
  const points = o.keepPoints
    ? readJson<{ scenes: Record<string, number[]> }>(o.keepPoints).scenes
    : undefined;
  const boxes = o.keepBoxes ? readJson<Record<string, number[]>>(o.keepBoxes) : undefined;
  const ignore = ds.manifest.ignoreLabel;
  const mix = o.mix && o.mix.p > 0 ? { ...openMix(ds, o.dir, o.mix), ...o.mix } : undefined;
  let reads = 0;
  return {
    kind: 'scenes',
    size: names.length,
    read(i) {
      const s = ds.readScene(names[i]);
      let sample: SceneSample = { name: s.name, cloud: s.cloud, boxes: s.boxes };
      if (points) sample = keepLabels(sample, points[s.name], o.keepPoints!, ignore);
      if (o.ignoreClasses) sample = dropClasses(sample, o.ignoreClasses, ignore);
      if (boxes) sample = keepBoxes(sample, boxes[s.name], o.keepBoxes!);
      if (mix) {
        const rng = Rng.stream(mix.seed, reads++);
        if (rng.chance(mix.p)) {
          const room = mix.names[rng.int(mix.names.length)];
          const cloud = mixRooms(sample.cloud, mix.other.readScene(room).cloud, mix.placement);
          sample = { name: `${sample.name}+${room}`, cloud };
        }
      }
      return sample;
    },
  };
}
