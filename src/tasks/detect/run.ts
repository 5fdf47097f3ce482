/**
 * Orchestrates a detection fine-tuning run (library entry point of `pointcontrast finetune det`):
 * resolve the config, choose the training scenes (and the kept boxes for `boxesPerScene`, saved
 * in the run folder), open the loader, load a pre-trained backbone, train with validation mAP
 * picking best/, resume from last/, write the summary.
 */
import { openPreparedDataset } from '../../data/prepared/dataset.js';
import { validationScenes } from '../../data/selection.js';
import { fitInitArchitecture } from '../../config/finetune.js';
import type { LoadReport } from '../../models/build.js';
import { loadBackbone } from '../../train/init.js';
import { runTarget } from '../../train/run-dir.js';
import {
  inputOf,
  openTaskRun,
  stepsLine,
  trainAndSummarize,
  validationOf,
  type TaskRunOptions,
} from '../../train/run-training.js';
import type { TrainSummary } from '../../train/trainer.js';
import { evaluateDetSplit, type DetArchitecture } from './infer.js';
import { DET_HEAD_PREFIXES, detectionClasses, resolveDetConfig, type DetConfig } from './schema.js';
import { selectTraining, trainingSource } from './source.js';
import { DetTask } from './task.js';

export interface DetRunOptions extends TaskRunOptions {
  onStart?: (i: {
    run: string;
    scenes: number;
    boxes: number;
    params: number;
    config: DetConfig;
    init: string | null;
    /** What the run took from its init checkpoint's architecture (also atop its config.yaml). */
    notes: string[];
    loaded?: LoadReport;
  }) => void;
  /** Validation mAP in percent. */
  onValidation?: (step: number, metrics: { mAP25: number; mAP50: number }) => void;
}

/** Runs (or resumes) a detection fine-tuning run. */
export async function runFinetuneDet(
  opts: DetRunOptions,
): Promise<{ run: string; summary: TrainSummary; config: DetConfig }> {
  const target = fitInitArchitecture(runTarget(opts, resolveDetConfig), opts);
  const { cfg } = target;
  const ds = openPreparedDataset(cfg.data.dir);
  const detClasses = detectionClasses(ds.manifest.classes);
  if (detClasses.length === 0) throw new Error(`${cfg.data.dir}: the label map has no detection classes`);
  const classes = ds.manifest.classes.map((c) => ({ id: c.id, name: c.name, color: c.color }));
  const loaderCfg = cfg.data.loader;
  // The network and its pre-trained weights come first: a backbone that does not fit fails
  // before the run folder is created or written to.
  const classIds = detClasses.map((c) => c.id);
  const task = new DetTask(cfg, classIds, loaderCfg.voxelSize);
  const initBackbone = () =>
    cfg.init && !opts.resume
      ? loadBackbone(task.params, cfg.init, DET_HEAD_PREFIXES, loaderCfg.features)
      : undefined;
  const opened = await openTaskRun(task, initBackbone, target, opts, selectTraining, trainingSource);
  const { run, loader, selection, prepared } = opened;
  opts.onStart?.({
    run: run.path,
    scenes: loader.size,
    boxes: selection.boxes,
    params: task.params.count(),
    config: cfg,
    init: cfg.init,
    notes: target.notes,
    loaded: prepared,
  });
  const valScenes = validationScenes(ds, cfg.data.valSplit, cfg.validation.maxScenes);
  const decode = { ...cfg.eval, perClass: true, maxBoxes: null };
  const meta = {
    architecture: {
      task: 'detection',
      ...cfg.model,
      outChannels: 1,
      normalize: false,
      head: cfg.head,
      classIds,
      ...inputOf(loaderCfg),
    } satisfies DetArchitecture,
    classes,
    config: cfg,
  };
  const validation = validationOf(cfg.validation, valScenes, async (step) => {
    const m = evaluateDetSplit(task.det, ds, valScenes, loaderCfg.features, decode).metrics;
    const pct = (x: number | null) => 100 * (x ?? 0);
    const v = { mAP25: pct(m.mAP25), mAP50: pct(m.mAP50) };
    opts.onValidation?.(step, v);
    return { score: v[cfg.validation.metric], metrics: { ...v, mAR25: pct(m.mAR25) } };
  });
  const summary = await trainAndSummarize(cfg, task, opened, opts, { meta, validation }, (s) => [
    `# ${cfg.name}`,
    '',
    `- task: 3D detection, ${classIds.length} classes (${ds.manifest.labelMap.name}), data ${cfg.data.dir}`,
    `- backbone: ${cfg.model.backbone}, init: ${cfg.init ?? 'scratch'}${cfg.freezeBackbone ? ' (frozen)' : ''}`,
    `- train scenes: ${selection.scenes.length}, boxes: ${selection.boxes}${cfg.data.boxesPerScene ? ` (${cfg.data.boxesPerScene} per scene)` : ''}`,
    stepsLine(s),
    s.bestScore !== undefined
      ? `- best validation ${cfg.validation.metric}: ${s.bestScore.toFixed(2)} % at step ${s.bestStep}`
      : '',
  ]);
  return { run: run.path, summary, config: cfg };
}
