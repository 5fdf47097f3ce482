/**
 * The options the training commands share: `--config` (required for a new run; with `--resume`
 * the run folder's own resolved `config.yaml`), the run options and the flag → config-key overrides.
 */
import { join } from 'node:path';
import type { Command } from 'commander';

/** The config file of a run: --config, or the run folder's config.yaml on --resume. */
export function configOf(opts: { config?: string; resume?: boolean; out?: string }): string {
  if (opts.config) return opts.config;
  if (opts.resume && opts.out) return join(opts.out, 'config.yaml');
  throw new Error("required option '--config <file>' not specified (or give --resume --out <run folder>)");
}

/** Commander collector of a repeatable option (`--set a=1 --set b=2`). */
export function collect(v: string, prev: string[]): string[] {
  return [...prev, v];
}

/** Parsed options of a training command. */
export type TrainCliOptions = Record<string, string | boolean | string[] | undefined>;

/** The options every training command ends with: --set, --out, --resume, --max-steps, --time-budget, --json. */
export function addRunOptions(cmd: Command): Command {
  return cmd
    .option('--set <key=value>', 'override a config key (repeatable)', collect, [])
    .option('--out <dir>', 'run folder (default runs/<name>-<time>)')
    .option('--resume', 'continue the run in --out from its last checkpoint')
    .option('--max-steps <n>', 'override train.maxSteps')
    .option('--time-budget <seconds>', 'stop after this many seconds')
    .option('--json', 'print the summary as one JSON object');
}

/**
 * The config overrides of a command line: the --set list, then each flag in `keys` (option
 * name → config key; a switch sets `true`), then --max-steps and --time-budget.
 */
export function overridesOf(opts: TrainCliOptions, keys: Record<string, string>): string[] {
  const o = [...((opts.set as string[] | undefined) ?? [])];
  const all = { ...keys, maxSteps: 'train.maxSteps', timeBudget: 'train.timeBudget' };
  for (const [opt, key] of Object.entries(all)) {
    const v = opts[opt];
    if (v === true) o.push(`${key}=true`);
    else if (typeof v === 'string' && v !== '') o.push(`${key}=${v}`);
  }
  return o;
}

/** The options of a task's run that a training command line gives. */
export interface RunCliOptions {
  config: string;
  overrides: string[];
  out: string | undefined;
  resume: boolean;
}

/** A task run's options from a training command line: the config file, its overrides (`keys` as in `overridesOf`), --out and --resume. */
export function runOptionsOf(opts: TrainCliOptions, keys: Record<string, string>): RunCliOptions {
  const overrides = overridesOf(opts, keys);
  return {
    config: configOf(opts),
    overrides,
    out: opts.out as string | undefined,
    resume: Boolean(opts.resume),
  };
}
