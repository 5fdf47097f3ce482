/**
 * The data-efficient transfer benchmark (`pointcontrast bench transfer`), after Contrastive
 * Scene Contexts' tables, on synthetic scenes: label budgets of K training scenes (all points)
 * and K labelled points per scene (all training scenes); scratch vs backbones pre-trained with
 * each contrastive loss; several fine-tuning seeds; mIoU on held-out scenes (every original
 * point, the last checkpoint — no model selection on the evaluation scenes). Resumable: finished
 * runs are read back from results.json.
 */
import { existsSync, readFileSync } from 'node:fs';
import { runUnlessFinished } from '../train/run-dir.js';
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

export type PretrainLoss = 'point-info-nce' | 'hardest-contrastive' | 'shape-context';

export interface TransferBenchOptions {
  out: string;
  pretrainConfig: string;
  finetuneConfig: string;
  seeds: number[];
  sceneBudgets: number[];
  pointBudgets: number[];
  losses: PretrainLoss[];
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
}

export interface TransferRow {
  protocol: string;
  budget: number;
  init: string;
  n: number;
  mean: number;
  std: number;
}

/** Mean and sample standard deviation. */
export function meanStd(xs: number[]): { mean: number; std: number } {
  const mean = xs.reduce((a, b) => a + b, 0) / Math.max(xs.length, 1);
  const v = xs.length > 1 ? xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1) : 0;
  return { mean, std: Math.sqrt(v) };
}

/** Aggregates runs into rows (protocol, budget, init) with mean ± std of mIoU. */
export function summarise(runs: TransferRun[]): TransferRow[] {
  const groups = new Map<string, TransferRun[]>();
  for (const r of runs) {
    const k = `${r.protocol}|${r.budget}|${r.init}`;
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  return [...groups.values()].map((g) => ({
    protocol: g[0].protocol,
    budget: g[0].budget,
    init: g[0].init,
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
 * for the two InfoNCE-style losses, its temperature.
 */
export function lossOverride(pretrainConfig: string, loss: PretrainLoss): string {
  const base = (loadConfigObject(pretrainConfig).loss ?? {}) as Record<string, unknown>;
  const block: Record<string, unknown> = { type: loss };
  if (base.npos !== undefined) block.npos = base.npos;
  if (loss !== 'hardest-contrastive' && base.temperature !== undefined) block.temperature = base.temperature;
  return `loss=${JSON.stringify(block)}`;
}

/** Runs (or resumes) the whole grid; returns every run. */
export async function runTransferBench(
  o: TransferBenchOptions,
): Promise<{ runs: TransferRun[]; rows: TransferRow[] }> {
  const say = (m: string) => o.onEvent?.(m);
  const resultsPath = join(o.out, 'results.json');
  const runs: TransferRun[] = existsSync(resultsPath)
    ? (JSON.parse(readFileSync(resultsPath, 'utf8')) as { runs: TransferRun[] }).runs
    : [];
  const save = () =>
    writeJsonAtomic(resultsPath, { options: { ...o, onEvent: undefined }, runs, rows: summarise(runs) });

  const data = join(o.out, 'data');
  say(`labelled scenes → ${data}`);
  await prepareDataset({ type: 'synth', source: { scenes: o.labelledScenes, seed: 0 }, out: data });
  const ds = openPreparedDataset(data);
  const trainN = ds.sceneNames('train').length;
  const val = ds.sceneNames('val');

  const backbones: Record<string, string | null> = { scratch: null };
  if (o.losses.length > 0) {
    const pairs = join(o.out, 'pairs');
    say(`pre-training pairs → ${pairs}`);
    await generatePairs({
      from: 'synth',
      out: pairs,
      scenes: o.pretrainScenes,
      seed: o.pretrainSeed,
      viewsPerScene: o.viewsPerScene,
      voxel: o.voxelSize,
    });
    for (const loss of o.losses) {
      const run = join(o.out, `pretrain-${loss}`);
      await runUnlessFinished(run, async (resume) => {
        say(`pre-training with ${loss}${resume ? ' (resuming)' : ''}`);
        const t0 = performance.now();
        await runPretrain({
          config: o.pretrainConfig,
          out: run,
          overrides: [
            `data.source.dir=${pairs}`,
            `data.loader.voxelSize=${o.voxelSize}`,
            lossOverride(o.pretrainConfig, loss),
            ...(o.pretrainSteps !== undefined ? [`train.maxSteps=${o.pretrainSteps}`] : []),
            ...(o.pretrainSet ?? []),
          ],
          resume,
        });
        say(`  ${loss}: ${((performance.now() - t0) / 1000).toFixed(0)} s`);
      });
      backbones[loss] = join(run, 'last');
    }
  }

  const sceneProtocol = o.sceneDraw === 'per-seed' ? 'scenes-per-seed' : 'scenes';
  const protocols: [string, number][] = [
    ...o.sceneBudgets.map((b) => [sceneProtocol, b] as [string, number]),
    ...o.pointBudgets.map((b) => ['points', b] as [string, number]),
  ];
  for (const [protocol, budget] of protocols) {
    for (const seed of o.seeds) {
      for (const [init, ckpt] of Object.entries(backbones)) {
        if (
          runs.some(
            (r) => r.protocol === protocol && r.budget === budget && r.init === init && r.seed === seed,
          )
        )
          continue;
        const name =
          protocol === 'scenes-per-seed'
            ? `scenes${budget}-per-seed-${init}-s${seed}`
            : `${protocol}${budget}-${init}-s${seed}`;
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
          ...(o.finetuneSet ?? []),
        ];
        await runUnlessFinished(dir, (resume) =>
          runFinetuneSeg({ config: o.finetuneConfig, out: dir, overrides, resume }),
        );
        const model = loadModel(join(dir, 'last'));
        const names = ds.manifest.classes.map((c) => c.name);
        const ev = evaluateSplit(model.net, ds, val, {
          voxelSize: model.voxelSize,
          features: model.features,
          numClasses: names.length,
        });
        model.net.params.dispose();
        const m = ev.points.metrics(names);
        runs.push({
          protocol,
          budget,
          init,
          seed,
          mIoU: m.mIoU,
          mAcc: m.mAcc,
          allAcc: m.allAcc,
          seconds: +((performance.now() - t0) / 1000).toFixed(1),
        });
        save();
        say(`${name}: mIoU ${m.mIoU.toFixed(2)} (${runs[runs.length - 1].seconds} s)`);
      }
    }
  }
  save();
  return { runs, rows: summarise(runs) };
}
