/**
 * The data-efficient transfer benchmark (`pointcontrast bench transfer`), after Contrastive
 * Scene Contexts' tables, on synthetic scenes: label budgets of K training scenes (all points)
 * and K labelled points per scene (all training scenes); scratch vs backbones pre-trained with
 * each contrastive loss; several fine-tuning seeds; mIoU on held-out scenes (every original
 * point, the last checkpoint — no model selection on the evaluation scenes). Resumable: finished
 * runs are read back from results.json.
 */
import { existsSync, readFileSync } from 'node:fs';
import { RunDir, runUnlessFinished } from '../train/run-dir.js';
import { lastCheckpointDir } from '../train/checkpoint.js';
import { join } from 'node:path';
import { prepareDataset } from '../data/prepared/prepare.js';
import { openPreparedDataset } from '../data/prepared/dataset.js';
import { generatePairs } from '../data/pairs/generate.js';
import { writeJsonAtomic } from '../data/io/atomic-write.js';
import { runPretrain } from '../tasks/pretrain/run.js';
import { loadConfigObject } from '../config/config-file.js';
import { runFinetuneSeg } from '../tasks/segment/run.js';
import { loadModel } from '../train/load-model.js';
import { evaluateSplit } from '../tasks/segment/infer.js';
import { countScalars } from '../models/lora.js';
import { LOSSES, type LossName } from '../losses/registry.js';
import { trainableNames } from '../train/init.js';
import { meanStd, summariseMethods, type MethodRow } from './transfer-summary.js';
import {
  armRunName,
  methodOverrides,
  runMethod,
  trainableFromSummary,
  transferArms,
  type TransferArm,
  type TransferMethod,
} from './transfer-methods.js';

export { meanStd } from './transfer-summary.js';

/** A pre-training loss of the grid: a registered loss name. */
export type PretrainLoss = LossName;

export interface TransferBenchOptions {
  out: string;
  pretrainConfig: string;
  finetuneConfig: string;
  seeds: number[];
  sceneBudgets: number[];
  pointBudgets: number[];
  losses: PretrainLoss[];
  /**
   * Fine-tuning methods (transfer-methods.ts; default ['baseline']): `baseline` fine-tunes each
   * loss's backbone, the other pre-trained methods the first loss's, `radreg` its own.
   */
  methods?: TransferMethod[];
  labelledScenes: number;
  pretrainScenes: number;
  pretrainSeed: number;
  viewsPerScene: number;
  voxelSize: number;
  /** Pre-training steps per loss (default: the pre-training config's train.maxSteps). */
  pretrainSteps?: number;
  finetuneSteps: number;
  /**
   * Which scenes a k-scene budget labels: the first k of the train split for every seed
   * (protocol `scenes`), or scenes s·k … s·k + k − 1 for seed s (protocol `scenes-per-seed`), so
   * the spread over seeds includes the choice of rooms.
   */
  sceneDraw?: 'first' | 'per-seed';
  /** Synthetic sampling densities (points/m²) of the labelled scenes and the pairs (generator defaults; tests shrink them). */
  pointsPerM2?: { labelled?: number; pairs?: number };
  /** Extra --set overrides for every fine-tuning run. */
  finetuneSet?: string[];
  pretrainSet?: string[];
  onEvent?: (msg: string) => void;
}

export interface TransferRun {
  protocol: string;
  budget: number;
  init: string;
  seed: number;
  mIoU: number;
  mAcc: number;
  allAcc: number;
  seconds: number;
  /** The fine-tuning method (absent in runs of earlier benches: scratch or baseline). */
  method?: string;
  /** Trainable parameters of the run (absent in runs of earlier benches). */
  trainableParams?: number;
}

export interface TransferRow {
  protocol: string;
  budget: number;
  /** The column: the initialisation for scratch and baseline runs, else the method. */
  init: string;
  method: string;
  n: number;
  mean: number;
  std: number;
}

/** Aggregates runs into rows (protocol, budget, init, method) with mean ± std of mIoU. */
export function summarise(runs: TransferRun[]): TransferRow[] {
  const groups = new Map<string, TransferRun[]>();
  for (const r of runs) {
    const k = `${r.protocol}|${r.budget}|${r.init}|${runMethod(r)}`;
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  return [...groups.values()].map((g) => ({
    protocol: g[0].protocol,
    budget: g[0].budget,
    init: ['scratch', 'baseline'].includes(runMethod(g[0])) ? g[0].init : runMethod(g[0]),
    method: runMethod(g[0]),
    n: g.length,
    ...meanStd(g.map((r) => r.mIoU)),
  }));
}

/** A markdown table: one row per budget, one column per initialisation. */
export function transferTable(rows: TransferRow[], inits: string[]): string {
  const budgets = [...new Set(rows.map((r) => `${r.protocol}|${r.budget}`))];
  const head = `| budget | ${inits.join(' | ')} |\n|---|${inits.map(() => '---:').join('|')}|`;
  const lines = budgets.map((b) => {
    const [protocol, budget] = b.split('|');
    const scenes = `${budget} scene${budget === '1' ? '' : 's'}`;
    const label =
      protocol === 'scenes'
        ? `${scenes}, all points`
        : protocol === 'scenes-per-seed'
          ? `${scenes} (other rooms per seed), all points`
          : `${budget} points / scene`;
    const cells = inits.map((i) => {
      const r = rows.find((x) => `${x.protocol}|${x.budget}` === b && x.init === i);
      return r ? `${r.mean.toFixed(1)} ± ${r.std.toFixed(1)}` : '–';
    });
    return `| ${label} | ${cells.join(' | ')} |`;
  });
  return [head, ...lines].join('\n');
}

/**
 * The `loss=…` override that switches a pre-training config to `loss`: the whole loss block is
 * replaced (each loss has its own keys), keeping the config's number of sampled matches and,
 * for the losses with a temperature (the InfoNCE-style ones), its temperature.
 */
export function lossOverride(pretrainConfig: string, loss: PretrainLoss): string {
  const base = (loadConfigObject(pretrainConfig).loss ?? {}) as Record<string, unknown>;
  const block: Record<string, unknown> = { type: loss };
  if (base.npos !== undefined) block.npos = base.npos;
  if ('temperature' in LOSSES[loss].schema.shape && base.temperature !== undefined)
    block.temperature = base.temperature;
  return `loss=${JSON.stringify(block)}`;
}

/** The trainable-parameter count of a finished run: its summary's, else counted on the loaded model. */
function trainableParams(dir: string, params: Parameters<typeof countScalars>[0]): number {
  const summary = join(dir, 'summary.md');
  const reported = existsSync(summary) ? trainableFromSummary(readFileSync(summary, 'utf8')) : null;
  if (reported !== null) return reported;
  const cfg = loadConfigObject(join(dir, 'config.yaml'));
  return countScalars(params, trainableNames(params, cfg.freezeBackbone === true));
}

/** Runs (or resumes) the whole grid; returns every run, the init rows and the method rows. */
export async function runTransferBench(
  o: TransferBenchOptions,
): Promise<{ runs: TransferRun[]; rows: TransferRow[]; methods: MethodRow[]; arms: TransferArm[] }> {
  const say = (m: string) => o.onEvent?.(m);
  const arms = transferArms(o.methods ?? ['baseline'], o.losses);
  const resultsPath = join(o.out, 'results.json');
  const runs: TransferRun[] = existsSync(resultsPath)
    ? (JSON.parse(readFileSync(resultsPath, 'utf8')) as { runs: TransferRun[] }).runs
    : [];
  const save = () =>
    writeJsonAtomic(resultsPath, {
      options: { ...o, onEvent: undefined },
      runs,
      rows: summarise(runs),
      methods: summariseMethods(runs, arms),
    });

  const data = join(o.out, 'data');
  say(`labelled scenes → ${data}`);
  const labelledDensity = o.pointsPerM2?.labelled;
  await prepareDataset({
    type: 'synth',
    source: {
      scenes: o.labelledScenes,
      seed: 0,
      ...(labelledDensity !== undefined ? { pointsPerM2: labelledDensity } : {}),
    },
    out: data,
  });
  const ds = openPreparedDataset(data);
  const trainN = ds.sceneNames('train').length;
  const val = ds.sceneNames('val');

  // backbones the arms start from: each loss's, and RadReg's arm (first loss + regularizer radreg)
  const needed = new Set(arms.map((a) => a.init).filter((i) => i !== 'scratch'));
  const backbones: Record<string, string | null> = { scratch: null };
  if (needed.size > 0) {
    const pairs = join(o.out, 'pairs');
    say(`pre-training pairs → ${pairs}`);
    await generatePairs({
      from: 'synth',
      out: pairs,
      scenes: o.pretrainScenes,
      seed: o.pretrainSeed,
      viewsPerScene: o.viewsPerScene,
      voxel: o.voxelSize,
      pointsPerM2: o.pointsPerM2?.pairs,
    });
    for (const init of needed) {
      const radreg = init.endsWith('+radreg');
      const loss = (radreg ? init.slice(0, -'+radreg'.length) : init) as PretrainLoss;
      const run = join(o.out, radreg ? `pretrain-${loss}-radreg` : `pretrain-${loss}`);
      await runUnlessFinished(run, async (resume) => {
        say(`pre-training ${init}${resume ? ' (resuming)' : ''}`);
        const t0 = performance.now();
        await runPretrain({
          config: o.pretrainConfig,
          out: run,
          overrides: [
            `data.source.dir=${pairs}`,
            `data.loader.voxelSize=${o.voxelSize}`,
            lossOverride(o.pretrainConfig, loss),
            ...(o.pretrainSteps !== undefined ? [`train.maxSteps=${o.pretrainSteps}`] : []),
            // RadReg's downstream data: the bench's labelled train scenes, labels unused
            ...(radreg ? ['regularizer=radreg', `radreg.data=${data}`, 'radreg.split=train'] : []),
            ...(o.pretrainSet ?? []),
          ],
          resume,
        });
        say(`  ${init}: ${((performance.now() - t0) / 1000).toFixed(0)} s`);
      });
      backbones[init] = lastCheckpointDir(run);
    }
  }

  // runs cached by an earlier bench lack the trainable-parameter count: count it on their checkpoint
  for (const r of runs) {
    const arm = arms.find((a) => a.init === r.init && a.method === runMethod(r));
    const dir = arm && join(o.out, 'finetune', armRunName(r.protocol, r.budget, arm, r.seed));
    if (r.trainableParams !== undefined || !dir || !RunDir.hasCheckpointAt(dir)) continue;
    const model = loadModel(lastCheckpointDir(dir));
    r.trainableParams = trainableParams(dir, model.net.params);
    model.net.params.dispose();
  }

  const sceneProtocol = o.sceneDraw === 'per-seed' ? 'scenes-per-seed' : 'scenes';
  const protocols: [string, number][] = [
    ...o.sceneBudgets.map((b) => [sceneProtocol, b] as [string, number]),
    ...o.pointBudgets.map((b) => ['points', b] as [string, number]),
  ];
  for (const [protocol, budget] of protocols) {
    for (const seed of o.seeds) {
      for (const arm of arms) {
        if (
          runs.some(
            (r) =>
              r.protocol === protocol &&
              r.budget === budget &&
              r.init === arm.init &&
              r.seed === seed &&
              runMethod(r) === arm.method,
          )
        )
          continue;
        const name = armRunName(protocol, budget, arm, seed);
        const ckpt = backbones[arm.init];
        const t0 = performance.now();
        const dir = join(o.out, 'finetune', name);
        const overrides = [
          `data.dir=${data}`,
          'data.valSplit=null',
          `data.loader.voxelSize=${o.voxelSize}`,
          `seed=${seed}`,
          `init=${ckpt ?? 'null'}`,
          `train.maxSteps=${o.finetuneSteps}`,
          protocol === 'points'
            ? 'data.scenesFraction=1'
            : `data.scenesFraction=${Math.min(1, budget / trainN)}`,
          `data.scenesOffset=${protocol === 'scenes-per-seed' ? seed * budget : 0}`,
          `data.pointsPerScene=${protocol === 'points' ? budget : 'null'}`,
          ...methodOverrides(arm.method, o.finetuneSet),
        ];
        await runUnlessFinished(dir, (resume) =>
          runFinetuneSeg({ config: o.finetuneConfig, out: dir, overrides, resume }),
        );
        const model = loadModel(lastCheckpointDir(dir));
        const names = ds.manifest.classes.map((c) => c.name);
        const ev = evaluateSplit(model.net, ds, val, {
          voxelSize: model.voxelSize,
          features: model.features,
          numClasses: names.length,
        });
        const params = trainableParams(dir, model.net.params);
        model.net.params.dispose();
        const m = ev.points.metrics(names);
        runs.push({
          protocol,
          budget,
          init: arm.init,
          seed,
          mIoU: m.mIoU,
          mAcc: m.mAcc,
          allAcc: m.allAcc,
          seconds: +((performance.now() - t0) / 1000).toFixed(1),
          method: arm.method,
          trainableParams: params,
        });
        save();
        say(`${name}: mIoU ${m.mIoU.toFixed(2)} (${runs[runs.length - 1].seconds} s)`);
      }
    }
  }
  save();
  return { runs, rows: summarise(runs), methods: summariseMethods(runs, arms), arms };
}
