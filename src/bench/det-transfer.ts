/**
 * The detection transfer benchmark (`pointcontrast bench det-transfer`): synthetic rooms as a
 * prepared dataset, then detection fine-tuning from scratch and from a pre-trained backbone
 * with 1, 2, 4… labelled scenes and several seeds, each evaluated (last checkpoint) on held-out
 * scenes; mean ± std of mAP@0.25 / @0.5 per budget. Finished runs are reused (resumable).
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateScene } from '../data/synth/scene.js';
import type { RoomType } from '../data/synth/classes.js';
import { loadLabelMap } from '../data/datasets/label-maps.js';
import {
  buildManifest,
  computeSceneStats,
  manifestToJson,
  type ManifestScene,
} from '../data/prepared/manifest.js';
import { writePreparedSceneFile } from '../data/prepared/scene-file.js';
import type { PreparedScene } from '../data/prepared/codec.js';
import { sceneFileName } from '../data/prepared/prepare-scene.js';
import { openPreparedDataset } from '../data/prepared/dataset.js';
import { writeFileAtomic, writeJsonAtomic } from '../data/io/atomic-write.js';
import { percentMetrics } from '../eval/detection-report.js';
import { evaluateDetSplit, loadDetector } from '../tasks/detect/infer.js';
import { runFinetuneDet } from '../tasks/detect/run.js';
import { lastCheckpointDir } from '../train/checkpoint.js';
import { RunDir } from '../train/run-dir.js';

/** The synthetic detection dataset of the benchmark. */
export interface SynthDetDataOptions {
  train: number;
  val: number;
  /** Scene i uses seed `seed + i` (train first, then val). */
  seed: number;
  /** One room type for every scene (null = drawn per scene). */
  roomType: RoomType | null;
  /** Rooms with a ceiling, without, or drawn per scene (null); scans like ScanNet's have none. */
  ceiling: boolean | null;
}

/** Writes (or reuses, when its options match) a prepared synthetic dataset with train/val splits. */
export function writeSynthDetData(dir: string, o: SynthDetDataOptions): void {
  const manifestPath = join(dir, 'manifest.json');
  const options = { ...o } as unknown as Record<string, unknown>;
  if (existsSync(manifestPath)) {
    const m = JSON.parse(readFileSync(manifestPath, 'utf8')) as { source?: { options?: unknown } };
    if (JSON.stringify(m.source?.options) === JSON.stringify(options)) return;
  }
  mkdirSync(dir, { recursive: true });
  const labelMap = loadLabelMap('synthetic');
  const entries: ManifestScene[] = [];
  for (let i = 0; i < o.train + o.val; i++) {
    const seed = o.seed + i;
    const g = generateScene({
      seed,
      ...(o.roomType === null ? {} : { roomType: o.roomType }),
      ...(o.ceiling === null ? {} : { ceiling: o.ceiling }),
    });
    const { positions, colors, normals, labels, instances } = g.cloud;
    const scene: PreparedScene = {
      name: '',
      cloud: { positions, colors, normals, labels, instances },
      boxes: g.boxes.map((b) => ({ ...b, center: [...b.center], size: [...b.size] })),
      meta: { generator: g.name, seed, roomType: g.roomType, room: g.room },
    };
    scene.name = `synth_${o.roomType ?? 'room'}_${seed}`;
    scene.labelSet = labelMap.name;
    const c = scene.cloud;
    const stats = computeSceneStats(
      c.labels,
      c.instances,
      c.positions.length / 3,
      labelMap.classes.length,
      scene.boxes.length,
    );
    const file = sceneFileName(scene.name);
    writePreparedSceneFile(join(dir, file), scene);
    entries.push({ name: scene.name, file, split: i < o.train ? 'train' : 'val', ...stats });
  }
  const manifest = buildManifest(labelMap, entries, { type: 'synth-det-bench', options }, 'bench');
  writeFileAtomic(manifestPath, manifestToJson(manifest));
}

export interface DetTransferOptions {
  /** Fine-tuning config (configs/finetune/synthetic-det.yaml). */
  config: string;
  /** Pre-trained backbone checkpoint (or run folder). */
  pretrained: string;
  /** Labelled-scene budgets. */
  budgets: number[];
  seeds: number;
  /** Training steps per run. */
  steps: number;
  data: SynthDetDataOptions;
  /** Benchmark folder: data/ and runs/ go here. */
  out: string;
  overrides?: string[];
  onRun?: (info: { done: number; total: number; name: string; reused: boolean }) => void;
  onStep?: (step: number, total: number) => void;
}

/** One fine-tuning run's outcome. */
export interface DetTransferRun {
  budget: number;
  seed: number;
  init: 'scratch' | 'pretrained';
  mAP25: number;
  mAP50: number;
  trainSeconds: number;
  evalSeconds: number;
}

const stats = (v: number[]) => {
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const std = v.length > 1 ? Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (v.length - 1)) : 0;
  return { mean: +mean.toFixed(2), std: +std.toFixed(2), runs: v.map((x) => +x.toFixed(2)) };
};

/** Runs (or reuses) every run of the grid and summarises it. */
export async function benchDetTransfer(o: DetTransferOptions) {
  const dataDir = join(o.out, 'data');
  writeSynthDetData(dataDir, o.data);
  const ds = openPreparedDataset(dataDir);
  const nTrain = ds.sceneNames('train').length;
  const valNames = ds.sceneNames('val');
  const grid: { budget: number; seed: number; init: DetTransferRun['init'] }[] = [];
  for (const budget of o.budgets) {
    if (budget > nTrain) throw new Error(`budget ${budget} scenes > ${nTrain} train scenes in ${dataDir}`);
    for (let seed = 0; seed < o.seeds; seed++)
      for (const init of ['scratch', 'pretrained'] as const) grid.push({ budget, seed, init });
  }
  const runs: DetTransferRun[] = [];
  for (const [i, g] of grid.entries()) {
    const name = `k${g.budget}-seed${g.seed}-${g.init}`;
    const dir = join(o.out, 'runs', name);
    const resultPath = join(dir, 'transfer-result.json');
    const reused = existsSync(resultPath);
    o.onRun?.({ done: i, total: grid.length, name, reused });
    if (reused) {
      runs.push(JSON.parse(readFileSync(resultPath, 'utf8')) as DetTransferRun);
      continue;
    }
    const t0 = performance.now();
    const res = await runFinetuneDet({
      config: o.config,
      overrides: [
        `data.dir=${dataDir}`,
        `data.scenesFraction=${g.budget / nTrain}`,
        'data.valSplit=null',
        `data.loader.seed=${g.seed}`,
        `seed=${g.seed}`,
        `init=${g.init === 'pretrained' ? o.pretrained : 'null'}`,
        `train.maxSteps=${o.steps}`,
        `train.checkpointEvery=${o.steps}`,
        ...(o.overrides ?? []),
      ],
      out: dir,
      resume: RunDir.hasCheckpointAt(dir),
      onStep: (s) => o.onStep?.(s.step, s.maxSteps),
    });
    const trainSeconds = (performance.now() - t0) / 1000;
    const t1 = performance.now();
    const model = loadDetector(lastCheckpointDir(res.run));
    const m = percentMetrics(evaluateDetSplit(model.det, ds, valNames, model.features).metrics);
    model.det.params.dispose();
    const run: DetTransferRun = {
      ...g,
      mAP25: m.mAP25 ?? 0,
      mAP50: m.mAP50 ?? 0,
      trainSeconds: +trainSeconds.toFixed(1),
      evalSeconds: +((performance.now() - t1) / 1000).toFixed(1),
    };
    writeJsonAtomic(resultPath, run);
    runs.push(run);
  }
  const byBudget = o.budgets.map((budget) => {
    const pick = (init: DetTransferRun['init'], k: 'mAP25' | 'mAP50') =>
      runs.filter((r) => r.budget === budget && r.init === init).map((r) => r[k]);
    const delta = (k: 'mAP25' | 'mAP50') => {
      const s = pick('scratch', k);
      return stats(pick('pretrained', k).map((v, i) => v - s[i]));
    };
    return {
      scenes: budget,
      scratch: { mAP25: stats(pick('scratch', 'mAP25')), mAP50: stats(pick('scratch', 'mAP50')) },
      pretrained: { mAP25: stats(pick('pretrained', 'mAP25')), mAP50: stats(pick('pretrained', 'mAP50')) },
      /** Paired by seed: pretrained − scratch. */
      gain: { mAP25: delta('mAP25'), mAP50: delta('mAP50') },
    };
  });
  return {
    data: { dir: dataDir, ...o.data, trainScenes: nTrain, valScenes: valNames.length },
    steps: o.steps,
    seeds: o.seeds,
    pretrained: o.pretrained,
    config: o.config,
    results: byBudget,
    runs,
    trainSeconds: +runs.reduce((s, r) => s + r.trainSeconds, 0).toFixed(1),
  };
}
