/**
 * `pointcontrast bench loader`: data-loader throughput (augment + voxelise + collate) in the
 * calling thread and through the prefetch worker, and the wait a training loop sees per step.
 */
import type { Command } from 'commander';
import { loadAverages, machineInfo } from '../bench-machine.js';
import { intAtLeast, positiveNumber } from '../options.js';
import { printedJson } from '../output.js';
import { runLoaderBench } from '../../bench/loader.js';
import { FEATURE_DIMS, type FeatureMode } from '../../data/loader/config.js';
import { createProgress } from '../progress.js';

interface Opts {
  scenes: string;
  seed: string;
  pointsPerM2: string;
  batchSize: string;
  voxel: string;
  transforms: string;
  features: string;
  batches: string;
  stepMs: string;
  workers: string;
  prefetch: string;
  pairs?: string;
  json?: boolean;
}

export function register(bench: Command): void {
  bench
    .command('loader')
    .description(
      'data loader: batches/s and points/s in-thread and via the prefetch worker, wait per training step',
    )
    .option('--scenes <n>', 'synthetic scenes (cached after the first epoch)', '8')
    .option('--seed <s>', 'first scene seed', '0')
    .option('--points-per-m2 <d>', 'synthetic sampling density', '1000')
    .option('--batch-size <n>', 'scenes (or pairs) per batch', '4')
    .option('--voxel <m>', 'voxel size in metres', '0.02')
    .option(
      '--transforms <recipe>',
      'augmentation recipe (none, scannet-seg, pointcontrast-pair, …)',
      'scannet-seg',
    )
    .option('--features <mode>', `input features: ${Object.keys(FEATURE_DIMS).join(' | ')}`, 'rgb')
    .option('--batches <n>', 'timed batches per measurement', '8')
    .option('--step-ms <ms>', 'simulated training step for the wait measurement', '500')
    .option('--workers <n>', 'prefetch worker threads', '1')
    .option('--prefetch <n>', 'batches kept in flight', '2')
    .option('--pairs <dir>', "benchmark a 'data pairs' folder instead of synthetic scenes")
    .option('--json', 'print one JSON object')
    .action(async (opts: Opts) => {
      const voxelSize = positiveNumber(opts.voxel, '--voxel');
      const pointsPerM2 = positiveNumber(opts.pointsPerM2, '--points-per-m2');
      if (!(opts.features in FEATURE_DIMS)) {
        throw new Error(
          `--features: expected one of ${Object.keys(FEATURE_DIMS).join(', ')}, got '${opts.features}'`,
        );
      }
      const batches = intAtLeast(opts.batches, '--batches', 1);
      const bar = createProgress('bench loader', batches * 4, 'batches');
      const r = await runLoaderBench(
        {
          scenes: intAtLeast(opts.scenes, '--scenes', 1),
          seed: intAtLeast(opts.seed, '--seed', 0),
          pointsPerM2,
          batchSize: intAtLeast(opts.batchSize, '--batch-size', 1),
          voxelSize,
          transforms: opts.transforms,
          features: opts.features as FeatureMode,
          batches,
          stepMs: intAtLeast(opts.stepMs, '--step-ms', 0),
          workers: intAtLeast(opts.workers, '--workers', 1),
          prefetch: intAtLeast(opts.prefetch, '--prefetch', 1),
          pairsDir: opts.pairs,
        },
        (done) => bar.update(done),
      );
      bar.stop();
      const res = {
        bench: 'loader',
        ...r,
        ...machineInfo(),
        loadavg: loadAverages(),
      };
      if (printedJson(opts.json, res)) return;
      const f = (v: number) => v.toFixed(0);
      process.stdout.write(
        `${r.source}, batch ${r.batchSize}, voxel ${r.voxelSize} m, transforms ${r.transforms}: ` +
          `${f(r.meanPointsPerBatch)} points → ${f(r.meanVoxelsPerBatch)} voxels per batch\n` +
          `  in-thread: ${f(r.inThread.msPerBatch)} ms/batch (${f(r.inThread.cpuMsPerBatch)} CPU ms), ` +
          `${(r.inThread.pointsPerS / 1e6).toFixed(2)} Mpoints/s\n` +
          `  worker:    ${f(r.worker.msPerBatch)} ms/batch, ${(r.worker.pointsPerS / 1e6).toFixed(2)} Mpoints/s\n` +
          `  wait per ${r.step.stepMs} ms step: in-thread ${f(r.step.inThreadWaitMs)} ms, ` +
          `prefetching ${f(r.step.workerWaitMs)} ms\n`,
      );
    });
}
