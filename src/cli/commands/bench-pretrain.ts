/**
 * `pointcontrast bench pretrain --pairs DIR`: pre-training pairs/s and peak memory per backbone
 * and voxel size (see src/bench/pretrain.ts).
 */
import type { Command } from 'commander';
import { backendFromOptions } from '../context.js';
import { benchPretrain } from '../../bench/pretrain.js';
import type { BackboneName } from '../../models/registry.js';
import { BASELINE_PATHS } from '../../bench/fast-paths.js';
import { FAST_PATHS } from '../../sparse/code-paths.js';
import os from 'node:os';

export function register(bench: Command): void {
  bench
    .command('pretrain')
    .description('pre-training throughput (pairs/s) and peak memory for each backbone × voxel size')
    .requiredOption(
      '--pairs <dir>',
      'a `data pairs` folder (stored with --store-voxel 0 or ≤ the smallest voxel)',
    )
    .option(
      '--backbones <list>',
      'backbone names',
      'Res16UNet14A-w4,Res16UNet14A-w2,Res16UNet14A,Res16UNet34C',
    )
    .option('--voxels <list>', 'voxel sizes in metres', '0.05,0.025')
    .option('--batch <n>', 'pairs per step', '4')
    .option('--steps <n>', 'timed steps (after 2 warm-up steps)', '5')
    .option(
      '--baseline',
      'run without the fast paths (log-sum-exp gradient, copy-free Identity, sorted-merge kernel maps, two-pair conv kernels), for a before/after',
    )
    .option('--json', 'print one JSON object')
    .action(
      async (
        o: {
          pairs: string;
          backbones: string;
          voxels: string;
          batch: string;
          steps: string;
          baseline?: boolean;
          json?: boolean;
        },
        cmd: Command,
      ) => {
        const info = await backendFromOptions(cmd);
        const loadBefore = os.loadavg()[0];
        const rows = await benchPretrain({
          pairs: o.pairs,
          backbones: o.backbones.split(',') as BackboneName[],
          voxels: o.voxels.split(',').map(Number),
          batchPairs: Number(o.batch),
          steps: Number(o.steps),
          paths: o.baseline ? BASELINE_PATHS : FAST_PATHS,
          onRow: (r) => {
            if (!o.json) process.stdout.write(`${JSON.stringify(r)}\n`);
          },
        });
        if (o.json)
          process.stdout.write(
            `${JSON.stringify({
              backend: info.name,
              threads: info.threads,
              baseline: o.baseline === true,
              // 1-minute load average before and after: the machine may be shared
              load: [loadBefore, os.loadavg()[0]].map((l) => Math.round(l * 100) / 100),
              rows,
            })}\n`,
          );
      },
    );
}
