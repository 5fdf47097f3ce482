/**
 * The one entry from a task's run to the engine: a resolved config's training sections, the
 * task (model + loss), and the open data loader become one `train` call, with validation and the
 * method hooks passed through. Every task's run.ts calls this.
 */
import { createLoader, type DataLoader } from '../data/loader/loader.js';
import type { FeatureMode, LoaderConfig } from '../data/loader/config.js';
import type { SourceSpec } from '../data/loader/sources.js';
import type { OptimizerConfig } from './optimizer.js';
import { completedRunSummary } from './completed-run.js';
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

/** The options every task's run takes: the config file, its overrides, the run folder, --resume, a step callback. */
export interface TaskRunOptions {
  config: string;
  overrides?: string[];
  out?: string;
  resume?: boolean;
  onStep?: (s: StepInfo) => void;
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

/**
 * `runTraining` of an opened run (`--resume` and the step callback from the task's options), then
 * the run's summary.md from `summary` (one line each, a blank line ends it); however the training
 * ends, the loader is closed and the task's parameters are released. Resuming a run that already
 * reached train.maxSteps trains nothing and rewrites nothing: its recorded summary is returned.
 */
export async function trainAndSummarize<B>(
  cfg: TrainingConfig,
  task: TrainTask<B>,
  opened: { run: RunDir; loader: DataLoader },
  opts: TaskRunOptions,
  loop: Pick<RunTrainingOptions<B>, 'meta' | 'validation' | 'hooks'>,
  summary: (s: TrainSummary) => string[],
): Promise<TrainSummary> {
  const { run, loader } = opened;
  try {
    const done = opts.resume ? completedRunSummary(run, cfg.train.maxSteps) : undefined;
    if (done) return done;
    const s = await runTraining(cfg, task, loader, {
      run,
      resume: opts.resume ?? false,
      ...loop,
      onStep: opts.onStep,
    });
    run.writeSummary([...summary(s), ''].join('\n'));
    return s;
  } finally {
    await loader.close();
    task.params.dispose();
  }
}

/** The input a run's network takes, for its checkpoints' architecture: the loader's voxel size and features. */
export function inputOf(loader: LoaderConfig): { voxelSize: number; features: FeatureMode } {
  return { voxelSize: loader.voxelSize, features: loader.features };
}

/** The summary.md line of a fine-tuning run's steps, time, stop reason and final loss. */
export function stepsLine(s: TrainSummary): string {
  return `- steps: ${s.steps} in ${s.seconds.toFixed(1)} s (${s.stoppedBy}); final loss ${s.finalLoss.toFixed(4)}`;
}

/** The training data of a run: its selection (saved in the run) and where the loader reads. */
export interface RunData<S> {
  /** Chooses a new run's training selection (read back from selection.json on resume). */
  select?: (run: RunDir) => S;
  source: (selection: S | undefined) => SourceSpec;
  loader: LoaderConfig;
}

/**
 * Opens a run folder with its resolved config in config.yaml (headed by `notes`; a resumed run
 * keeps the notes it had), its training selection and its loader (at the saved position when resuming).
 */
export async function openRun<S>(
  path: string,
  cfg: unknown,
  resume: boolean,
  data: RunData<S>,
  notes: readonly string[] = [],
): Promise<{ run: RunDir; selection: S | undefined; loader: DataLoader }> {
  const run = new RunDir(path);
  run.writeConfig(cfg, resume ? run.configNotes() : notes);
  const selection = data.select ? run.selection(resume, data.select) : undefined;
  const loader = await createLoader({
    source: data.source(selection),
    config: data.loader,
    resume: resume ? run.loaderState() : undefined,
  });
  return { run, selection, loader };
}

/**
 * Opens a fine-tuning run whose network is already built: `prepare` (loading a pre-trained
 * backbone) runs first (`target.notes` head its config.yaml), so a backbone that does not fit fails before the run folder is written;
 * then `openRun` with the training selection `select` chooses (saved in the run, read back on
 * resume) and the loader over `source(selection)`. On any failure the task's parameters are released.
 */
export async function openTaskRun<C extends { data: { loader: LoaderConfig } }, S, P>(
  task: { params: { dispose(): void } },
  prepare: () => P,
  target: { cfg: C; path: string; notes?: readonly string[] },
  opts: { resume?: boolean },
  select: (cfg: C, run: RunDir) => S,
  source: (cfg: C, selection: S) => SourceSpec,
): Promise<{ run: RunDir; selection: S; loader: DataLoader; prepared: P }> {
  const { cfg, path } = target;
  try {
    const prepared = prepare();
    const opened = await openRun(
      path,
      cfg,
      opts.resume ?? false,
      {
        select: (r) => select(cfg, r),
        source: (sel) => source(cfg, sel!),
        loader: cfg.data.loader,
      },
      target.notes,
    );
    return { ...opened, selection: opened.selection!, prepared };
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
