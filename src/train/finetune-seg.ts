/**
 * Semantic-segmentation fine-tuning (`pointcontrast finetune seg`): a Res16UNet with a new
 * per-class head, optionally initialised from a pre-trained backbone, trained with
 * cross-entropy over voxel labels (ignore label skipped, optional class weights); validation
 * mIoU selects the best checkpoint.
 */
import * as tf from '@tensorflow/tfjs';
import { tidyRead } from '../sparse/read.js';
import { z } from 'zod';
import { buildNetwork } from '../models/build.js';
import type { Res16UNet } from '../models/res16unet.js';
import { SparseTensor } from '../sparse/sparse-tensor.js';
import { gatherRows } from '../sparse/gather-op.js';
import { createLoader } from '../data/loader/loader.js';
import { parseLoaderConfig } from '../data/loader/config.js';
import type { VoxelBatch } from '../data/loader/types.js';
import { openPreparedDataset } from '../data/prepared/dataset.js';
import { loadConfigObject, validateConfig } from './config-file.js';
import {
  checkInputChannels,
  finetuneCommonSchema,
  finetuneSourceSpec,
  loadBackbone,
  trainableNames,
  trainingSelection,
} from './finetune.js';
import { RunDir, runTarget } from './run-dir.js';
import { evaluateSplit } from './segment.js';
import { train, type StepInfo, type StepResult, type TrainSummary, type TrainTask } from './trainer.js';

export const segConfigSchema = finetuneCommonSchema.extend({
  loss: z
    .strictObject({
      /** Per-class weights (length K), or null for uniform. */
      classWeights: z.array(z.number().min(0)).nullable().default(null),
    })
    .default({ classWeights: null }),
});
export type SegConfig = z.output<typeof segConfigSchema>;

/** Mean cross-entropy over rows whose label is in [0, K) (optionally class-weighted). */
export function segmentationLoss(
  logits: tf.Tensor2D,
  labels: Int32Array,
  weights: number[] | null,
): tf.Scalar {
  const k = logits.shape[1];
  const rows: number[] = [];
  for (let i = 0; i < labels.length; i++) if (labels[i] >= 0 && labels[i] < k) rows.push(i);
  if (rows.length === 0) return tf.mul(tf.sum(logits), 0) as tf.Scalar; // no labelled voxel in the batch
  const idx = Int32Array.from(rows);
  const lab = Int32Array.from(rows, (r) => labels[r]);
  const logp = tf.logSoftmax(gatherRows(logits, idx));
  const picked = tf.sum(tf.mul(logp, tf.oneHot(tf.tensor1d(lab, 'int32'), k)), 1);
  if (!weights) return tf.neg(tf.mean(picked)) as tf.Scalar;
  const w = tf.tensor1d(Float32Array.from(lab, (l) => weights[l]));
  return tf.neg(tf.div(tf.sum(tf.mul(picked, w)), tf.sum(w))) as tf.Scalar;
}

export class SegTask implements TrainTask<VoxelBatch> {
  readonly net: Res16UNet;
  readonly params;
  readonly trainable: string[];

  constructor(
    readonly cfg: SegConfig,
    readonly numClasses: number,
  ) {
    this.net = buildNetwork({ ...cfg.model, outChannels: numClasses, normalize: false }, cfg.seed);
    this.params = this.net.params;
    this.trainable = trainableNames(this.params, cfg.freezeBackbone);
  }

  logits(batch: VoxelBatch, training: boolean): tf.Tensor2D {
    const n = batch.coords.length / 4;
    const x = SparseTensor.fromCoords(
      batch.coords,
      tf.tensor2d(batch.feats, [n, batch.featDim]),
      batch.batchSize,
    );
    if (this.cfg.freezeBackbone)
      return this.net.final.apply(this.net.features(x, { training: false })).features;
    return this.net.forward(x, { training }).features;
  }

  loss(batch: VoxelBatch, _step: number): StepResult {
    if (!batch.labels) throw new Error(`batch of ${batch.sceneNames.join(', ')} has no labels`);
    const logits = this.logits(batch, true);
    const loss = segmentationLoss(logits, batch.labels, this.cfg.loss.classWeights);
    let labelled = 0;
    let correct = 0;
    const pred = tidyRead(() => tf.argMax(logits, 1));
    for (let i = 0; i < batch.labels.length; i++) {
      if (batch.labels[i] < 0) continue;
      labelled++;
      if (pred[i] === batch.labels[i]) correct++;
    }
    return {
      loss,
      metrics: { voxels: batch.labels.length, labelled, trainAcc: labelled ? (100 * correct) / labelled : 0 },
    };
  }
}

export interface SegRunOptions {
  config: string;
  overrides?: string[];
  out?: string;
  resume?: boolean;
  onStep?: (s: StepInfo) => void;
  onStart?: (i: {
    run: string;
    scenes: number;
    params: number;
    config: SegConfig;
    init: string | null;
  }) => void;
  onValidation?: (step: number, mIoU: number) => void;
}

/** Reads and validates a segmentation fine-tuning config. */
export function resolveSegConfig(path: string, overrides: string[] = []): SegConfig {
  const cfg = validateConfig(segConfigSchema, loadConfigObject(path, overrides), path);
  const loader = parseLoaderConfig(cfg.data.loader, `${path}: data.loader`);
  checkInputChannels(cfg.model.inChannels, loader.features, path);
  return cfg;
}

/** Runs (or resumes) a segmentation fine-tuning run. */
export async function runFinetuneSeg(
  opts: SegRunOptions,
): Promise<{ run: string; summary: TrainSummary; config: SegConfig }> {
  const { cfg, path: runPath } = runTarget(opts, resolveSegConfig);
  const ds = openPreparedDataset(cfg.data.dir);
  const classes = ds.manifest.classes.map((c) => ({ id: c.id, name: c.name, color: c.color }));
  const loaderCfg = parseLoaderConfig(cfg.data.loader, 'data.loader');
  // The network and its pre-trained weights come first: a backbone that does not fit fails
  // before the run folder is created or written to.
  const task = new SegTask(cfg, classes.length);
  let run: RunDir;
  let selection: { scenes: string[]; keepPoints?: string };
  let loader: Awaited<ReturnType<typeof createLoader>>;
  try {
    if (cfg.init && !opts.resume) loadBackbone(task.params, cfg.init, 'final.', loaderCfg.features);
    run = new RunDir(runPath);
    run.writeConfig(cfg);
    selection = run.selection(opts.resume, (r) => trainingSelection(cfg.data, cfg.seed, r.path));
    loader = await createLoader({
      source: finetuneSourceSpec(cfg.data.dir, cfg.data.trainSplit, selection.scenes, selection.keepPoints),
      config: loaderCfg,
      resume: opts.resume ? run.loaderState() : undefined,
      where: 'data.loader',
    });
  } catch (e) {
    task.params.dispose();
    throw e;
  }
  opts.onStart?.({
    run: run.path,
    scenes: loader.size,
    params: task.params.count(),
    config: cfg,
    init: cfg.init,
  });
  const valNames = cfg.data.valSplit ? ds.sceneNames(cfg.data.valSplit) : [];
  const valScenes = cfg.validation.maxScenes ? valNames.slice(0, cfg.validation.maxScenes) : valNames;
  const inference = {
    voxelSize: loaderCfg.voxelSize,
    features: loaderCfg.features,
    numClasses: classes.length,
  };
  try {
    const summary = await train<VoxelBatch>(
      task,
      {
        next: async () => {
          const b = await loader.next();
          if (!b) throw new Error('data loader ended before train.maxSteps (set data.loader.epochs: null)');
          return b as VoxelBatch;
        },
        state: () => loader.state(),
      },
      {
        maxSteps: cfg.train.maxSteps,
        timeBudget: cfg.train.timeBudget,
        checkpointEvery: cfg.train.checkpointEvery,
        logEvery: cfg.train.logEvery,
        optimizer: cfg.optim,
        schedule: cfg.schedule,
        run,
        resume: opts.resume ?? false,
        meta: {
          architecture: {
            task: 'segmentation',
            ...cfg.model,
            outChannels: classes.length,
            normalize: false,
            voxelSize: loaderCfg.voxelSize,
            features: loaderCfg.features,
            ignoreLabel: ds.manifest.ignoreLabel,
          },
          classes,
          config: cfg,
        },
        validation:
          valScenes.length > 0
            ? {
                every: cfg.validation.every,
                patience: cfg.validation.patience,
                run: async (step) => {
                  const ev = evaluateSplit(task.net, ds, valScenes, inference);
                  const m = ev.voxels.metrics(classes.map((c) => c.name));
                  opts.onValidation?.(step, m.mIoU);
                  return { score: m.mIoU, metrics: { mIoU: m.mIoU, mAcc: m.mAcc, allAcc: m.allAcc } };
                },
              }
            : undefined,
        onStep: opts.onStep,
      },
    );
    run.writeSummary(
      [
        `# ${cfg.name}`,
        '',
        `- task: semantic segmentation, ${classes.length} classes (${ds.manifest.labelMap.name}), data ${cfg.data.dir}`,
        `- backbone: ${cfg.model.backbone}, init: ${cfg.init ?? 'scratch'}${cfg.freezeBackbone ? ' (frozen: linear probe)' : ''}`,
        `- train scenes: ${selection.scenes.length}${cfg.data.pointsPerScene ? `, ${cfg.data.pointsPerScene} labelled points per scene` : ''}`,
        `- steps: ${summary.steps} in ${summary.seconds.toFixed(1)} s (${summary.stoppedBy}); final loss ${summary.finalLoss.toFixed(4)}`,
        summary.bestScore !== undefined
          ? `- best validation mIoU (voxels): ${summary.bestScore.toFixed(2)} at step ${summary.bestStep}`
          : '',
        '',
      ].join('\n'),
    );
    return { run: run.path, summary, config: cfg };
  } finally {
    await loader.close();
    task.params.dispose();
  }
}
