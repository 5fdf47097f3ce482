/**
 * `pointcontrast bench sparse`: one k=3 s=1 sparse conv layer (see src/bench/sparse.ts).
 */
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { backendFromOptions } from '../context.js';
import { benchSparseConv } from '../../bench/sparse.js';
import type { NeighbourSearch } from '../../sparse/kernel-map.js';
import type { ConvBlocking } from '../../backend/wasm-kernels/conv-kernels.js';
import { roomSurfaceVoxels } from '../../bench/room-voxels.js';
import { positiveInt } from '../options.js';
import { printFlat } from '../output.js';

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

/** `rows,block,unroll`: three positive integers. */
function parseBlocking(v: string): ConvBlocking {
  const parts = v.split(',');
  if (parts.length !== 3) throw new Error(`--blocking: expected rows,block,unroll (e.g. 2,4,1), got '${v}'`);
  const [rows, block, unroll] = parts.map((p) => positiveInt(p.trim(), '--blocking'));
  return { rows, block, unroll };
}

export function register(bench: Command): void {
  bench
    .command('sparse')
    .description(
      'time one 3×3×3 submanifold sparse conv layer (kernel map, forward, forward+backward) and the GEMM floor',
    )
    .option('--coords <file>', 'little-endian int32 N×3 voxel coordinates (default: a generated room)')
    .option('--channels <c>', 'input = output channels', '32')
    .option('--reps <n>', 'timed repetitions after one warm-up (min / median / max reported)', '5')
    .option(
      '--search <method>',
      'kernel-map neighbour search: auto (sorted merge, hash fallback), merge, hash',
      'auto',
    )
    .option(
      '--blocking <rows,block,unroll>',
      'fused conv kernels: pairs per group, f32x4 accumulators per pair, Cin-loop unroll (default 2,4,1; 1,8,1 = the one-pair kernels)',
    )
    .option('--kernel-map-only', 'time the kernel map only')
    .option('--json', 'print one JSON object')
    .action(
      async (
        opts: {
          coords?: string;
          channels: string;
          reps: string;
          search: string;
          blocking?: string;
          kernelMapOnly?: boolean;
          json?: boolean;
        },
        cmd: Command,
      ) => {
        if (!['auto', 'merge', 'hash'].includes(opts.search))
          throw new Error(`--search: expected auto, merge or hash, got '${opts.search}'`);
        const reps = positiveInt(opts.reps, '--reps');
        const blocking = opts.blocking === undefined ? undefined : parseBlocking(opts.blocking);
        const info = await backendFromOptions(cmd);
        const coords = opts.coords ? readCoords(opts.coords) : roomSurfaceVoxels();
        const load1 = os.loadavg()[0];
        const res = {
          ...benchSparseConv(
            {
              coords,
              channels: Number(opts.channels),
              reps,
              search: opts.search as NeighbourSearch,
              kernelMapOnly: opts.kernelMapOnly,
              blocking,
            },
            info.threads,
          ),
          // the machine's 1-minute load average before and after: timings are only comparable at equal load
          load_before: Math.round(load1 * 100) / 100,
          load_after: Math.round(os.loadavg()[0] * 100) / 100,
        };
        printFlat(opts.json, res, 16);
      },
    );
}
