/**
 * `pointcontrast bench real-transfer`: scratch vs pre-trained inits on real ScanNet-layout scans,
 * at label budgets, over seeds, each eval scan scored on its own (src/bench/real-transfer.ts).
 * Long: run it outside the test suite; finished cells and backbones are reused from --out.
 */
import type { Command } from 'commander';
import { fileURLToPath } from 'node:url';
import { collect } from '../config-option.js';
import { backendFromOptions } from '../context.js';
import { printJson } from '../output.js';
import { runRealTransfer } from '../../bench/real-transfer.js';
import {
  parseBudgets,
  parseComplementInit,
  parseInits,
  parseList,
  parseSeeds,
  parseTasks,
  REAL_INITS,
  TRAIN_SCENES_TOKEN,
} from '../../bench/real-transfer-plan.js';
import { realTable } from '../../bench/real-transfer-summary.js';
import { parseMethods, TRANSFER_METHODS } from '../../bench/transfer-methods.js';

const repo = (p: string) => fileURLToPath(new URL(`../../../${p}`, import.meta.url));
const cfg = (p: string) => repo(`configs/${p}`);
const SHARED = '../shared/data';

function positive(v: string | undefined, key: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!(Number.isInteger(n) && n > 0)) throw new Error(`${key}: expected a positive integer, got '${v}'`);
  return n;
}

export function register(bench: Command): void {
  bench
    .command('real-transfer')
    .description(
      'segmentation (and detection) on real ScanNet-layout scans: every init fine-tuned with the same config at each label budget and seed, each eval scan scored on its own; gains paired against scratch',
    )
    .option('--train-root <dir>', 'ScanNet-layout root of the labelled train scenes', `${SHARED}/scannet`)
    .option('--train-scenes <list>', 'train scenes', 'scene0000_00')
    .option('--eval-root <dir>', 'ScanNet-layout root of the eval scenes (default: --train-root)')
    .option('--eval-scenes <list>', 'eval scenes (each reported on its own, then averaged)', 'scene0000_01')
    .option(
      '--inits <list>',
      `initialisations: ${Object.keys(REAL_INITS).join(', ')}, a pre-training config (.yaml, run on the real pairs) or a checkpoint folder ([name=]path); scratch is always included`,
      'scratch,real,synthetic-supervised-scanned',
    )
    .option(
      '--pretrain-data <list>',
      `unlabelled real sources of the pre-training inits: '${TRAIN_SCENES_TOKEN}' (the train scenes' geometry), scan files or folders, RGB-D folders (ScanNet export, 3DMatch / 7-Scenes frames); never an eval scene`,
      `${TRAIN_SCENES_TOKEN},${SHARED}/unlabelled,${SHARED}/7scenes-redkitchen-rgbd`,
    )
    .option('--budgets <list>', "labelled points per train scene, or 'all' (e.g. 20,200,all)", '20,all')
    .option(
      '--seeds <list>',
      'fine-tuning seeds (initialisation, labelled points, scene order, augmentation)',
      '0,1,2',
    )
    .option('--tasks <list>', 'seg and/or det (det runs at the all budget)', 'seg')
    .option(
      '--methods <list>',
      `fine-tuning methods, some of ${TRANSFER_METHODS.join(',')} (complement: the baseline cells scored with their synthetic-supervised init answering for the classes the labels lack, at the all budget)`,
      'baseline',
    )
    .option(
      '--complement-init <init>',
      "the network that answers for the classes the labels lack in every complement cell, instead of each cell's own init: a built-in segmentation init (e.g. synthetic-supervised-scanned-height) or a segmentation checkpoint folder ([name=]path)",
    )
    .option(
      '--tta',
      'score every segmentation cell with test-time augmentation (4 rotations × 3 scales; the complement rule calibrated on the same passes); cells scored otherwise are rescored, their training reused',
    )
    .option(
      '--holdout-classes <list>',
      "classes held out of the training labels of every segmentation cell; each row also reports their IoU on the eval scans (what an init knows of classes the labels lack), e.g. 'bed,sofa,desk'",
    )
    .option(
      '--out <dir>',
      'work folder (finished cells and backbones are reused)',
      'runs/bench-real-transfer',
    )
    .option(
      '--seg-config <file>',
      "fine-tuning config of every segmentation cell; every init's input layout must start it (checked before anything trains)",
      cfg('finetune/real-transfer.yaml'),
    )
    .option(
      '--det-config <file>',
      'fine-tuning config of every detection cell',
      cfg('finetune/real-transfer-det.yaml'),
    )
    .option('--real-pretrain-config <file>', 'recipe of the real inits', cfg('pretrain/real-scans.yaml'))
    .option(
      '--synthetic-pretrain-config <file>',
      'recipe of the synthetic init',
      cfg('pretrain/synthetic-transfer.yaml'),
    )
    .option(
      '--supervised-config <file>',
      'recipe of synthetic-supervised',
      cfg('finetune/synthetic-supervised.yaml'),
    )
    .option(
      '--supervised-scanned-config <file>',
      'second stage of synthetic-supervised-scanned (from the synthetic-supervised network, on the same rooms virtually scanned)',
      cfg('finetune/synthetic-supervised-scanned.yaml'),
    )
    .option(
      '--supervised-det-config <file>',
      "recipe of synthetic-supervised's detector (its detection cells' init, trained on the synthetic boxes)",
      cfg('finetune/synthetic-supervised-det.yaml'),
    )
    .option(
      '--supervised-height-config <file>',
      'first stage of synthetic-supervised-scanned-height (synthetic-supervised with the height input)',
      cfg('finetune/synthetic-supervised-height.yaml'),
    )
    .option(
      '--supervised-scanned-height-config <file>',
      'second stage of synthetic-supervised-scanned-height (on the same rooms virtually scanned)',
      cfg('finetune/synthetic-supervised-scanned-height.yaml'),
    )
    .option('--views-per-scan <n>', 'virtual views cut from each real scan', '48')
    .option('--frame-skip <k>', 'RGB-D: every k-th frame', '5')
    .option('--pair-voxel <m>', 'voxel of the pairs (m)', '0.05')
    .option('--synthetic-scenes <n>', 'synthetic rooms of the synthetic pairs', '240')
    .option('--supervised-scenes <n>', 'labelled synthetic rooms of synthetic-supervised', '120')
    .option('--finetune-steps <n>', "fine-tuning steps (default: the config's)")
    .option('--pretrain-steps <n>', "pre-training steps (default: each recipe's)")
    .option(
      '--finetune-set <[method:]key=value>',
      'override for every fine-tuning run (repeatable)',
      collect,
      [],
    )
    .option('--pretrain-set <key=value>', 'override for every pre-training run (repeatable)', collect, [])
    .option('--json', 'print every cell and the rows as JSON')
    .action(async (o: Record<string, string | string[] | boolean | undefined>, cmd: Command) => {
      // arguments first: a bad name fails before the backend starts or anything is written
      const pairVoxel = Number(o.pairVoxel);
      if (!(pairVoxel > 0))
        throw new Error(`--pair-voxel: expected a positive size in metres, got '${o.pairVoxel as string}'`);
      const opts = {
        out: o.out as string,
        trainRoot: o.trainRoot as string,
        trainScenes: parseList(o.trainScenes as string, '--train-scenes'),
        evalRoot: (o.evalRoot as string | undefined) ?? (o.trainRoot as string),
        evalScenes: parseList(o.evalScenes as string, '--eval-scenes'),
        inits: parseInits(o.inits as string),
        pretrainData: parseList(o.pretrainData as string, '--pretrain-data'),
        budgets: parseBudgets(o.budgets as string),
        seeds: parseSeeds(o.seeds as string),
        tasks: parseTasks(o.tasks as string),
        methods: parseMethods(o.methods as string),
        ...(o.tta ? { tta: true } : {}),
        ...(o.complementInit === undefined
          ? {}
          : { complementInit: parseComplementInit(o.complementInit as string) }),
        ...(o.holdoutClasses === undefined
          ? {}
          : { holdoutClasses: parseList(o.holdoutClasses as string, '--holdout-classes') }),
        segConfig: o.segConfig as string,
        detConfig: o.detConfig as string,
        realPretrainConfig: o.realPretrainConfig as string,
        syntheticPretrainConfig: o.syntheticPretrainConfig as string,
        supervisedConfig: o.supervisedConfig as string,
        supervisedScannedConfig: o.supervisedScannedConfig as string,
        supervisedDetConfig: o.supervisedDetConfig as string,
        supervisedHeightConfig: o.supervisedHeightConfig as string,
        supervisedScannedHeightConfig: o.supervisedScannedHeightConfig as string,
        viewsPerScan: positive(o.viewsPerScan as string, '--views-per-scan')!,
        frameSkip: positive(o.frameSkip as string, '--frame-skip')!,
        pairVoxel,
        syntheticScenes: positive(o.syntheticScenes as string, '--synthetic-scenes')!,
        supervisedScenes: positive(o.supervisedScenes as string, '--supervised-scenes')!,
        finetuneSteps: positive(o.finetuneSteps as string | undefined, '--finetune-steps'),
        pretrainSteps: positive(o.pretrainSteps as string | undefined, '--pretrain-steps'),
        finetuneSet: o.finetuneSet as string[],
        pretrainSet: o.pretrainSet as string[],
        onEvent: (m: string) => process.stderr.write(`${m}\n`),
      };
      await backendFromOptions(cmd);
      const t0 = performance.now();
      const res = await runRealTransfer(opts);
      const seconds = (performance.now() - t0) / 1000;
      if (o.json) printJson({ ...res, seconds });
      else process.stdout.write(`${realTable(res.rows)}\n\n(${seconds.toFixed(0)} s)\n`);
    });
}
