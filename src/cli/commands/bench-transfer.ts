/**
 * `pointcontrast bench transfer`: the data-efficient transfer curve (scratch vs pre-trained) on
 * synthetic scenes; see src/train/transfer-bench.ts. Long: run it outside the test suite.
 */
import type { Command } from 'commander';
import { fileURLToPath } from 'node:url';
import { collect } from '../config-option.js';
import { backendFromOptions } from '../context.js';
import { printJson } from '../output.js';
import { runTransferBench, transferTable, type PretrainLoss } from '../../bench/transfer.js';
import { LOSSES } from '../../losses/registry.js';
import { onlyRealTransfer, parseMethods, TRANSFER_METHODS } from '../../bench/transfer-methods.js';
import { methodsTable } from '../../bench/transfer-summary.js';

const list = (v: string) =>
  v
    .split(',')
    .filter((s) => s !== '')
    .map(Number);
const cfg = (p: string) => fileURLToPath(new URL(`../../../configs/${p}`, import.meta.url));

export function register(bench: Command): void {
  bench
    .command('transfer')
    .description(
      'segmentation mIoU vs label budget, scratch vs pre-trained (mean ± std over seeds) on synthetic scenes',
    )
    .option('--out <dir>', 'work folder (resumable)', 'runs/bench-transfer')
    .option(
      '--seeds <list>',
      "fine-tuning seeds: each sets the run's seed (initialisation, labelled points, prototypes); data.loader.seed (scene order, augmentation) stays fixed, so paired seeds share it (bench real-transfer varies both)",
      '0,1,2',
    )
    .option('--scenes <list>', 'scene budgets (all points)', '1,2,4,8')
    .option(
      '--scene-draw <first|per-seed>',
      'k-scene budgets label the first k train scenes for every seed, or scenes s·k…s·k+k−1 for seed s',
      'first',
    )
    .option('--points <list>', 'labelled points per scene (all training scenes)', '20,50,200')
    .option('--losses <list>', 'pre-training losses', Object.keys(LOSSES).join(','))
    .option(
      '--methods <list>',
      `fine-tuning methods, some of ${TRANSFER_METHODS.filter((m) => !onlyRealTransfer(m)).join(',')} (baseline: each loss's backbone; the others: the first loss's; radreg: its own pre-training with regularizer radreg on the labelled train scenes, labels unused)`,
      'baseline',
    )
    .option('--labelled-scenes <n>', 'labelled synthetic scenes (last fifth held out)', '40')
    .option('--pretrain-scenes <n>', 'unlabelled scenes for pairs', '240')
    .option('--views-per-scene <n>', 'virtual views per pre-training scene', '6')
    .option('--voxel <m>', 'voxel size', '0.05')
    .option('--pretrain-steps <n>', "pre-training steps per loss (default: the config's train.maxSteps)")
    .option('--finetune-steps <n>', 'fine-tuning steps per run', '200')
    .option('--pretrain-config <file>', 'pre-training config', cfg('pretrain/synthetic-transfer.yaml'))
    .option('--finetune-config <file>', 'fine-tuning config', cfg('finetune/synthetic-seg.yaml'))
    .option(
      '--finetune-set <[method:]key=value>',
      'override for every fine-tuning run, or with a method: prefix for that method only (repeatable)',
      collect,
      [],
    )
    .option('--pretrain-set <key=value>', 'override for every pre-training run (repeatable)', collect, [])
    .option('--json', 'print the runs and the summary rows as JSON')
    .action(async (o: Record<string, string | string[] | boolean | undefined>, cmd: Command) => {
      await backendFromOptions(cmd);
      const t0 = performance.now();
      const sceneDraw = o.sceneDraw as string;
      if (sceneDraw !== 'first' && sceneDraw !== 'per-seed')
        throw new Error(`--scene-draw: expected 'first' or 'per-seed', got '${sceneDraw}'`);
      const pretrainSteps = o.pretrainSteps === undefined ? undefined : Number(o.pretrainSteps);
      if (pretrainSteps !== undefined && !(Number.isInteger(pretrainSteps) && pretrainSteps > 0))
        throw new Error(`--pretrain-steps: expected a positive integer, got '${o.pretrainSteps as string}'`);
      const losses = (o.losses as string).split(',').filter((s) => s !== '') as PretrainLoss[];
      const unknown = losses.filter((l) => !Object.prototype.hasOwnProperty.call(LOSSES, l));
      if (unknown.length > 0)
        throw new Error(
          `--losses: unknown ${unknown.join(', ')} (expected some of ${Object.keys(LOSSES).join(', ')})`,
        );
      const methods = parseMethods(o.methods as string);
      const res = await runTransferBench({
        out: o.out as string,
        pretrainConfig: o.pretrainConfig as string,
        finetuneConfig: o.finetuneConfig as string,
        seeds: list(o.seeds as string),
        sceneBudgets: list(o.scenes as string),
        sceneDraw,
        pointBudgets: list(o.points as string),
        losses,
        methods,
        labelledScenes: Number(o.labelledScenes),
        pretrainScenes: Number(o.pretrainScenes),
        pretrainSeed: 1000,
        viewsPerScene: Number(o.viewsPerScene),
        voxelSize: Number(o.voxel),
        pretrainSteps,
        finetuneSteps: Number(o.finetuneSteps),
        finetuneSet: o.finetuneSet as string[],
        pretrainSet: o.pretrainSet as string[],
        onEvent: (m) => process.stderr.write(`${m}\n`),
      });
      const seconds = (performance.now() - t0) / 1000;
      if (o.json) printJson({ ...res, seconds });
      else
        process.stdout.write(
          `${transferTable(
            res.rows,
            res.arms.map((a) => (a.method === 'baseline' || a.method === 'scratch' ? a.init : a.method)),
          )}\n\n${methodsTable(res.methods)}\n\n(${seconds.toFixed(0)} s)\n`,
        );
    });
}
