/**
 * The demo (`pointcontrast demo`, `npm run demo`): the framework's whole job on built-in data —
 * synthetic scenes → contrastive pre-training on unlabelled pairs → few-label segmentation
 * fine-tuning from scratch and from the pre-trained backbone with the same steps and seed →
 * evaluation on held-out scenes → comparison → viewer-ready predictions.
 */
import { runUnlessFinished } from '../train/run-dir.js';
import { lastCheckpointDir } from '../train/checkpoint.js';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';
import { prepareDataset } from '../data/prepared/prepare.js';
import { openPreparedDataset } from '../data/prepared/dataset.js';
import { generatePairs } from '../data/pairs/generate.js';
import { loadConfigObject, validateConfig } from '../config/config-file.js';
import { runPretrain } from '../tasks/pretrain/run.js';
import { runFinetuneSeg } from '../tasks/segment/run.js';
import { loadModel } from '../train/load-model.js';
import { evaluateSplit } from '../tasks/segment/infer.js';
import { preparedInputs, writePredictions } from '../tasks/segment/predict.js';
import type { SegMetrics } from '../eval/confusion.js';
import type { StepInfo } from '../train/trainer.js';

export const demoConfigSchema = z.strictObject({
  name: z.string().default('demo'),
  seed: z.number().int().min(0).default(0),
  labelledScenes: z.number().int().min(5),
  trainScenes: z.number().int().positive(),
  pointsPerScene: z.number().int().positive().nullable(),
  pretrainScenes: z.number().int().positive(),
  pretrainSeed: z.number().int().min(0),
  viewsPerScene: z.number().int().min(2),
  voxelSize: z.number().positive(),
  pretrain: z.strictObject({ config: z.string(), set: z.array(z.string()).default([]) }),
  finetune: z.strictObject({ config: z.string(), set: z.array(z.string()).default([]) }),
  predictScenes: z.number().int().min(0),
});
export type DemoConfig = z.output<typeof demoConfigSchema>;

/** Progress events of the demo (the CLI turns them into headers and bars). */
export type DemoEvent =
  | { kind: 'stage'; index: number; total: number; title: string }
  | { kind: 'progress'; done: number; total: number; unit: string; info?: Record<string, number | string> }
  | { kind: 'stage-done'; summary: string };

export interface DemoResult {
  out: string;
  scratch: Pick<SegMetrics, 'mIoU' | 'mAcc' | 'allAcc' | 'per_class'>;
  pretrained: Pick<SegMetrics, 'mIoU' | 'mAcc' | 'allAcc' | 'per_class'>;
  delta_mIoU: number;
  valScenes: number;
  trainScenes: number;
  pointsPerScene: number | null;
  runs: { pretrain: string; scratch: string; pretrained: string };
  predictions: string;
  seconds: number;
  stageSeconds: Record<string, number>;
}

export interface DemoOptions {
  config: string;
  overrides?: string[];
  out: string;
  onEvent?: (e: DemoEvent) => void;
}

/** The stage summary of a training run, or of a finished run the demo reused. */
function trainedText(run: string, summary?: { steps: number; finalLoss: number }): string {
  return summary
    ? `${summary.steps} steps, final loss ${summary.finalLoss.toFixed(3)}`
    : `finished run reused (${run})`;
}

/** Runs every stage; re-running with the same --out reuses finished data stages. */
export async function runDemo(opts: DemoOptions): Promise<DemoResult> {
  const cfg = validateConfig(demoConfigSchema, loadConfigObject(opts.config, opts.overrides), opts.config);
  const out = resolve(opts.out);
  const rel = (p: string) => (isAbsolute(p) ? p : resolve(dirname(resolve(opts.config)), p));
  const emit = (e: DemoEvent) => opts.onEvent?.(e);
  const t0 = performance.now();
  const times: Record<string, number> = {};
  const total = 6;
  let stage = 0;
  const begin = (title: string) => {
    emit({ kind: 'stage', index: ++stage, total, title });
    return performance.now();
  };
  const end = (key: string, since: number, summary: string) => {
    times[key] = +((performance.now() - since) / 1000).toFixed(1);
    emit({ kind: 'stage-done', summary: `${summary} (${times[key]} s)` });
  };
  const progress = (unit: string) => (done: number, n: number) =>
    emit({ kind: 'progress', done, total: n, unit });
  const onStep = (s: StepInfo) =>
    emit({
      kind: 'progress',
      done: s.step,
      total: s.maxSteps,
      unit: 'step',
      info: { loss: +s.loss.toFixed(4), lr: +s.lr.toFixed(5) },
    });

  // 1. labelled scenes (train + held-out val)
  let t = begin(`synthesise ${cfg.labelledScenes} labelled scenes`);
  const dataDir = join(out, 'data');
  await prepareDataset({
    type: 'synth',
    source: { scenes: cfg.labelledScenes, seed: cfg.seed },
    out: dataDir,
    onProgress: progress('scene'),
  });
  const ds = openPreparedDataset(dataDir);
  const trainNames = ds.sceneNames('train');
  const valNames = ds.sceneNames('val');
  end(
    'data',
    t,
    `${trainNames.length} train / ${valNames.length} val scenes, ${ds.manifest.points.total.toLocaleString('en-US')} points`,
  );

  // 2. unlabelled pairs
  t = begin(`partial-view pairs from ${cfg.pretrainScenes} unlabelled scenes`);
  const pairsDir = join(out, 'pairs');
  const pairs = await generatePairs({
    from: 'synth',
    out: pairsDir,
    scenes: cfg.pretrainScenes,
    seed: cfg.pretrainSeed,
    viewsPerScene: cfg.viewsPerScene,
    voxel: cfg.voxelSize,
    onProgress: progress('scene'),
  });
  end('pairs', t, `${pairs.manifest.pairs.length} pairs`);

  // 3. pre-training
  t = begin('contrastive pre-training (PointInfoNCE)');
  const preRun = join(out, 'pretrain');
  const pre = await runUnlessFinished(preRun, (resume) =>
    runPretrain({
      config: rel(cfg.pretrain.config),
      overrides: [
        `data.source.dir=${pairsDir}`,
        `data.loader.voxelSize=${cfg.voxelSize}`,
        `seed=${cfg.seed}`,
        ...cfg.pretrain.set,
      ],
      out: preRun,
      resume,
      onStep,
    }),
  );
  end('pretrain', t, trainedText(preRun, pre?.summary));

  // 4–5. fine-tuning from scratch and from the pre-trained backbone (same steps, same seed)
  const fraction = Math.min(1, cfg.trainScenes / trainNames.length);
  const ftOverrides = [
    `data.dir=${dataDir}`,
    `data.scenesFraction=${fraction}`,
    `data.pointsPerScene=${cfg.pointsPerScene ?? 'null'}`,
    `data.loader.voxelSize=${cfg.voxelSize}`,
    `seed=${cfg.seed}`,
    ...cfg.finetune.set,
  ];
  const finetune = async (key: 'scratch' | 'pretrained', title: string) => {
    const since = begin(title);
    const run = join(out, key);
    const r = await runUnlessFinished(run, (resume) =>
      runFinetuneSeg({
        config: rel(cfg.finetune.config),
        overrides: [
          ...ftOverrides,
          `init=${key === 'pretrained' ? lastCheckpointDir(preRun) : 'null'}`,
          'data.valSplit=null',
        ],
        out: run,
        resume,
        onStep,
      }),
    );
    end(key, since, trainedText(run, r?.summary));
    return run;
  };
  const scratchRun = await finetune(
    'scratch',
    `fine-tune from scratch (${cfg.trainScenes} scenes × ${cfg.pointsPerScene ?? 'all'} labelled points)`,
  );
  const pretrainedRun = await finetune(
    'pretrained',
    'fine-tune from the pre-trained backbone (same steps, same seed)',
  );

  // 6. evaluation on the held-out scenes + predictions
  t = begin(`evaluate both on ${valNames.length} held-out scenes, write predictions`);
  const names = ds.manifest.classes.map((c) => c.name);
  const results: Record<string, SegMetrics> = {};
  const predictions = join(out, 'predictions');
  for (const [key, run] of [
    ['scratch', scratchRun],
    ['pretrained', pretrainedRun],
  ] as const) {
    const model = loadModel(lastCheckpointDir(run));
    const ev = evaluateSplit(
      model.net,
      ds,
      valNames,
      { voxelSize: model.voxelSize, features: model.features, numClasses: names.length },
      (d, n) => emit({ kind: 'progress', done: d, total: n, unit: 'scene' }),
    );
    results[key] = ev.points.metrics(names);
    if (cfg.predictScenes > 0) {
      const picks = valNames.slice(0, cfg.predictScenes);
      writePredictions(model, preparedInputs(ds, picks), {
        out: key === 'pretrained' ? predictions : `${predictions}-scratch`,
        labelSet: ds.manifest.labelMap.name,
      });
    }
    model.net.params.dispose();
  }
  end(
    'evaluate',
    t,
    `mIoU scratch ${results.scratch.mIoU.toFixed(1)}, pre-trained ${results.pretrained.mIoU.toFixed(1)}`,
  );
  const pick = (m: SegMetrics) => ({ mIoU: m.mIoU, mAcc: m.mAcc, allAcc: m.allAcc, per_class: m.per_class });
  return {
    out,
    scratch: pick(results.scratch),
    pretrained: pick(results.pretrained),
    delta_mIoU: results.pretrained.mIoU - results.scratch.mIoU,
    valScenes: valNames.length,
    trainScenes: Math.max(1, Math.ceil(fraction * trainNames.length - 1e-9)),
    pointsPerScene: cfg.pointsPerScene,
    runs: { pretrain: preRun, scratch: scratchRun, pretrained: pretrainedRun },
    predictions,
    seconds: +((performance.now() - t0) / 1000).toFixed(1),
    stageSeconds: times,
  };
}
