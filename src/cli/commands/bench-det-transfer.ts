/**
 * `pointcontrast bench det-transfer --pretrained CKPT`: detection on synthetic rooms from scratch
 * vs from a pre-trained backbone at 1, 2, 4 labelled scenes × seeds; mean ± std mAP@0.25 / @0.5.
 */
import { cpus, loadavg } from 'node:os';
import type { Command } from 'commander';
import { backendFromOptions } from '../context.js';
import { createProgress, type Progress } from '../progress.js';
import { preflight } from '../../train/preflight.js';
import { benchDetTransfer } from '../../bench/det-transfer.js';
import { ROOM_TYPES, type RoomType } from '../../data/synth/classes.js';

function collect(v: string, prev: string[]): string[] {
  return [...prev, v];
}

function positiveInt(v: string, flag: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag}: expected an integer ≥ 1, got '${v}'`);
  return n;
}

export function register(bench: Command): void {
  bench
    .command('det-transfer')
    .description(
      'detection fine-tuning from scratch vs pre-trained at few labelled scenes (mAP, seeds); resumable',
    )
    .requiredOption(
      '--pretrained <checkpoint>',
      'pre-trained backbone (pretrain --config configs/pretrain/synthetic-small.yaml)',
    )
    .option('--config <file>', 'detection fine-tuning config', 'configs/finetune/synthetic-det.yaml')
    .option('--budgets <list>', 'labelled train scenes per run, comma separated', '1,2,4')
    .option('--seeds <n>', 'seeds per budget and init', '3')
    .option('--steps <n>', 'training steps per run', '200')
    .option('--val-scenes <n>', 'held-out evaluation scenes', '12')
    .option(
      '--room-type <type>',
      `one room type for every scene (${ROOM_TYPES.join(', ')}, or 'any')`,
      'bedroom',
    )
    .option('--data-seed <s>', 'seed of the first synthetic scene', '5000')
    .option(
      '--ceiling <yes|no|any>',
      'rooms with a ceiling, without (like ScanNet scans), or drawn per scene',
      'no',
    )
    .option('--set <key=value>', 'override a fine-tuning config key (repeatable)', collect, [])
    .option(
      '--out <dir>',
      'benchmark folder (data/, runs/; finished runs are reused)',
      'bench-out/det-transfer',
    )
    .option('--json', 'print one JSON object')
    .action(async (opts: Record<string, string | boolean | string[] | undefined>, cmd: Command) => {
      const backend = await backendFromOptions(cmd);
      preflight();
      const budgets = String(opts.budgets)
        .split(',')
        .map((b) => positiveInt(b.trim(), '--budgets'));
      const roomType = opts.roomType === 'any' ? null : (opts.roomType as RoomType);
      if (roomType !== null && !ROOM_TYPES.includes(roomType))
        throw new Error(
          `--room-type: expected one of ${ROOM_TYPES.join(', ')} or 'any', got '${String(opts.roomType)}'`,
        );
      const ceilings: Record<string, boolean | null> = { yes: true, no: false, any: null };
      const ceiling = ceilings[String(opts.ceiling)];
      if (ceiling === undefined)
        throw new Error(`--ceiling: expected yes, no or any, got '${String(opts.ceiling)}'`);
      const dataSeed = Number(opts.dataSeed);
      if (!Number.isSafeInteger(dataSeed) || dataSeed < 0)
        throw new Error(`--data-seed: expected an integer ≥ 0, got '${String(opts.dataSeed)}'`);
      let bar: Progress | undefined;
      let label = '';
      const t0 = performance.now();
      const r = await benchDetTransfer({
        config: opts.config as string,
        pretrained: opts.pretrained as string,
        budgets,
        seeds: positiveInt(String(opts.seeds), '--seeds'),
        steps: positiveInt(String(opts.steps), '--steps'),
        data: {
          train: Math.max(...budgets),
          val: positiveInt(String(opts.valScenes), '--val-scenes'),
          seed: dataSeed,
          roomType,
          ceiling,
        },
        out: opts.out as string,
        overrides: opts.set as string[],
        onRun: (i) => {
          bar?.stop();
          label = `${i.done + 1}/${i.total} ${i.name}`;
          if (i.reused) process.stderr.write(`det-transfer: ${label}: reusing the finished run\n`);
          else bar = createProgress(`det-transfer ${label}`, Number(opts.steps), 'step');
        },
        onStep: (s) => bar?.update(s),
      });
      bar?.stop();
      const res = {
        bench: 'det-transfer',
        ...r,
        seconds: +((performance.now() - t0) / 1000).toFixed(1),
        backend: backend.name,
        threads: backend.threads,
        cpu: cpus()[0]?.model ?? 'unknown',
        node: process.version,
        loadavg: loadavg().map((v) => Math.round(v * 100) / 100),
      };
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(res)}\n`);
        return;
      }
      const f = (s: { mean: number; std: number }) => `${s.mean.toFixed(1)} ± ${s.std.toFixed(1)}`;
      process.stdout.write(
        `scenes  scratch AP25   pretrained AP25  gain AP25    scratch AP50   pretrained AP50  gain AP50\n`,
      );
      for (const b of r.results) {
        process.stdout.write(
          `${String(b.scenes).padStart(6)}  ${f(b.scratch.mAP25).padEnd(13)}  ${f(b.pretrained.mAP25).padEnd(15)}  ${f(b.gain.mAP25).padEnd(11)}  ${f(b.scratch.mAP50).padEnd(13)}  ${f(b.pretrained.mAP50).padEnd(15)}  ${f(b.gain.mAP50)}\n`,
        );
      }
    });
}
