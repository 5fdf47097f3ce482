/**
 * Pre-training throughput and memory (`pointcontrast bench pretrain`): for each backbone and
 * voxel size, a few steps of PointInfoNCE pre-training on a pair folder, reporting pairs/s,
 * step time, voxels per step, peak RSS, the wasm heap / tfjs bytes, and where a step's time goes
 * (mean ms per step per phase, sparse/phases.ts; `other` is the rest: autodiff bookkeeping,
 * element-wise ops, 1×1 layers and the loss's matrix products in the backward).
 */
import * as tf from '@tensorflow/tfjs';
import { createLoader } from '../data/loader/loader.js';
import type { PairBatch } from '../data/loader/types.js';
import { PretrainTask } from '../tasks/pretrain/task.js';
import { pretrainConfigSchema } from '../tasks/pretrain/schema.js';
import { Optimizer } from '../train/optimizer.js';
import type { BackboneName } from '../models/registry.js';
import { PHASES, phase, phaseAsync, phaseTotals, recordPhases, type Phase } from '../sparse/phases.js';
import { FAST_PATHS, type CodePaths } from '../sparse/code-paths.js';
import { registerIdentityKernel } from '../backend/kernels/identity-wasm.js';

export interface PretrainBenchRow {
  backbone: string;
  params: number;
  voxel: number;
  batchPairs: number;
  steps: number;
  pairsPerSec: number;
  stepMs: number;
  /** Process CPU time (user + system, all threads) per step: less sensitive to a shared machine. */
  cpuMsPerStep: number;
  voxelsPerStep: number;
  peakRssMb: number;
  tfMb: number;
  /** Mean ms per timed step in each phase, and the remainder of the step. */
  phasesMs: Record<Phase | 'other', number>;
}

/** Times `steps` optimisation steps (after 2 warm-up steps) of each (backbone, voxel). */
export async function benchPretrain(o: {
  pairs: string;
  backbones: BackboneName[];
  voxels: number[];
  batchPairs: number;
  steps: number;
  /** The code paths timed (default: the fast ones; `--baseline`: the earlier ones). */
  paths?: CodePaths;
  onRow?: (r: PretrainBenchRow) => void;
}): Promise<PretrainBenchRow[]> {
  const paths = o.paths ?? FAST_PATHS;
  registerIdentityKernel(paths.sharedIdentity);
  try {
    return await benchRows(o, paths);
  } finally {
    registerIdentityKernel(FAST_PATHS.sharedIdentity);
  }
}

async function benchRows(
  o: Parameters<typeof benchPretrain>[0],
  paths: CodePaths,
): Promise<PretrainBenchRow[]> {
  const rows: PretrainBenchRow[] = [];
  for (const backbone of o.backbones) {
    for (const voxel of o.voxels) {
      const cfg = pretrainConfigSchema.parse({
        model: { backbone, inChannels: 3 },
        data: {
          source: { type: 'pairs', dir: o.pairs },
          loader: {
            voxelSize: voxel,
            batchSize: o.batchPairs,
            features: 'ones',
            transforms: 'csc-pair',
            workers: 1,
            prefetch: 2,
          },
        },
        loss: { type: 'point-info-nce', npos: 4096 },
        optim: { type: 'sgd', lr: 0.05, momentum: 0.8 },
        schedule: { type: 'constant' },
        train: { maxSteps: o.steps },
      });
      const loader = await createLoader({ source: cfg.data.source, config: cfg.data.loader });
      const task = new PretrainTask(cfg, voxel, paths);
      const opt = new Optimizer(cfg.optim);
      const params = task.params
        .entries()
        .filter(([n]) => task.params.specs.find((s) => s.name === n)?.trainable);
      const byVar = new Map(params.map(([n, v]) => [v.name, n]));
      let peak = process.memoryUsage().rss;
      let voxels = 0;
      let t0 = 0;
      let cpu0 = process.cpuUsage();
      for (let s = 0; s < o.steps + 2; s++) {
        if (s === 2) {
          recordPhases(true);
          t0 = performance.now();
          cpu0 = process.cpuUsage();
        }
        const batch = (await phaseAsync('data', () => loader.next())) as PairBatch;
        if (s >= 2) voxels += (batch.view0.coords.length + batch.view1.coords.length) / 4;
        const { value, grads } = tf.variableGrads(
          () => task.loss(batch, s).loss,
          params.map(([, v]) => v),
        );
        phase('optimizer', () =>
          opt.apply(params, new Map(Object.entries(grads).map(([k, g]) => [byVar.get(k)!, g])), 0.05),
        );
        value.dataSync();
        phase('alloc', () => tf.dispose([value, ...Object.values(grads)]));
        peak = Math.max(peak, process.memoryUsage().rss);
      }
      const seconds = (performance.now() - t0) / 1000;
      const cpu = process.cpuUsage(cpu0);
      const totals = phaseTotals();
      recordPhases(false);
      const perStep = (ms: number) => +(ms / o.steps).toFixed(1);
      const phasesMs = Object.fromEntries(PHASES.map((p) => [p, perStep(totals[p])])) as Record<
        Phase | 'other',
        number
      >;
      phasesMs.other = perStep(1000 * seconds - PHASES.reduce((a, p) => a + totals[p], 0));
      const row: PretrainBenchRow = {
        backbone,
        params: task.params.count(),
        voxel,
        batchPairs: o.batchPairs,
        steps: o.steps,
        pairsPerSec: +((o.steps * o.batchPairs) / seconds).toFixed(3),
        stepMs: +((1000 * seconds) / o.steps).toFixed(1),
        cpuMsPerStep: +((cpu.user + cpu.system) / 1000 / o.steps).toFixed(1),
        voxelsPerStep: Math.round(voxels / o.steps),
        peakRssMb: Math.round(peak / 2 ** 20),
        tfMb: Math.round(tf.memory().numBytes / 2 ** 20),
        phasesMs,
      };
      rows.push(row);
      o.onRow?.(row);
      opt.dispose();
      task.params.dispose();
      await loader.close();
    }
  }
  return rows;
}
