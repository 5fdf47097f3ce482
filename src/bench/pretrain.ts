/**
 * Pre-training throughput and memory (`pointcontrast bench pretrain`): for each backbone and
 * voxel size, a few steps of PointInfoNCE pre-training on a pair folder, reporting pairs/s,
 * step time, voxels per step, peak RSS and the wasm heap / tfjs bytes.
 */
import * as tf from '@tensorflow/tfjs';
import { createLoader } from '../data/loader/loader.js';
import type { PairBatch } from '../data/loader/types.js';
import { PretrainTask } from '../tasks/pretrain/task.js';
import { pretrainConfigSchema } from '../tasks/pretrain/schema.js';
import { Optimizer, optimizerSchema } from '../train/optimizer.js';
import type { BackboneName } from '../models/registry.js';

export interface PretrainBenchRow {
  backbone: string;
  params: number;
  voxel: number;
  batchPairs: number;
  steps: number;
  pairsPerSec: number;
  stepMs: number;
  voxelsPerStep: number;
  peakRssMb: number;
  tfMb: number;
}

/** Times `steps` optimisation steps (after 2 warm-up steps) of each (backbone, voxel). */
export async function benchPretrain(o: {
  pairs: string;
  backbones: BackboneName[];
  voxels: number[];
  batchPairs: number;
  steps: number;
  onRow?: (r: PretrainBenchRow) => void;
}): Promise<PretrainBenchRow[]> {
  const rows: PretrainBenchRow[] = [];
  for (const backbone of o.backbones) {
    for (const voxel of o.voxels) {
      const cfg = pretrainConfigSchema.parse({
        model: { backbone, inChannels: 3 },
        data: {
          source: { type: 'pairs', dir: o.pairs },
          loader: { voxelSize: voxel, batchSize: o.batchPairs },
        },
        loss: { type: 'point-info-nce', npos: 4096 },
        optim: { type: 'sgd', lr: 0.05, momentum: 0.8 },
        schedule: { type: 'constant' },
        train: { maxSteps: o.steps },
      });
      const loader = await createLoader({
        source: { type: 'pairs', dir: o.pairs },
        config: {
          voxelSize: voxel,
          batchSize: o.batchPairs,
          features: 'ones',
          transforms: 'csc-pair',
          workers: 1,
          prefetch: 2,
        },
      });
      const task = new PretrainTask(cfg, voxel);
      const opt = new Optimizer(optimizerSchema.parse({ type: 'sgd', lr: 0.05, momentum: 0.8 }));
      const params = task.params
        .entries()
        .filter(([n]) => task.params.specs.find((s) => s.name === n)?.trainable);
      const byVar = new Map(params.map(([n, v]) => [v.name, n]));
      let peak = process.memoryUsage().rss;
      let voxels = 0;
      let t0 = 0;
      for (let s = 0; s < o.steps + 2; s++) {
        if (s === 2) t0 = performance.now();
        const batch = (await loader.next()) as PairBatch;
        if (s >= 2) voxels += (batch.view0.coords.length + batch.view1.coords.length) / 4;
        const { value, grads } = tf.variableGrads(
          () => task.loss(batch, s).loss,
          params.map(([, v]) => v),
        );
        opt.apply(params, new Map(Object.entries(grads).map(([k, g]) => [byVar.get(k)!, g])), 0.05);
        value.dataSync();
        tf.dispose([value, ...Object.values(grads)]);
        peak = Math.max(peak, process.memoryUsage().rss);
      }
      const seconds = (performance.now() - t0) / 1000;
      const row: PretrainBenchRow = {
        backbone,
        params: task.params.count(),
        voxel,
        batchPairs: o.batchPairs,
        steps: o.steps,
        pairsPerSec: +((o.steps * o.batchPairs) / seconds).toFixed(3),
        stepMs: +((1000 * seconds) / o.steps).toFixed(1),
        voxelsPerStep: Math.round(voxels / o.steps),
        peakRssMb: Math.round(peak / 2 ** 20),
        tfMb: Math.round(tf.memory().numBytes / 2 ** 20),
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
