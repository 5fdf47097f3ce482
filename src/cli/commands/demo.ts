/**
 * `pointcontrast demo` (= `npm run demo`): synthetic scenes → pre-training → few-label
 * fine-tuning from scratch and from the pre-trained backbone → comparison → predictions.
 */
import type { Command } from 'commander';
import { fileURLToPath } from 'node:url';
import { collect } from '../config-option.js';
import { backendFromOptions } from '../context.js';
import { createProgress, type Progress } from '../progress.js';
import { runDemo } from '../../bench/demo.js';
import { preflight } from '../../train/preflight.js';
import { RunDir } from '../../train/run-dir.js';

const DEFAULT_CONFIG = fileURLToPath(new URL('../../../configs/demo.yaml', import.meta.url));

export function register(program: Command): void {
  program
    .command('demo')
    .description(
      'the whole job on built-in synthetic data: pre-train, fine-tune with few labels (scratch vs pre-trained), evaluate, predict',
    )
    .option('--config <file>', 'demo config', DEFAULT_CONFIG)
    .option('--set <key=value>', 'override a demo config key (repeatable)', collect, [])
    .option('--out <dir>', 'output folder (default runs/demo-<time>)')
    .option('--json', 'print the result as one JSON object')
    .action(async (opts: { config: string; set: string[]; out?: string; json?: boolean }, cmd: Command) => {
      const backend = await backendFromOptions(cmd);
      preflight();
      const out = opts.out ?? RunDir.defaultPath('demo');
      const err = process.stderr;
      err.write(`pointcontrast demo → ${out} (backend ${backend.name} ×${backend.threads} threads)\n`);
      let bar: Progress | undefined;
      let barKey = '';
      const res = await runDemo({
        config: opts.config,
        overrides: opts.set,
        out,
        onEvent: (e) => {
          if (e.kind === 'stage') {
            bar?.stop();
            bar = undefined;
            err.write(`\n[${e.index}/${e.total}] ${e.title}\n`);
          } else if (e.kind === 'progress') {
            const key = `${e.unit}:${e.total}`;
            if (!bar || key !== barKey) {
              bar?.stop();
              bar = createProgress(`  ${e.unit}s`, e.total, e.unit);
              barKey = key;
            }
            bar.update(e.done, e.info);
          } else {
            bar?.stop();
            bar = undefined;
            err.write(`  ✓ ${e.summary}\n`);
          }
        },
      });
      bar?.stop();
      const view = `npx pointcontrast view ${res.predictions}`;
      if (opts.json) {
        process.stdout.write(`${JSON.stringify({ ...res, view })}\n`);
        return;
      }
      const row = (name: string, m: { mIoU: number; mAcc: number; allAcc: number }) =>
        `${name.padEnd(22)} ${m.mIoU.toFixed(1).padStart(6)} ${m.mAcc.toFixed(1).padStart(6)} ${m.allAcc.toFixed(1).padStart(7)}`;
      const lines = [
        '',
        `Semantic segmentation on ${res.valScenes} held-out scenes, trained on ${res.trainScenes} scenes × ${res.pointsPerScene ?? 'all'} labelled points:`,
        `${''.padEnd(22)}   mIoU   mAcc  allAcc`,
        row('from scratch', res.scratch),
        row('pre-trained (ours)', res.pretrained),
        `${'difference'.padEnd(22)} ${(res.delta_mIoU >= 0 ? '+' : '') + res.delta_mIoU.toFixed(1)}`.padEnd(
          29,
        ),
        '',
        `total ${res.seconds.toFixed(0)} s; runs in ${res.out}`,
        `open the predictions in the viewer:  ${view}`,
        '',
      ];
      process.stdout.write(lines.join('\n'));
    });
}
