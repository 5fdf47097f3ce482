/**
 * The action the fine-tuning commands share: backend and preflight, the run with its options
 * from the command line, a start line on stderr and a step bar with the last validation score.
 */
import type { Command } from 'commander';
import type { BackendInfo } from '../backend/select.js';
import type { StepInfo } from '../train/trainer.js';
import { preflight } from '../train/preflight.js';
import { runOptionsOf, type RunCliOptions, type TrainCliOptions } from './config-option.js';
import { backendFromOptions } from './context.js';
import { createProgress, StepBar, type Progress } from './progress.js';

/** The config keys of the options `finetuneSubcommand` adds (for `overridesOf`). */
export const FINETUNE_INPUT_KEYS: Record<string, string> = { data: 'data.dir', init: 'init' };

/** A fine-tuning subcommand with its --config (help `configHelp`) and --data and --init options. */
export function finetuneSubcommand(
  finetune: Command,
  name: string,
  description: string,
  configHelp: string,
): Command {
  return finetune
    .command(name)
    .description(description)
    .option('--config <file>', configHelp)
    .option('--data <dir>', 'prepared dataset folder (overrides data.dir)')
    .option('--init <checkpoint>', 'pre-trained backbone: checkpoint or run folder (overrides init)');
}

/** What a fine-tuning run reports when it starts. */
interface StartInfo {
  config: { train: { maxSteps: number } };
  /** Lines to show before the start line (what the run took from its init checkpoint). */
  notes: string[];
}

/** A task's fine-tuning run and how its command shows it. */
export interface FinetuneSpec<I extends StartInfo, V, R> {
  /** Option name → config key of the command's flags (as in `overridesOf`). */
  keys: Record<string, string>;
  /** The task's run (`runFinetuneSeg`, `runFinetuneDet`). */
  run: (
    opts: RunCliOptions & {
      onStart: (i: I) => void;
      onStep: (s: StepInfo) => void;
      onValidation: (step: number, v: V) => void;
      onSetup?: (what: string, done: number, total: number) => void;
    },
  ) => Promise<R>;
  /** The stderr line when the run starts. */
  startLine: (i: I, backend: BackendInfo) => string;
  /** Values shown beside loss and lr on the bar. */
  stepValues: (s: StepInfo) => Record<string, number>;
  /** The validation score beside the bar: its name and its value from a validation result. */
  validation: [key: string, score: (v: V) => number];
}

/** Runs a fine-tuning command's task run; returns its result for the command's summary. */
export async function runFinetuneCommand<I extends StartInfo, V, R>(
  cmd: Command,
  opts: TrainCliOptions,
  spec: FinetuneSpec<I, V, R>,
): Promise<R> {
  const backend = await backendFromOptions(cmd);
  preflight();
  const [valKey, score] = spec.validation;
  const bar = new StepBar('finetune', valKey);
  let setup: { what: string; bar: Progress } | undefined;
  const res = await spec.run({
    ...runOptionsOf(opts, spec.keys),
    onStart: (i) => {
      for (const n of i.notes) process.stderr.write(`${n}\n`);
      process.stderr.write(spec.startLine(i, backend));
      bar.start(i.config.train.maxSteps);
    },
    onStep: (s) => bar.step(s, spec.stepValues(s)),
    onValidation: (_step, v) => bar.validated(score(v)),
    onSetup: (what, done, total) => {
      if (!setup || setup.what !== what) setup = { what, bar: createProgress(what, total, 'scene') };
      setup.bar.update(done);
      if (done === total) setup.bar.stop();
    },
  });
  bar.stop();
  return res;
}
