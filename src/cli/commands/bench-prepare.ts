/**
 * `pointcontrast bench prepare`: prepared-cache codec, S3DIS text parsing and ScanNet preparation
 * throughput (see src/data/prepared/benchmark.ts).
 */
import type { Command } from 'commander';
import { benchPrepare } from '../../bench/prepare.js';

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
      const points = Number(opts.points);
      const reps = Number(opts.reps);
      if (!Number.isInteger(points) || points < 1)
        throw new Error(`--points: expected a positive integer, got '${opts.points}'`);
      if (!Number.isInteger(reps) || reps < 1)
        throw new Error(`--reps: expected a positive integer, got '${opts.reps}'`);
      const res = await benchPrepare({ points, reps, scannetRoot: opts.scannet });
      if (opts.json) process.stdout.write(`${JSON.stringify(res)}\n`);
      else for (const [k, v] of Object.entries(res)) process.stdout.write(`${k.padEnd(24)} ${v}\n`);
    });
}
