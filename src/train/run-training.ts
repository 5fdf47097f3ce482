/**
 * The one entry from a task's run to the engine: a resolved config's training sections, the
 * task (model + loss), and the open data loader become one `train` call, with validation and the
 * method hooks passed through. Every task's run.ts calls this.
 */
import type { DataLoader } from '../data/loader/loader.js';
import type { OptimizerConfig } from './optimizer.js';
import type { RunDir } from './run-dir.js';
import type { ScheduleConfig } from './schedule.js';
import { train, type StepInfo, type TrainOptions, type TrainSummary, type TrainTask } from './trainer.js';
import type { TrainHook, Validation } from './hooks.js';

/** The training sections of a resolved task config. */
export interface TrainingConfig {
  optim: OptimizerConfig;
  schedule: ScheduleConfig;
  train: { maxSteps: number; timeBudget: number | null; checkpointEvery: number; logEvery: number };
}

/** Where the run goes and what rides along with the loop. */
export interface RunTrainingOptions<B> {
  run: RunDir;
  resume: boolean;
  /** Written into every checkpoint (architecture, classes, the resolved config). */
  meta: TrainOptions['meta'];
  validation?: Validation;
  hooks?: TrainHook<B>[];
  onStep?: (info: StepInfo) => void;
}

/** Trains `task` on `loader`'s batches as `cfg` says; the loader must not end before maxSteps. */
export function runTraining<B>(
  cfg: TrainingConfig,
  task: TrainTask<B>,
  loader: DataLoader,
  opts: RunTrainingOptions<B>,
): Promise<TrainSummary> {
  const stream = {
    next: async () => {
      const b = await loader.next();
      if (!b) throw new Error('data loader ended before train.maxSteps (set data.loader.epochs: null)');
      return b as B;
    },
    state: () => loader.state(),
  };
  return train<B>(task, stream, {
    maxSteps: cfg.train.maxSteps,
    timeBudget: cfg.train.timeBudget,
    checkpointEvery: cfg.train.checkpointEvery,
    logEvery: cfg.train.logEvery,
    optimizer: cfg.optim,
    schedule: cfg.schedule,
    ...opts,
  });
}
