/**
 * `pointcontrast bench pairs`: pair-generation throughput (see src/data/pairs/benchmark.ts).
 */
import type { Command } from 'commander';
import { benchPairs } from '../../bench/pairs.js';
import { positiveInt, positiveNumber } from '../options.js';
import { printFlat, printJson } from '../output.js';
import { openPairDataset } from '../../data/pairs/reader.js';
import { pairStats, type PairStats } from '../../data/pairs/pair-stats.js';

/** A markdown table of pair-folder statistics (p10 / p50 / p90). */
function pairStatsTable(stats: Record<string, PairStats>): string {
  const q = (x: { p10: number; p50: number; p90: number }, d = 0) =>
    `${x.p10.toFixed(d)} / ${x.p50.toFixed(d)} / ${x.p90.toFixed(d)}`;
  const rows = Object.entries(stats).map(
    ([dir, s]) =>
      `| ${dir} | ${s.from} | ${s.scenes} | ${s.pairs} | ${q(s.pairsPerScene)} | ${q(s.overlap, 2)} | ${q(s.pointsPerView)} | ${q(s.correspondences)} | ${q(s.matchedFraction, 2)} |`,
  );
  return [
    '| pairs | from | scenes | pairs | pairs / scene | overlap | points / view | matches / pair | matched fraction |',
    '|---|---|---:|---:|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}

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
    .option(
      '--stats <dirs>',
      'instead: overlap, points per view and matches per pair of existing pair folders (comma separated)',
    )
    .option('--json', 'print one JSON object')
    .action(
      async (opts: {
        stats?: string;
        scenes: string;
        workers: string;
        reps: string;
        pointsPerM2: string;
        bruteForce: boolean;
        json?: boolean;
      }) => {
        if (opts.stats !== undefined) {
          const dirs = opts.stats.split(',').filter((d) => d !== '');
          if (dirs.length === 0) throw new Error('--stats: expected a comma-separated list of pair folders');
          const stats = Object.fromEntries(dirs.map((d) => [d, pairStats(openPairDataset(d).manifest)]));
          if (opts.json) printJson(stats);
          else process.stdout.write(pairStatsTable(stats));
          return;
        }
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
