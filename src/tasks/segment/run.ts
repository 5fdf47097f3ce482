/**
 * Runs (or resumes) a segmentation fine-tuning run (`pointcontrast finetune seg`): resolve the
 * config, build the task and load the pre-trained backbone, choose the training selection, open
 * the loader, train with validation mIoU selecting best/, write the summary.
 */
import { openPreparedDataset } from '../../data/prepared/dataset.js';
import { validationScenes } from '../../data/selection.js';
import type { Selection } from '../../data/selection.js';
import { loadBackbone } from '../../train/init.js';
import { runTarget } from '../../train/run-dir.js';
import { openTaskRun, runTraining, validationOf } from '../../train/run-training.js';
import type { StepInfo, TrainSummary } from '../../train/trainer.js';
import { evaluateSplit } from './infer.js';
import { resolveSegConfig, type SegConfig } from './schema.js';
import { selectTraining, trainingSource } from './source.js';
import { SegTask } from './task.js';
import { newParameterPrefixes, segArchitecture } from './methods/model.js';
import { segMethodHooks } from './methods/index.js';

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
    /** Scalars the run trains (its trainable set). */
    trainableParams: number;
  }) => void;
  onValidation?: (step: number, mIoU: number) => void;
}

/** Runs (or resumes) a segmentation fine-tuning run. */
export async function runFinetuneSeg(
  opts: SegRunOptions,
): Promise<{ run: string; summary: TrainSummary; config: SegConfig; trainableParams: number }> {
  const { cfg, path: runPath } = runTarget(opts, resolveSegConfig);
  const ds = openPreparedDataset(cfg.data.dir);
  const classes = ds.manifest.classes.map((c) => ({ id: c.id, name: c.name, color: c.color }));
  const loaderCfg = cfg.data.loader;
  // The network and its pre-trained weights come first: a backbone that does not fit fails
  // before the run folder is created or written to.
  const arch = segArchitecture(cfg, classes.length, opts.resume ? runPath : undefined);
  const task = new SegTask(cfg, classes.length, arch);
  const trainableParams = task.trainableParams;
  const opened = await openTaskRun(
    task,
    () => {
      if (cfg.init && !opts.resume)
        loadBackbone(task.params, cfg.init, newParameterPrefixes(arch), loaderCfg.features);
    },
    runPath,
    cfg,
    opts.resume ?? false,
    {
      select: (r): Selection => selectTraining(cfg, r),
      source: (sel) => trainingSource(cfg, sel!),
      loader: loaderCfg,
    },
  );
  const { run, loader } = opened;
  const selection = opened.selection!;
  opts.onStart?.({
    run: run.path,
    scenes: loader.size,
    params: task.params.count(),
    config: cfg,
    init: cfg.init,
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
      voxelSize: loaderCfg.voxelSize,
      features: loaderCfg.features,
      ignoreLabel: ds.manifest.ignoreLabel,
    },
    classes,
    config: cfg,
  };
  try {
    const summary = await runTraining(cfg, task, loader, {
      run,
      resume: opts.resume ?? false,
      meta,
      hooks: segMethodHooks({ cfg, task, arch, ds, selection, meta }),
      validation: validationOf(cfg.validation, valScenes, async (step) => {
        const ev = evaluateSplit(task.net, ds, valScenes, inference);
        const m = ev.voxels.metrics(classes.map((c) => c.name));
        opts.onValidation?.(step, m.mIoU);
        return { score: m.mIoU, metrics: { mIoU: m.mIoU, mAcc: m.mAcc, allAcc: m.allAcc } };
      }),
      onStep: opts.onStep,
    });
    run.writeSummary(
      [
        `# ${cfg.name}`,
        '',
        `- task: semantic segmentation, ${classes.length} classes (${ds.manifest.labelMap.name}), data ${cfg.data.dir}`,
        `- backbone: ${cfg.model.backbone}, init: ${cfg.init ?? 'scratch'}${cfg.freezeBackbone ? ' (frozen: linear probe)' : ''}`,
        `- trainable parameters: ${trainableParams} of ${task.params.count()} (trainable: ${cfg.trainable}${cfg.lora ? `, LoRA rank ${cfg.lora.rank}` : ''}; head: ${cfg.head.type}${cfg.head.type === 'prototype' ? ` ${cfg.head.form}` : ''})`,
        `- train scenes: ${selection.scenes.length}${cfg.data.pointsPerScene ? `, ${cfg.data.pointsPerScene} labelled points per scene` : ''}`,
        `- steps: ${summary.steps} in ${summary.seconds.toFixed(1)} s (${summary.stoppedBy}); final loss ${summary.finalLoss.toFixed(4)}`,
        summary.bestScore !== undefined
          ? `- best validation mIoU (voxels): ${summary.bestScore.toFixed(2)} at step ${summary.bestStep}`
          : '',
        '',
      ].join('\n'),
    );
    return { run: run.path, summary, config: cfg, trainableParams };
  } finally {
    await loader.close();
    task.params.dispose();
  }
}
