/**
 * The one entry from a task's run to the engine: a resolved config's training sections, the
 * task (model + loss), and the open data loader become one `train` call, with validation and the
 * method hooks passed through. Every task's run.ts calls this.
 */
import { createLoader, type DataLoader } from '../data/loader/loader.js';
import type { LoaderConfig } from '../data/loader/config.js';
import type { SourceSpec } from '../data/loader/sources.js';
import type { OptimizerConfig } from './optimizer.js';
import { RunDir } from './run-dir.js';
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

/** The training data of a run: its selection (saved in the run) and where the loader reads. */
export interface RunData<S> {
  /** Chooses a new run's training selection (read back from selection.json on resume). */
  select?: (run: RunDir) => S;
  source: (selection: S | undefined) => SourceSpec;
  loader: LoaderConfig;
}

/**
 * Opens a run folder with its resolved config in config.yaml, its training selection and its
 * loader (at the saved position when resuming).
 */
export async function openRun<S>(
  path: string,
  cfg: unknown,
  resume: boolean,
  data: RunData<S>,
): Promise<{ run: RunDir; selection: S | undefined; loader: DataLoader }> {
  const run = new RunDir(path);
  run.writeConfig(cfg);
  const selection = data.select ? run.selection(resume, data.select) : undefined;
  const loader = await createLoader({
    source: data.source(selection),
    config: data.loader,
    resume: resume ? run.loaderState() : undefined,
    where: 'data.loader',
  });
  return { run, selection, loader };
}

/**
 * `openRun` for a task whose network is already built: `prepare` (loading a pre-trained
 * backbone) runs first, so a backbone that does not fit fails before the run folder is written;
 * on any failure the task's parameters are released.
 */
export async function openTaskRun<S, P>(
  task: { params: { dispose(): void } },
  prepare: () => P,
  path: string,
  cfg: unknown,
  resume: boolean,
  data: RunData<S>,
): Promise<{ run: RunDir; selection: S | undefined; loader: DataLoader; prepared: P }> {
  try {
    const prepared = prepare();
    return { ...(await openRun(path, cfg, resume, data)), prepared };
  } catch (e) {
    task.params.dispose();
    throw e;
  }
}

/** A fine-tuning run's validation: `score` every `cfg.every` steps, or none without validation scenes. */
export function validationOf(
  cfg: { every: number; patience: number | null },
  scenes: readonly string[],
  score: Validation['run'],
): Validation | undefined {
  return scenes.length > 0 ? { every: cfg.every, patience: cfg.patience, run: score } : undefined;
}
