/**
 * `pointcontrast finetune …`: adapt a backbone (or scratch) to a labelled task. Each
 * subcommand module exports `register(finetune)`.
 */
import type { Command } from 'commander';
import { register as seg } from './finetune-seg.js';
import { register as det } from './finetune-det.js';

const SUBCOMMANDS: ((finetune: Command) => void)[] = [seg, det];

export function register(program: Command): void {
  const finetune = program
    .command('finetune')
    .description('fine-tune a pre-trained backbone (or scratch) on a labelled task');
  for (const sub of SUBCOMMANDS) sub(finetune);
}
