/**
 * Synthetic scenes as a `data prepare` source: scene i is `generateScene({ seed: seed + i })`
 * from src/data/synth, labelled with the train ids of datasets/synthetic.json.
 */
import { generateScene, synthSceneName, type SynthOptions } from '../synth/scene.js';
import type { PointCloud } from '../../geometry/point-cloud.js';
import type { PreparedScene } from '../prepared/codec.js';
import { loadLabelMap } from './label-maps.js';
import { boxClassMask, classNames, type LabelMap } from '../label-map.js';
import { assignSplits } from './splits.js';
import type { DatasetDriver, SceneTask, SourceOptions } from './types.js';

function plan(opts: SourceOptions) {
  if (opts.scenes === undefined) throw new Error('synth: --scenes N is required');
  if (!Number.isInteger(opts.scenes) || opts.scenes < 1)
    throw new Error(`synth: --scenes must be ≥ 1, got ${opts.scenes}`);
  // --classes maps the synthetic classes by name onto another label map (e.g. scannet20, for
  // supervised synthetic pre-training of a real-scan model); classes it lacks become ignore
  const labelMap = loadLabelMap(opts.classes ?? 'synthetic');
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
    // the scan-like and variety options join the cache key only when on, so existing caches stay valid
    options: {
      labelMap: labelMap.name,
      pointsPerM2: opts.pointsPerM2 ?? null,
      ...(opts.scanner ? { scanner: true } : {}),
      ...(opts.minSpacing ? { minSpacing: opts.minSpacing } : {}),
      ...(opts.variety ? { variety: true } : {}),
    },
    splitOptions: { scenes: n, seed, splitFiles: opts.splitFiles ?? [], val: opts.val ?? [] },
    warnings,
  };
}

/**
 * The synthetic train id → `target` train id table, by class name (`-1` where the target has no
 * class of that name). Identity for the synthetic map itself.
 */
export function synthToLabelMap(target: LabelMap): Int32Array {
  const byName = new Map(classNames(target).map((n, i) => [n.toLowerCase(), i]));
  const synth = loadLabelMap('synthetic');
  return Int32Array.from(classNames(synth), (n) => byName.get(n.toLowerCase()) ?? target.ignoreLabel);
}

/** Labels and boxes of a generated scene in `target`'s train ids. */
function relabel(scene: PreparedScene, target: LabelMap): PreparedScene {
  const lut = synthToLabelMap(target);
  const labels = scene.cloud.labels;
  if (labels) {
    const out = new Int32Array(labels.length);
    for (let i = 0; i < labels.length; i++) out[i] = labels[i] >= 0 ? lut[labels[i]] : target.ignoreLabel;
    scene.cloud.labels = out;
  }
  const detect = boxClassMask(target);
  scene.boxes = (scene.boxes ?? [])
    .map((b) => ({ ...b, label: lut[b.label] }))
    .filter((b) => b.label >= 0 && detect[b.label]);
  scene.labelSet = target.name;
  return scene;
}

/** Generates one scene for the cache (the generator's boxes; room type and bounds in the notes). */
export function loadSynthScene(
  name: string,
  seed: number,
  pointsPerM2?: number,
  scan: Pick<SynthOptions, 'scanner' | 'minSpacing' | 'variety'> = {},
): PreparedScene {
  const s = generateScene({ seed, ...(pointsPerM2 === undefined ? {} : { pointsPerM2 }), ...scan });
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
  load: (task, opts, labelMap) => {
    const scene = loadSynthScene(task.name, task.src.seed as number, opts.pointsPerM2, {
      ...(opts.scanner ? { scanner: true } : {}),
      ...(opts.minSpacing ? { minSpacing: opts.minSpacing } : {}),
      ...(opts.variety ? { variety: true } : {}),
    });
    return labelMap.name === 'synthetic' ? scene : relabel(scene, labelMap);
  },
};
