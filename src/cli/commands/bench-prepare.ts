/**
 * `pointcontrast bench prepare`: prepared-cache codec, S3DIS text parsing and ScanNet preparation
 * throughput (see src/data/prepared/benchmark.ts).
 */
import type { Command } from 'commander';
import { benchPrepare } from '../../bench/prepare.js';
import { positiveInt } from '../options.js';
import { printFlat } from '../output.js';

export function register(bench: Command): void {
  bench
    .command('prepare')
    .description(
      'prepared-scene encode/decode MB/s, S3DIS text rows Mpoints/s, ScanNet scans → cache s/scene',
    )
    .option('--points <n>', 'points of the generated scene and text rows', '1000000')
    .option('--scannet <dir>', 'ScanNet root to time data prepare on', '../shared/data/scannet')
    .option('--reps <n>', 'timed repetitions (median reported)', '5')
    .option('--json', 'print one JSON object')
    .action(async (opts: { points: string; scannet: string; reps: string; json?: boolean }) => {
      const points = positiveInt(opts.points, '--points');
      const reps = positiveInt(opts.reps, '--reps');
      printFlat(opts.json, await benchPrepare({ points, reps, scannetRoot: opts.scannet }), 24);
    });
}
