/**
 * Orchestrates a pre-training run: resolve and validate the config, open the run folder and the
 * loader (resuming its position), run the trainer, write the summary. Library entry point of
 * `pointcontrast pretrain`.
 */
import { RunDir, runTarget } from '../../train/run-dir.js';
import { inputOf, openRun, trainAndSummarize, type TaskRunOptions } from '../../train/run-training.js';
import type { TrainSummary } from '../../train/trainer.js';
import { resolvePretrainConfig, type PretrainConfig } from './schema.js';
import { checkPairs, trainingSource } from './source.js';
import { PretrainTask } from './task.js';
import { pretrainHooks } from './radreg-hook.js';
import { loadBackbone } from '../../train/init.js';
import type { NetArchitecture } from '../../models/checkpoint-model.js';

export interface PretrainRunOptions extends TaskRunOptions {
  maxSteps?: number;
  timeBudget?: number;
  /** Called once the loader is open (e.g. to report its size). */
  onStart?: (info: { run: string; pairs: number; params: number; config: PretrainConfig }) => void;
}

export interface PretrainRunResult {
  run: string;
  summary: TrainSummary;
  config: PretrainConfig;
}

/** Runs (or resumes) a pre-training run. */
export async function runPretrain(opts: PretrainRunOptions): Promise<PretrainRunResult> {
  const overrides = [...(opts.overrides ?? [])];
  if (opts.maxSteps !== undefined) overrides.push(`train.maxSteps=${opts.maxSteps}`);
  if (opts.timeBudget !== undefined) overrides.push(`train.timeBudget=${opts.timeBudget}`);
  const { cfg, path } = runTarget({ ...opts, overrides }, resolvePretrainConfig);
  const run = new RunDir(path);
  const loaderCfg = cfg.data.loader;
  const { loader } = await openRun(run.path, cfg, opts.resume ?? false, {
    source: () => trainingSource(cfg),
    loader: loaderCfg,
  });
  checkPairs(loader);
  const task = new PretrainTask(cfg, loaderCfg.voxelSize);
  // the output layer may differ (e.g. continuing from a segmentation network): it then starts anew
  if (cfg.init && !opts.resume) loadBackbone(task.params, cfg.init, 'final.', loaderCfg.features);
  opts.onStart?.({ run: run.path, pairs: loader.size, params: task.params.count(), config: cfg });
  const meta = {
    architecture: { task: 'pretrain', ...cfg.model, ...inputOf(loaderCfg) } satisfies NetArchitecture,
    config: cfg,
  };
  const hooks = pretrainHooks(cfg, task.net);
  const summary = await trainAndSummarize(cfg, task, { run, loader }, opts, { meta, hooks }, (s) => [
    `# ${cfg.name}`,
    '',
    `- backbone: ${cfg.model.backbone} (${task.params.count()} parameters), loss ${cfg.loss.type}`,
    ...(cfg.init ? [`- initialised from: ${cfg.init}`] : []),
    ...(cfg.regularizer === 'radreg'
      ? [`- regularizer: radreg (λ ${cfg.radreg.lambda}, data ${cfg.radreg.data})`]
      : []),
    `- steps: ${s.steps} in ${s.seconds.toFixed(1)} s (stopped by ${s.stoppedBy})`,
    `- final loss: ${s.finalLoss.toFixed(4)}`,
    `- peak RSS: ${s.peakRssMb.toFixed(0)} MB`,
    `- checkpoint: last/`,
  ]);
  return { run: run.path, summary, config: cfg };
}
