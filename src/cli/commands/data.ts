/**
 * `pointcontrast data …`: the data tools. Each subcommand module exports `register(data)`.
 */
import type { Command } from 'commander';

const SUBCOMMANDS: ((data: Command) => void)[] = [];

export function register(program: Command): void {
  const data = program.command('data').description('point-cloud files, datasets, synthetic scenes and pairs');
  for (const sub of SUBCOMMANDS) sub(data);
}
