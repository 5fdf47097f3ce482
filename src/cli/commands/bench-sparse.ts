/**
 * `pointcontrast bench sparse`: one k=3 s=1 sparse conv layer (see src/sparse/benchmark.ts).
 */
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { backendFromOptions } from '../context.js';
import { benchSparseConv } from '../../bench/sparse.js';
import { roomSurfaceVoxels } from '../../bench/room-voxels.js';

function readCoords(path: string): Int32Array {
  const buf = readFileSync(path);
  if (buf.length % 12 !== 0) {
    throw new Error(
      `${path}: ${buf.length} bytes is not a multiple of 12 (little-endian int32 N×3 expected)`,
    );
  }
  const out = new Int32Array(buf.length / 4);
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.length);
  for (let i = 0; i < out.length; i++) out[i] = dv.getInt32(i * 4, true);
  return out;
}

export function register(bench: Command): void {
  bench
    .command('sparse')
    .description(
      'time one 3×3×3 submanifold sparse conv layer (kernel map, forward, forward+backward) and the GEMM floor',
    )
    .option('--coords <file>', 'little-endian int32 N×3 voxel coordinates (default: a generated room)')
    .option('--channels <c>', 'input = output channels', '32')
    .option('--reps <n>', 'timed repetitions (median reported)', '5')
    .option('--json', 'print one JSON object')
    .action(
      async (opts: { coords?: string; channels: string; reps: string; json?: boolean }, cmd: Command) => {
        const info = await backendFromOptions(cmd);
        const coords = opts.coords ? readCoords(opts.coords) : roomSurfaceVoxels();
        const res = benchSparseConv(
          { coords, channels: Number(opts.channels), reps: Number(opts.reps) },
          info.threads,
        );
        if (opts.json) process.stdout.write(`${JSON.stringify(res)}\n`);
        else for (const [k, v] of Object.entries(res)) process.stdout.write(`${k.padEnd(16)} ${v}\n`);
      },
    );
}
