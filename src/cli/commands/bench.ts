/**
 * `pointcontrast bench …`: throughput and memory benchmarks (JSON with --json). Each subcommand module exports `register(bench)`.
 */
import type { Command } from 'commander';

const SUBCOMMANDS: ((bench: Command) => void)[] = [];

export function register(program: Command): void {
  const bench = program
    .command('bench')
    .description(
      'benchmarks; each prints one JSON object with --json (the one place docs/benchmarks.md numbers come from)',
    );
  for (const sub of SUBCOMMANDS) sub(bench);
}
