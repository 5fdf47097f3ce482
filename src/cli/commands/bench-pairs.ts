/**
 * `pointcontrast bench pairs`: pair-generation throughput (see src/data/pairs/benchmark.ts).
 */
import type { Command } from 'commander';
import { benchPairs } from '../../bench/pairs.js';
import { positiveInt, positiveNumber } from '../options.js';
import { printFlat } from '../output.js';

export function register(bench: Command): void {
  bench
    .command('pairs')
    .description(
      'correspondence search Mpoints/s (grid vs brute force), overlap and visibility, depth PNG, data pairs --from synth pairs/s',
    )
    .option('--scenes <n>', 'synthetic scenes of the end-to-end run', '4')
    .option('--workers <list>', 'worker counts of the end-to-end run (comma separated)', '1,2')
    .option('--reps <n>', 'timed repetitions of the micro-benchmarks (median reported)', '5')
    .option('--points-per-m2 <d>', 'density of the micro-benchmark scene', '4000')
    .option('--no-brute-force', 'skip the O(N·M) brute-force timing')
    .option('--json', 'print one JSON object')
    .action(
      async (opts: {
        scenes: string;
        workers: string;
        reps: string;
        pointsPerM2: string;
        bruteForce: boolean;
        json?: boolean;
      }) => {
        const density = positiveNumber(opts.pointsPerM2, '--points-per-m2');
        const res = await benchPairs({
          scenes: positiveInt(opts.scenes, '--scenes'),
          workers: opts.workers.split(',').map((w) => positiveInt(w, '--workers')),
          reps: positiveInt(opts.reps, '--reps'),
          pointsPerM2: density,
          bruteForce: opts.bruteForce,
        });
        printFlat(opts.json, res, 26);
      },
    );
}
