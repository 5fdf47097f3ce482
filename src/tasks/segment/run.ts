/**
 * Runs (or resumes) a segmentation fine-tuning run (`pointcontrast finetune seg`): resolve the
 * config, build the task and load the pre-trained backbone, choose the training selection, open
 * the loader, train with validation mIoU selecting best/, write the summary.
 */
import { openPreparedDataset } from '../../data/prepared/dataset.js';
import { validationScenes } from '../../data/selection.js';
import { fitInitArchitecture } from '../../config/finetune.js';
import { loadBackbone } from '../../train/init.js';
import { runTarget } from '../../train/run-dir.js';
import {
  inputOf,
  openTaskRun,
  stepsLine,
  trainAndSummarize,
  validationOf,
} from '../../train/run-training.js';
import type { TaskRunOptions } from '../../train/run-training.js';
import type { TrainSummary } from '../../train/trainer.js';
import { evaluateSplit } from './infer.js';
import { resolveSegConfig, type SegConfig } from './schema.js';
import { selectTraining, trainingSource } from './source.js';
import { SegTask } from './task.js';
import { resolveClassWeights } from './class-weights.js';
import { trainingHistogram } from './training-histogram.js';
import { newParameterPrefixes, segArchitecture } from './methods/model.js';
import { segMethodHooks } from './methods/index.js';
import type { NetArchitecture } from '../../models/checkpoint-model.js';

export interface SegRunOptions extends TaskRunOptions {
  onStart?: (i: {
    run: string;
    scenes: number;
    params: number;
    config: SegConfig;
    init: string | null;
    /** What the run took from its init checkpoint's architecture (also atop its config.yaml). */
    notes: string[];
    /** Scalars the run trains (its trainable set). */
    trainableParams: number;
  }) => void;
  onValidation?: (step: number, mIoU: number) => void;
  /** Progress of the work before the first step (prototype imprinting: one pass over the training scenes). */
  onSetup?: (what: string, done: number, total: number) => void;
}

/** Runs (or resumes) a segmentation fine-tuning run. */
export async function runFinetuneSeg(
  opts: SegRunOptions,
): Promise<{ run: string; summary: TrainSummary; config: SegConfig; trainableParams: number }> {
  const target = fitInitArchitecture(runTarget(opts, resolveSegConfig), opts);
  const { cfg } = target;
  const ds = openPreparedDataset(cfg.data.dir);
  const classes = ds.manifest.classes.map((c) => ({ id: c.id, name: c.name, color: c.color }));
  const loaderCfg = cfg.data.loader;
  // The network and its pre-trained weights come first: a backbone that does not fit fails
  // before the run folder is created or written to.
  const arch = segArchitecture(cfg, classes.length, opts.resume ? target.path : undefined);
  const task = new SegTask(cfg, classes.length, arch);
  const trainableParams = task.trainableParams;
  const initBackbone = () => {
    if (cfg.init && !opts.resume)
      loadBackbone(task.params, cfg.init, newParameterPrefixes(arch), loaderCfg.features);
  };
  const opened = await openTaskRun(task, initBackbone, target, opts, selectTraining, trainingSource);
  const { run, loader, selection } = opened;
  if (typeof cfg.loss.classWeights === 'string')
    task.classWeights = resolveClassWeights(cfg.loss.classWeights, classes.length, () =>
      trainingHistogram(ds, selection.scenes, selection.ignoreClasses),
    );
  opts.onStart?.({
    run: run.path,
    scenes: loader.size,
    params: task.params.count(),
    config: cfg,
    init: cfg.init,
    notes: target.notes,
    trainableParams,
  });
  const valScenes = validationScenes(ds, cfg.data.valSplit, cfg.validation.maxScenes);
  const inference = {
    voxelSize: loaderCfg.voxelSize,
    features: loaderCfg.features,
    numClasses: classes.length,
  };
  const meta = {
    architecture: {
      task: 'segmentation',
      ...arch,
      ...inputOf(loaderCfg),
      ignoreLabel: ds.manifest.ignoreLabel,
    } satisfies NetArchitecture,
    classes,
    config: cfg,
  };
  const hooks = segMethodHooks({ cfg, task, arch, ds, selection, meta, onSetup: opts.onSetup });
  const validation = validationOf(cfg.validation, valScenes, async (step) => {
    const ev = evaluateSplit(task.net, ds, valScenes, inference);
    const m = ev.voxels.metrics(classes.map((c) => c.name));
    opts.onValidation?.(step, m.mIoU);
    return { score: m.mIoU, metrics: { mIoU: m.mIoU, mAcc: m.mAcc, allAcc: m.allAcc } };
  });
  const summary = await trainAndSummarize(cfg, task, opened, opts, { meta, hooks, validation }, (s) => [
    `# ${cfg.name}`,
    '',
    `- task: semantic segmentation, ${classes.length} classes (${ds.manifest.labelMap.name}), data ${cfg.data.dir}`,
    `- backbone: ${cfg.model.backbone}, init: ${cfg.init ?? 'scratch'}${cfg.freezeBackbone ? ' (frozen: linear probe)' : ''}`,
    `- trainable parameters: ${trainableParams} of ${task.params.count()} (trainable: ${cfg.trainable}${cfg.lora ? `, LoRA rank ${cfg.lora.rank}` : ''}; head: ${cfg.head.type}${cfg.head.type === 'prototype' ? ` ${cfg.head.form}` : ''})`,
    `- train scenes: ${selection.scenes.length}${cfg.data.pointsPerScene ? `, ${cfg.data.pointsPerScene} labelled points per scene` : ''}`,
    task.classWeights
      ? `- class weights${typeof cfg.loss.classWeights === 'string' ? ` (${cfg.loss.classWeights} of the training labels)` : ''}: ${classes.map((c, i) => `${c.name} ${task.classWeights![i].toFixed(3)}`).join(', ')}`
      : '',
    stepsLine(s),
    s.bestScore !== undefined
      ? `- best validation mIoU (voxels): ${s.bestScore.toFixed(2)} at step ${s.bestStep}`
      : '',
  ]);
  return { run: run.path, summary, config: cfg, trainableParams };
}
