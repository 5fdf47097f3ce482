/**
 * The training task of segmentation fine-tuning: a Res16UNet with a new per-class head or the
 * prototype head (methods/model.ts), training the config's trainable set (all, a linear probe
 * over a frozen backbone, BN only, LoRA), cross-entropy over labelled voxels (ignore label
 * skipped, optional class weights), training accuracy as a diagnostic.
 */
import * as tf from '@tensorflow/tfjs';
import { tidyRead } from '../../sparse/read.js';
import { SparseTensor } from '../../sparse/sparse-tensor.js';
import { gatherRows } from '../../sparse/gather-op.js';
import type { Res16UNet } from '../../models/res16unet.js';
import type { Mode } from '../../models/layers.js';
import { buildSegNetwork, type SegArchitecture, type SegModel } from '../../models/seg-model.js';
import { countScalars, trainableSet } from '../../models/lora.js';
import type { VoxelBatch } from '../../data/loader/types.js';
import type { StepResult, TrainTask } from '../../train/trainer.js';
import type { SegConfig, SoftmaxClasses } from './schema.js';
import { resolveClassWeights } from './class-weights.js';

/**
 * Mean cross-entropy over rows whose label is in [0, K) (optionally class-weighted). With
 * `softmax: 'present'` the softmax runs over the classes labelled in the batch only (a restricted
 * softmax): a class the batch has no label of gets no gradient, so fine-tuning on a room without
 * chairs does not push the chair logit down everywhere and the initial network's chairs survive.
 */
export function segmentationLoss(
  logits: tf.Tensor2D,
  labels: Int32Array,
  weights: number[] | null,
  softmax: SoftmaxClasses = 'all',
): tf.Scalar {
  const k = logits.shape[1];
  const rows: number[] = [];
  for (let i = 0; i < labels.length; i++) if (labels[i] >= 0 && labels[i] < k) rows.push(i);
  if (rows.length === 0) return tf.mul(tf.sum(logits), 0) as tf.Scalar; // no labelled voxel in the batch
  const idx = Int32Array.from(rows);
  const lab = Int32Array.from(rows, (r) => labels[r]);
  let picked = gatherRows(logits, idx);
  if (softmax === 'present') {
    const mask = new Float32Array(k).fill(-1e9);
    for (const l of lab) mask[l] = 0;
    picked = tf.add(picked, tf.tensor2d(mask, [1, k]));
  }
  const logp = tf.logSoftmax(picked);
  const chosen = tf.sum(tf.mul(logp, tf.oneHot(tf.tensor1d(lab, 'int32'), k)), 1);
  if (!weights) return tf.neg(tf.mean(chosen)) as tf.Scalar;
  const w = tf.tensor1d(Float32Array.from(lab, (l) => weights[l]));
  return tf.neg(tf.div(tf.sum(tf.mul(chosen, w)), tf.sum(w))) as tf.Scalar;
}

export class SegTask implements TrainTask<VoxelBatch> {
  readonly model: SegModel;
  readonly net: Res16UNet;
  readonly params;
  readonly trainable: string[];
  /** Scalars in the trainable set (logged with every step as `trainableParams`). */
  readonly trainableParams: number;
  readonly #inputs = new WeakMap<VoxelBatch, SparseTensor>();
  /**
   * The loss's class weights: `loss.classWeights` resolved (class-weights.ts); a rule computed
   * from the training labels is set by the run once its scenes are chosen.
   */
  classWeights: number[] | null;

  constructor(
    readonly cfg: SegConfig,
    readonly numClasses: number,
    arch: SegArchitecture = {
      ...cfg.model,
      outChannels: numClasses,
      normalize: false,
      head: null,
      lora: null,
    },
  ) {
    this.model = buildSegNetwork(arch, cfg.seed);
    this.net = this.model.net;
    this.params = this.net.params;
    this.trainable = trainableSet(this.params, cfg.trainable, this.model.headPrefixes);
    this.trainableParams = countScalars(this.params, this.trainable);
    const w = cfg.loss.classWeights;
    this.classWeights = typeof w === 'string' ? null : resolveClassWeights(w, numClasses);
  }

  /** The batch's sparse input, built once per batch (extra passes reuse its kernel maps). */
  input(batch: VoxelBatch): SparseTensor {
    let x = this.#inputs.get(batch);
    if (!x) {
      const n = batch.coords.length / 4;
      x = SparseTensor.fromCoords(
        batch.coords,
        tf.tensor2d(batch.feats, [n, batch.featDim]),
        batch.batchSize,
      );
      this.#inputs.set(batch, x);
    }
    return x;
  }

  /**
   * The training pass's mode (`bnStats`): batch statistics with the running ones updated (full
   * fine-tuning), batch statistics with them frozen, or the frozen running statistics as at
   * inference (a linear probe; BN-only and LoRA by default, so their training pass matches evaluation).
   */
  trainMode(): Mode {
    const s = this.cfg.bnStats;
    return { training: s !== 'running', updateStats: s === 'update' };
  }

  /** Class logits of a batch in training mode, with `extra` mode settings (SMART's passes). */
  forward(batch: VoxelBatch, extra: Partial<Mode> = {}): tf.Tensor2D {
    const x = this.input(batch);
    return this.net.output(this.net.features(x, { ...this.trainMode(), ...extra })).features;
  }

  loss(batch: VoxelBatch, _step: number): StepResult {
    if (!batch.labels) throw new Error(`batch of ${batch.sceneNames.join(', ')} has no labels`);
    const logits = this.forward(batch);
    const loss = segmentationLoss(logits, batch.labels, this.classWeights, this.cfg.loss.softmax);
    let labelled = 0;
    let correct = 0;
    const pred = tidyRead(() => tf.argMax(logits, 1));
    for (let i = 0; i < batch.labels.length; i++) {
      if (batch.labels[i] < 0) continue;
      labelled++;
      if (pred[i] === batch.labels[i]) correct++;
    }
    return {
      loss,
      outputs: { logits },
      metrics: {
        voxels: batch.labels.length,
        labelled,
        trainAcc: labelled ? (100 * correct) / labelled : 0,
        trainableParams: this.trainableParams,
      },
    };
  }
}
