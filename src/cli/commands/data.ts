/**
 * `pointcontrast data …`: the data tools. Each subcommand module exports `register(data)`.
 */
import type { Command } from 'commander';
import { register as registerPrepare } from './data-prepare.js';
import { register as registerInspect } from './data-inspect.js';
import { register as registerPairs } from './data-pairs.js';
import { register as registerSynth } from './data-synth.js';

const SUBCOMMANDS: ((data: Command) => void)[] = [
  registerSynth,
  registerPrepare,
  registerInspect,
  registerPairs,
];

export function register(program: Command): void {
  const data = program.command('data').description('point-cloud files, datasets, synthetic scenes and pairs');
  for (const sub of SUBCOMMANDS) sub(data);
}
