/**
 * Orchestrates a detection fine-tuning run (library entry point of `pointcontrast finetune det`):
 * resolve the config, choose the training scenes (and the kept boxes for `boxesPerScene`, saved
 * in the run folder), open the loader, load a pre-trained backbone, train with validation mAP
 * picking best/, resume from last/, write the summary.
 */
import { join } from 'node:path';
import { createLoader } from '../data/loader/loader.js';
import { parseLoaderConfig } from '../data/loader/config.js';
import type { VoxelBatch } from '../data/loader/types.js';
import { openPreparedDataset } from '../data/prepared/dataset.js';
import { writeJsonAtomic } from '../data/io/atomic-write.js';
import type { LoadReport } from '../models/build.js';
import { loadConfigObject, validateConfig } from './config-file.js';
import { loadBackbone, trainingSelection } from './finetune.js';
import {
  DET_HEAD_PREFIXES,
  DetTask,
  detConfigSchema,
  detectionClasses,
  type DetConfig,
} from './finetune-det.js';
import { chooseBoxes, detSourceSpec } from './finetune-det-source.js';
import { evaluateDetSplit } from './finetune-det-eval.js';
import { RunDir, runTarget } from './run-dir.js';
import { train, type StepInfo, type TrainSummary } from './trainer.js';

export interface DetRunOptions {
  config: string;
  overrides?: string[];
  out?: string;
  resume?: boolean;
  onStep?: (s: StepInfo) => void;
  onStart?: (i: {
    run: string;
    scenes: number;
    boxes: number;
    params: number;
    config: DetConfig;
    init: string | null;
    loaded?: LoadReport;
  }) => void;
  /** Validation mAP in percent. */
  onValidation?: (step: number, metrics: { mAP25: number; mAP50: number }) => void;
}

/** Reads and validates a detection fine-tuning config (with its _base_ files and overrides). */
export function resolveDetConfig(path: string, overrides: string[] = []): DetConfig {
  const cfg = validateConfig(detConfigSchema, loadConfigObject(path, overrides), path);
  parseLoaderConfig(cfg.data.loader, `${path}: data.loader`);
  if (cfg.data.pointsPerScene !== null)
    throw new Error(`${path}: data.pointsPerScene: not used by detection (use data.boxesPerScene)`);
  if (cfg.loss.near >= cfg.loss.far) throw new Error(`${path}: loss.near must be below loss.far`);
  return cfg;
}

interface Selection {
  scenes: string[];
  keepBoxes?: string;
  boxes: number;
}

/** Training scenes and, with boxesPerScene, the kept boxes (written to the run folder). */
function selectTraining(cfg: DetConfig, run: RunDir): Selection {
  const { scenes } = trainingSelection(cfg.data, cfg.seed, run.path);
  const ds = openPreparedDataset(cfg.data.dir);
  const total = (names: string[]) =>
    names.reduce((s, n) => s + (ds.manifest.scenes.find((e) => e.name === n)?.boxes ?? 0), 0);
  if (cfg.data.boxesPerScene === null) return { scenes, boxes: total(scenes) };
  const chosen = chooseBoxes(ds, scenes, cfg.data.boxesPerScene, cfg.seed);
  const keepBoxes = join(run.path, 'labelled-boxes.json');
  writeJsonAtomic(keepBoxes, chosen);
  return { scenes, keepBoxes, boxes: Object.values(chosen).reduce((s, v) => s + v.length, 0) };
}

/** Runs (or resumes) a detection fine-tuning run. */
export async function runFinetuneDet(
  opts: DetRunOptions,
): Promise<{ run: string; summary: TrainSummary; config: DetConfig }> {
  const { cfg, path: runPath } = runTarget(opts, resolveDetConfig);
  const ds = openPreparedDataset(cfg.data.dir);
  const detClasses = detectionClasses(ds.manifest.classes);
  if (detClasses.length === 0) throw new Error(`${cfg.data.dir}: the label map has no detection classes`);
  const classes = ds.manifest.classes.map((c) => ({ id: c.id, name: c.name, color: c.color }));
  const loaderCfg = parseLoaderConfig(cfg.data.loader, 'data.loader');
  // The network and its pre-trained weights come first: a backbone that does not fit fails
  // before the run folder is created or written to.
  const classIds = detClasses.map((c) => c.id);
  const task = new DetTask(cfg, classIds, loaderCfg.voxelSize);
  let run: RunDir;
  let selection: Selection;
  let loader: Awaited<ReturnType<typeof createLoader>>;
  let loaded: ReturnType<typeof loadBackbone> | undefined;
  try {
    loaded = cfg.init && !opts.resume ? loadBackbone(task.params, cfg.init, DET_HEAD_PREFIXES) : undefined;
    run = new RunDir(runPath);
    run.writeConfig(cfg);
    selection = run.selection(opts.resume, (r) => selectTraining(cfg, r));
    loader = await createLoader({
      source: detSourceSpec({
        dir: cfg.data.dir,
        split: cfg.data.trainSplit,
        scenes: selection.scenes,
        keepBoxes: selection.keepBoxes,
      }),
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
    boxes: selection.boxes,
    params: task.params.count(),
    config: cfg,
    init: cfg.init,
    loaded,
  });
  const valNames = cfg.data.valSplit ? ds.sceneNames(cfg.data.valSplit) : [];
  const valScenes = cfg.validation.maxScenes ? valNames.slice(0, cfg.validation.maxScenes) : valNames;
  const decode = { ...cfg.eval, perClass: true, maxBoxes: null };
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
            task: 'detection',
            ...cfg.model,
            outChannels: 1,
            normalize: false,
            head: cfg.head,
            classIds,
            voxelSize: loaderCfg.voxelSize,
            features: loaderCfg.features,
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
                  const m = evaluateDetSplit(task.det, ds, valScenes, loaderCfg.features, decode).metrics;
                  const pct = (x: number | null) => 100 * (x ?? 0);
                  const v = { mAP25: pct(m.mAP25), mAP50: pct(m.mAP50) };
                  opts.onValidation?.(step, v);
                  return { score: v[cfg.validation.metric], metrics: { ...v, mAR25: pct(m.mAR25) } };
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
        `- task: 3D detection, ${classIds.length} classes (${ds.manifest.labelMap.name}), data ${cfg.data.dir}`,
        `- backbone: ${cfg.model.backbone}, init: ${cfg.init ?? 'scratch'}${cfg.freezeBackbone ? ' (frozen)' : ''}`,
        `- train scenes: ${selection.scenes.length}, boxes: ${selection.boxes}${cfg.data.boxesPerScene ? ` (${cfg.data.boxesPerScene} per scene)` : ''}`,
        `- steps: ${summary.steps} in ${summary.seconds.toFixed(1)} s (${summary.stoppedBy}); final loss ${summary.finalLoss.toFixed(4)}`,
        summary.bestScore !== undefined
          ? `- best validation ${cfg.validation.metric}: ${summary.bestScore.toFixed(2)} % at step ${summary.bestStep}`
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
