/**
 * Synthetic scenes as a `data prepare` source: scene i is `generateScene({ seed: seed + i })`
 * from src/data/synth, labelled with the train ids of datasets/synthetic.json.
 */
import { generateScene, synthSceneName } from '../synth/scene.js';
import type { PointCloud } from '../../geometry/point-cloud.js';
import type { PreparedScene } from '../prepared/codec.js';
import { loadLabelMap } from './label-maps.js';
import { assignSplits } from './splits.js';
import type { DatasetDriver, SceneTask, SourceOptions } from './types.js';

function plan(opts: SourceOptions) {
  if (opts.scenes === undefined) throw new Error('synth: --scenes N is required');
  if (!Number.isInteger(opts.scenes) || opts.scenes < 1)
    throw new Error(`synth: --scenes must be ≥ 1, got ${opts.scenes}`);
  if (opts.classes !== undefined) {
    throw new Error('synth: --classes does not apply (labels are the train ids of datasets/synthetic.json)');
  }
  const labelMap = loadLabelMap('synthetic');
  const seed = opts.seed ?? 0;
  const n = opts.scenes;
  const names = Array.from({ length: n }, (_, i) => synthSceneName(seed + i));
  const nVal = Math.floor(n / 5);
  const { splits, warnings } = assignSplits(names, opts, (name) =>
    names.indexOf(name) >= n - nVal ? 'val' : 'train',
  );
  const tasks: SceneTask[] = names.map((name, i) => ({
    name,
    split: splits.get(name)!,
    src: { seed: seed + i },
  }));
  return {
    labelMap,
    tasks,
    options: { labelMap: labelMap.name, pointsPerM2: opts.pointsPerM2 ?? null },
    splitOptions: { scenes: n, seed, splitFiles: opts.splitFiles ?? [], val: opts.val ?? [] },
    warnings,
  };
}

/** Generates one scene for the cache (the generator's boxes; room type and bounds in the notes). */
export function loadSynthScene(name: string, seed: number, pointsPerM2?: number): PreparedScene {
  const s = generateScene(pointsPerM2 === undefined ? { seed } : { seed, pointsPerM2 });
  const c = s.cloud;
  const cloud: PointCloud = { positions: c.positions };
  if (c.colors) cloud.colors = c.colors;
  if (c.normals) cloud.normals = c.normals;
  if (c.labels) cloud.labels = c.labels;
  if (c.instances) cloud.instances = c.instances;
  const boxes = s.boxes.map((b) => ({
    label: b.label,
    instance: b.instance,
    center: [b.center[0], b.center[1], b.center[2]] as [number, number, number],
    size: [b.size[0], b.size[1], b.size[2]] as [number, number, number],
  }));
  return {
    name,
    cloud,
    boxes,
    labelSet: 'synthetic',
    meta: { generator: s.name, seed, roomType: s.roomType, room: s.room },
  };
}

/** The `synth` source of `data prepare`. */
export const synthDriver: DatasetDriver = {
  plan,
  load: (task, opts) => loadSynthScene(task.name, task.src.seed as number, opts.pointsPerM2),
};
