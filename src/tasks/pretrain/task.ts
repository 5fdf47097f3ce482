/**
 * Contrastive pre-training (`pointcontrast pretrain`): pairs of partial views → the backbone
 * (both views in one sparse batch) → PointInfoNCE, hardest-contrastive or ShapeContext loss on
 * the voxel correspondences. Produces a backbone checkpoint the fine-tuners load.
 */
import * as tf from '@tensorflow/tfjs';
import { buildNetwork } from '../../models/build.js';
import type { Res16UNet } from '../../models/res16unet.js';
import { SparseTensor } from '../../sparse/sparse-tensor.js';
import { CoordinateManager } from '../../sparse/coordinate-manager.js';
import { CoordSet } from '../../sparse/coord-set.js';
import { invertAffine } from '../../core/affine.js';
import { Rng, deriveSeed } from '../../core/rng.js';
import { createLoss, type PairLoss } from '../../losses/registry.js';
import { FAST_PATHS, type CodePaths } from '../../sparse/code-paths.js';
import type { PairBatch, Voxels } from '../../data/loader/types.js';
import type { StepResult, TrainTask } from '../../train/trainer.js';
import type { PretrainConfig } from './schema.js';

/** Stacks view 0 and view 1 into one coordinate set: view-1 items get batch index b + B. */
export function stackViews(
  v0: Voxels,
  v1: Voxels,
  batchSize: number,
): { coords: Int32Array; feats: Float32Array } {
  const n0 = v0.coords.length / 4;
  const n1 = v1.coords.length / 4;
  const coords = new Int32Array((n0 + n1) * 4);
  coords.set(v0.coords);
  coords.set(v1.coords, n0 * 4);
  for (let r = n0; r < n0 + n1; r++) coords[r * 4] += batchSize;
  const feats = new Float32Array(v0.feats.length + v1.feats.length);
  feats.set(v0.feats);
  feats.set(v1.feats, v0.feats.length);
  return { coords, feats };
}

/** Voxel centres of a batch mapped back through each item's augmentation (metres, world frame). */
export function unaugmentedCentres(v: Voxels, voxelSize: number): Float32Array {
  const n = v.coords.length / 4;
  const out = new Float32Array(n * 3);
  for (let b = 0; b + 1 < v.offsets.length; b++) {
    const inv = invertAffine(v.affine.subarray(b * 12, b * 12 + 12));
    for (let r = v.offsets[b]; r < v.offsets[b + 1]; r++) {
      const x = (v.coords[r * 4 + 1] + 0.5) * voxelSize;
      const y = (v.coords[r * 4 + 2] + 0.5) * voxelSize;
      const z = (v.coords[r * 4 + 3] + 0.5) * voxelSize;
      for (let i = 0; i < 3; i++)
        out[r * 3 + i] = inv[i * 4] * x + inv[i * 4 + 1] * y + inv[i * 4 + 2] * z + inv[i * 4 + 3];
    }
  }
  return out;
}

/** The pre-training task: one combined forward of both views, then the configured loss. */
export class PretrainTask implements TrainTask<PairBatch> {
  readonly net: Res16UNet;
  readonly params;
  /** The configured loss, built by its registry entry. */
  readonly contrastive: PairLoss;

  constructor(
    readonly cfg: PretrainConfig,
    readonly voxelSize: number,
    /** The code paths of the sparse ops and the loss (benchmarks time the earlier ones). */
    readonly paths: CodePaths = FAST_PATHS,
  ) {
    this.net = buildNetwork(cfg.model, cfg.seed);
    this.params = this.net.params;
    this.contrastive = createLoss(cfg.loss, paths);
  }

  /** Features of both views: [f0 (view-0 rows), f1 (view-1 rows)]. */
  embed(batch: PairBatch, training: boolean): [tf.Tensor2D, tf.Tensor2D] {
    const B = batch.batchSize;
    const { coords, feats } = stackViews(batch.view0, batch.view1, B);
    const n0 = batch.view0.coords.length / 4;
    const n = coords.length / 4;
    const dim = batch.view0.featDim;
    const mgr = new CoordinateManager(new CoordSet(coords, 1, 2 * B), this.paths);
    const x = new SparseTensor(tf.tensor2d(feats, [n, dim]), mgr);
    const f = this.net.forward(x, { training }).features;
    return [tf.slice(f, [0, 0], [n0, -1]), tf.slice(f, [n0, 0], [n - n0, -1])];
  }

  loss(batch: PairBatch, step: number): StepResult {
    const [f0, f1] = this.embed(batch, true);
    const rng = new Rng(deriveSeed(this.cfg.seed, step, 0x1055));
    const r = this.contrastive(f0, f1, {
      corr: batch.corr,
      rng,
      geometry: () => ({
        positions0: unaugmentedCentres(batch.view0, this.voxelSize),
        batch0: Int32Array.from(
          { length: batch.view0.coords.length / 4 },
          (_, i) => batch.view0.coords[i * 4],
        ),
      }),
    });
    return {
      loss: r.loss,
      metrics: {
        ...(r.diagnostics as unknown as Record<string, number>),
        voxels: (batch.view0.coords.length + batch.view1.coords.length) / 4,
        matches: batch.corr.length / 2,
      },
    };
  }
}
