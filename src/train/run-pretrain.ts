/**
 * Orchestrates a pre-training run: resolve and validate the config, open the run folder and the
 * loader (resuming its position), run the trainer, write the summary. Library entry point of
 * `pointcontrast pretrain`.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createLoader } from '../data/loader/loader.js';
import { parseLoaderConfig } from '../data/loader/config.js';
import type { PairBatch } from '../data/loader/types.js';
import type { SourceSpec } from '../data/loader/sources.js';
import { loadConfigObject, validateConfig } from './config-file.js';
import { checkInputChannels } from './finetune.js';
import { pretrainConfigSchema, PretrainTask, type PretrainConfig } from './pretrain.js';
import { RunDir } from './run-dir.js';
import { train, type StepInfo, type TrainSummary } from './trainer.js';

export interface PretrainRunOptions {
  config: string;
  overrides?: string[];
  out?: string;
  resume?: boolean;
  maxSteps?: number;
  timeBudget?: number;
  onStep?: (s: StepInfo) => void;
  /** Called once the loader is open (e.g. to report its size). */
  onStart?: (info: { run: string; pairs: number; params: number; config: PretrainConfig }) => void;
}

export interface PretrainRunResult {
  run: string;
  summary: TrainSummary;
  config: PretrainConfig;
}

/** Reads and validates a pre-training config (with its _base_ files and --set overrides). */
export function resolvePretrainConfig(path: string, overrides: string[] = []): PretrainConfig {
  const cfg = validateConfig(pretrainConfigSchema, loadConfigObject(path, overrides), path);
  const loader = parseLoaderConfig(cfg.data.loader, `${path}: data.loader`);
  checkInputChannels(cfg.model.inChannels, loader.features, path);
  return cfg;
}

/** Runs (or resumes) a pre-training run. */
export async function runPretrain(opts: PretrainRunOptions): Promise<PretrainRunResult> {
  const overrides = [...(opts.overrides ?? [])];
  if (opts.maxSteps !== undefined) overrides.push(`train.maxSteps=${opts.maxSteps}`);
  if (opts.timeBudget !== undefined) overrides.push(`train.timeBudget=${opts.timeBudget}`);
  let cfg: PretrainConfig;
  let run: RunDir;
  if (opts.resume) {
    if (!opts.out) throw new Error('--resume needs --out <run folder>');
    if (!existsSync(join(opts.out, 'config.yaml')))
      throw new Error(`--resume: ${opts.out} has no config.yaml`);
    run = new RunDir(opts.out);
    cfg = resolvePretrainConfig(join(opts.out, 'config.yaml'), overrides);
  } else {
    cfg = resolvePretrainConfig(opts.config, overrides);
    run = new RunDir(opts.out ?? RunDir.defaultPath(cfg.name));
    if (run.hasCheckpoint())
      throw new Error(`${run.path} already holds a run; use --resume to continue it or another --out`);
  }
  run.writeConfig(cfg);
  const loaderCfg = parseLoaderConfig(cfg.data.loader, 'data.loader');
  const loader = await createLoader({
    source: cfg.data.source as unknown as SourceSpec,
    config: loaderCfg,
    resume: opts.resume ? run.loaderState() : undefined,
    where: 'data.loader',
  });
  if (loader.kind !== 'pairs') throw new Error(`data.source gives ${loader.kind}, pre-training needs pairs`);
  const task = new PretrainTask(cfg, loaderCfg.voxelSize);
  opts.onStart?.({ run: run.path, pairs: loader.size, params: task.params.count(), config: cfg });
  try {
    const summary = await train<PairBatch>(
      task,
      {
        next: async () => {
          const b = await loader.next();
          if (!b) throw new Error('data loader ended before train.maxSteps (set data.loader.epochs: null)');
          return b as PairBatch;
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
            task: 'pretrain',
            ...cfg.model,
            voxelSize: loaderCfg.voxelSize,
            features: loaderCfg.features,
          },
          config: cfg,
        },
        onStep: opts.onStep,
      },
    );
    run.writeSummary(
      [
        `# ${cfg.name}`,
        '',
        `- backbone: ${cfg.model.backbone} (${task.params.count()} parameters), loss ${cfg.loss.type}`,
        `- steps: ${summary.steps} in ${summary.seconds.toFixed(1)} s (stopped by ${summary.stoppedBy})`,
        `- final loss: ${summary.finalLoss.toFixed(4)}`,
        `- peak RSS: ${summary.peakRssMb.toFixed(0)} MB`,
        `- checkpoint: last/`,
        '',
      ].join('\n'),
    );
    return { run: run.path, summary, config: cfg };
  } finally {
    await loader.close();
    task.params.dispose();
  }
}
