/**
 * `pointcontrast bench …`: throughput and memory benchmarks (JSON with --json). Each subcommand module exports `register(bench)`.
 */
import type { Command } from 'commander';
import { register as sparse } from './bench-sparse.js';
import { register as transfer } from './bench-transfer.js';
import { register as pretrainBench } from './bench-pretrain.js';
import { register as prepare } from './bench-prepare.js';
import { register as formats } from './bench-formats.js';
import { register as viewer } from './bench-viewer.js';
import { register as segment } from './bench-segment.js';
import { register as pairs } from './bench-pairs.js';
import { register as synth } from './bench-synth.js';
import { register as loader } from './bench-loader.js';
import { register as detTransfer } from './bench-det-transfer.js';
import { register as realTransfer } from './bench-real-transfer.js';
import { register as sceneStats } from './bench-scene-stats.js';
import { register as splatLeak } from './bench-splat-leak.js';

const SUBCOMMANDS: ((bench: Command) => void)[] = [
  prepare,
  sparse,
  transfer,
  pretrainBench,
  formats,
  viewer,
  segment,
  synth,
  pairs,
  loader,
  detTransfer,
  realTransfer,
  sceneStats,
  splatLeak,
];

export function register(program: Command): void {
  const bench = program
    .command('bench')
    .description(
      'benchmarks; each prints one JSON object with --json (the one place docs/benchmarks.md numbers come from)',
    );
  for (const sub of SUBCOMMANDS) sub(bench);
}
