/**
 * `pointcontrast bench synth`: synthetic scene generation throughput (scenes/s, points/s), per
 * room type, at a given density.
 */
import type { Command } from 'commander';
import { runSynthBench } from '../../bench/synth.js';
import { cpuMs } from '../../bench/timing.js';
import { machineLoad } from '../bench-machine.js';
import { intAtLeast, positiveNumber, seedInt } from '../options.js';
import { printedJson } from '../output.js';
import { createProgress } from '../progress.js';

export function register(bench: Command): void {
  bench
    .command('synth')
    .description('synthetic indoor scene generation: scenes/s and points/s (mixed room types)')
    .option('--scenes <n>', 'timed scenes (seeds seed..seed+n-1)', '40')
    .option('--seed <s>', 'first seed', '0')
    .option('--points-per-m2 <d>', 'sampling density', '1000')
    .option('--json', 'print one JSON object')
    .action((opts: { scenes: string; seed: string; pointsPerM2: string; json?: boolean }) => {
      const scenes = intAtLeast(opts.scenes, '--scenes', 1);
      const seed = seedInt(opts.seed, '--seed');
      const pointsPerM2 = positiveNumber(opts.pointsPerM2, '--points-per-m2');
      const bar = createProgress('bench synth', scenes, 'scenes');
      const r = runSynthBench({ scenes, seed, pointsPerM2 }, (done) => bar.update(done), cpuMs);
      bar.stop();
      if (printedJson(opts.json, { bench: 'synth', ...r, ...machineLoad() })) return;
      process.stdout.write(
        `${r.scenes} scenes at ${r.pointsPerM2} pts/m²: ${r.scenesPerS.toFixed(2)} scenes/s, ` +
          `${(r.pointsPerS / 1e6).toFixed(2)} Mpoints/s (per CPU second: ${r.scenesPerCpuS?.toFixed(2)} scenes, ` +
          `${((r.pointsPerCpuS ?? 0) / 1e6).toFixed(2)} Mpoints), mean ${Math.round(r.meanPoints)} points, ` +
          `p50 ${r.msP50.toFixed(0)} ms, p90 ${r.msP90.toFixed(0)} ms\n`,
      );
      for (const [t, v] of Object.entries(r.byRoomType)) {
        process.stdout.write(
          `  ${t.padEnd(11)} ${String(v.scenes).padStart(3)} scenes  ${Math.round(v.meanPoints)} points  ${v.msMean.toFixed(0)} ms\n`,
        );
      }
    });
}
