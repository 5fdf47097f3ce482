/**
 * `pointcontrast bench det-transfer --pretrained CKPT`: detection on synthetic rooms from scratch
 * vs from a pre-trained backbone at 1, 2, 4 labelled scenes × seeds; mean ± std mAP@0.25 / @0.5.
 */
import type { Command } from 'commander';
import { machineLoad } from '../bench-machine.js';
import { collect } from '../config-option.js';
import { backendFromOptions } from '../context.js';
import { intAtLeast, seedInt } from '../options.js';
import { printedJson, secondsSince } from '../output.js';
import { createProgress, type Progress } from '../progress.js';
import { preflight } from '../../train/preflight.js';
import { benchDetTransfer } from '../../bench/det-transfer.js';
import { ROOM_TYPES, type RoomType } from '../../data/synth/classes.js';

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
        .map((b) => intAtLeast(b.trim(), '--budgets', 1));
      const roomType = opts.roomType === 'any' ? null : (opts.roomType as RoomType);
      if (roomType !== null && !ROOM_TYPES.includes(roomType))
        throw new Error(
          `--room-type: expected one of ${ROOM_TYPES.join(', ')} or 'any', got '${String(opts.roomType)}'`,
        );
      const ceilings: Record<string, boolean | null> = { yes: true, no: false, any: null };
      const ceiling = ceilings[String(opts.ceiling)];
      if (ceiling === undefined)
        throw new Error(`--ceiling: expected yes, no or any, got '${String(opts.ceiling)}'`);
      const dataSeed = seedInt(String(opts.dataSeed), '--data-seed');
      let bar: Progress | undefined;
      let label = '';
      const t0 = performance.now();
      const r = await benchDetTransfer({
        config: opts.config as string,
        pretrained: opts.pretrained as string,
        budgets,
        seeds: intAtLeast(String(opts.seeds), '--seeds', 1),
        steps: intAtLeast(String(opts.steps), '--steps', 1),
        data: {
          train: Math.max(...budgets),
          val: intAtLeast(String(opts.valScenes), '--val-scenes', 1),
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
        seconds: secondsSince(t0, 1),
        backend: backend.name,
        threads: backend.threads,
        ...machineLoad(),
      };
      if (printedJson(opts.json as boolean | undefined, res)) return;
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
