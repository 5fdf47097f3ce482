/**
 * `pointcontrast bench formats`: parse throughput (MB/s, Mpoints/s) of PLY/PCD/text on a
 * generated cloud and on the real .ply/.pcd files under --data when present.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { generatedInputs, runFormatBench, type FormatBenchInput } from '../../bench/formats.js';
import { readFileBytes } from '../../data/io/read-cloud.js';
import { cpuMs } from '../../bench/timing.js';
import { machineLoad } from '../bench-machine.js';
import { positiveInt } from '../options.js';
import { printedJson } from '../output.js';
import { createProgress } from '../progress.js';

function cloudFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...cloudFiles(p));
    else if (/\.(ply|pcd)$/i.test(name)) out.push(p);
  }
  return out;
}

/** Adds `formats` to the `bench` command group. */
export function register(bench: Command): void {
  bench
    .command('formats')
    .description(
      'point-cloud parse throughput: binary/ascii PLY, PCD binary/binary_compressed/ascii, text rows',
    )
    .option('--points <n>', 'points of the generated cloud', '1000000')
    .option('--data <dir>', 'folder searched for real .ply/.pcd files (skipped if absent)', '../shared/data')
    .option('--reps <n>', 'timed repetitions per input (median reported)', '3')
    .option('--json', 'print one JSON object')
    .action((opts: { points: string; data: string; reps: string; json?: boolean }) => {
      const points = positiveInt(opts.points, '--points');
      const reps = positiveInt(opts.reps, '--reps');
      const files = cloudFiles(opts.data);
      const inputs: FormatBenchInput[] = [
        ...generatedInputs(points),
        ...files.map((f) => ({
          name: f.replace(/^.*[\\/]/, ''),
          fileName: f,
          source: f,
          bytes: readFileBytes(f),
        })),
      ];
      const progress = createProgress('bench formats', inputs.length, 'inputs');
      const results = runFormatBench(inputs, reps, (done) => progress.update(done), cpuMs);
      progress.stop();
      const res = {
        bench: 'formats',
        points,
        reps,
        ...machineLoad(),
        realFiles: files.length ? opts.data : `none (no .ply/.pcd under ${opts.data})`,
        results,
      };
      if (printedJson(opts.json, res)) return;
      process.stdout.write(
        `${'input'.padEnd(44)} ${'MB'.padStart(8)} ${'points'.padStart(9)} ${'ms'.padStart(8)} ${'MB/s'.padStart(8)} Mpt/s\n`,
      );
      for (const r of results) {
        process.stdout.write(
          `${r.name.padEnd(44)} ${(r.bytes / 1e6).toFixed(2).padStart(8)} ${String(r.points).padStart(9)} ` +
            `${r.msMedian.toFixed(1).padStart(8)} ${r.mbPerS.toFixed(0).padStart(8)} ${(r.mbPerSCpu ?? 0).toFixed(0).padStart(9)} ${r.mpointsPerS.toFixed(2)}\n`,
        );
      }
    });
}
