/**
 * `pointcontrast data synth`: procedural indoor scenes → one binary PLY per scene plus
 * scenes.json (rooms, boxes), written atomically with a progress bar.
 */
import { join } from 'node:path';
import type { Command } from 'commander';
import { writeFileAtomic } from '../../data/io/atomic-write.js';
import { ROOM_TYPES, type RoomType } from '../../data/synth/classes.js';
import { writeSynthDataset } from '../../data/synth/export.js';
import { createProgress } from '../progress.js';

interface Opts {
  out: string;
  scenes: string;
  seed: string;
  pointsPerM2?: string;
  noise?: string;
  roomType?: string;
  scanner?: boolean;
  minSpacing?: string;
  furnitureVariety?: boolean;
  format: string;
  json?: boolean;
}

function number(
  v: string | undefined,
  key: string,
  ok: (n: number) => boolean,
  expected: string,
): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !ok(n)) throw new Error(`${key}: expected ${expected}, got '${v}'`);
  return n;
}

export function register(data: Command): void {
  data
    .command('synth')
    .description(
      'procedural indoor scenes with semantic + instance labels and boxes (one PLY per scene + scenes.json)',
    )
    .requiredOption('--out <dir>', 'output folder')
    .requiredOption('--scenes <n>', 'number of scenes (scene i uses seed + i)')
    .option('--seed <s>', 'base seed', '0')
    .option('--points-per-m2 <d>', 'surface sampling density before occlusion (default 1000)')
    .option('--noise <m>', 'Gaussian position noise σ in metres (default 0.005)')
    .option('--room-type <t>', `only this room type: ${ROOM_TYPES.join(' | ')} (default: mixed)`)
    .option(
      '--scanner',
      'keep only what a virtual walk-around capture at eye height sees (no undersides, tops above eye height, hidden walls; default off)',
    )
    .option(
      '--min-spacing <m>',
      'thin to this minimum point spacing, like a decimated scan mesh (default off)',
    )
    .option(
      '--furniture-variety',
      'add furniture of scanned homes: L-shaped sectional sofas, curtains along walls, more clutter (default off)',
    )
    .option('--format <f>', 'output format (ply)', 'ply')
    .option('--json', 'print a one-line JSON summary')
    .action((opts: Opts) => {
      const scenes = number(opts.scenes, '--scenes', (n) => Number.isInteger(n) && n >= 1, 'an integer ≥ 1')!;
      const seed = number(opts.seed, '--seed', (n) => Number.isSafeInteger(n) && n >= 0, 'an integer ≥ 0');
      const pointsPerM2 = number(
        opts.pointsPerM2,
        '--points-per-m2',
        (n) => n > 0 && Number.isFinite(n),
        'a positive number',
      );
      const noise = number(opts.noise, '--noise', (n) => n >= 0 && Number.isFinite(n), 'a number ≥ 0');
      const minSpacing = number(
        opts.minSpacing,
        '--min-spacing',
        (n) => n > 0 && Number.isFinite(n),
        'a positive number',
      );
      if (opts.format !== 'ply') throw new Error(`--format: expected 'ply', got '${opts.format}'`);
      if (opts.roomType !== undefined && !ROOM_TYPES.includes(opts.roomType as RoomType)) {
        throw new Error(`--room-type: expected one of ${ROOM_TYPES.join(', ')}, got '${opts.roomType}'`);
      }
      const bar = createProgress('data synth', scenes, 'scenes');
      let total = 0;
      const t0 = performance.now();
      const index = writeSynthDataset(
        {
          scenes,
          seed,
          pointsPerM2,
          noise,
          roomType: opts.roomType as RoomType | undefined,
          scanner: opts.scanner,
          minSpacing,
          variety: opts.furnitureVariety,
        },
        (file, bytes) => writeFileAtomic(join(opts.out, file), bytes),
        (done, _n, points) => {
          total += points;
          bar.update(done, { points: total });
        },
      );
      bar.stop();
      const seconds = (performance.now() - t0) / 1000;
      const summary = {
        out: opts.out,
        scenes: index.scenes.length,
        points: total,
        boxes: index.scenes.reduce((s, e) => s + e.boxes.length, 0),
        seconds: Math.round(seconds * 100) / 100,
      };
      if (opts.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
      else {
        process.stdout.write(
          `wrote ${summary.scenes} scenes (${summary.points} points, ${summary.boxes} boxes) to ${opts.out} in ${summary.seconds} s\n`,
        );
      }
    });
}
