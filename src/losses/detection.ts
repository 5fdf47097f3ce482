/**
 * VoteNet's losses on the voting detector: smooth-L1 (Huber) vote loss on voxels of boxed
 * objects, seed objectness (binary CE) and seed class CE, proposal objectness CE weighted
 * 0.2 / 0.8 (negative / positive) over non-ignored proposals, smooth-L1 on centres and log
 * sizes and class CE on positive proposals. Returns the weighted sum and every part.
 */
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import type { DetectorPass } from '../models/heads/detector.js';
import type { ProposalTargets, VoxelTargets } from './detection-targets.js';

export const detLossSchema = z.strictObject({
  vote: z.number().min(0).default(1),
  seedObjectness: z.number().min(0).default(0.5),
  seedClass: z.number().min(0).default(0.5),
  objectness: z.number().min(0).default(0.5),
  center: z.number().min(0).default(1),
  size: z.number().min(0).default(1),
  class: z.number().min(0).default(0.1),
  /** Smooth-L1 transition β (metres for votes and centres, log units for sizes). */
  huberDelta: z.number().positive().default(0.1),
  /** VoteNet's proposal objectness class weights (negative, positive). */
  objectnessWeights: z.tuple([z.number().min(0), z.number().min(0)]).default([0.2, 0.8]),
  /** Proposal assignment: positive below `near` metres from a box centre, negative beyond `far`. */
  near: z.number().positive().default(0.3),
  far: z.number().positive().default(0.6),
});
export type DetLossConfig = z.output<typeof detLossSchema>;

/** Smooth L1 elementwise: 0.5·e²/β for |e| < β, |e| − 0.5·β beyond (gradient magnitude ≤ 1). */
export function smoothL1(e: tf.Tensor, beta: number): tf.Tensor {
  const a = tf.abs(e);
  const q = tf.minimum(a, beta);
  return tf.add(tf.div(tf.mul(0.5, tf.square(q)), beta), tf.sub(a, q));
}

/** Per-row softmax cross-entropy of logits [n × k] against integer targets (any value where unused). */
export function softmaxCE(logits: tf.Tensor2D, targets: Int32Array): tf.Tensor1D {
  const k = logits.shape[1];
  const t = tf.oneHot(
    tf.tensor1d(
      Int32Array.from(targets, (v) => (v >= 0 && v < k ? v : 0)),
      'int32',
    ),
    k,
  );
  return tf.neg(tf.sum(tf.mul(t, tf.logSoftmax(logits)), 1)) as tf.Tensor1D;
}

/** Per-element binary cross-entropy with logits: max(x,0) − x·z + log(1 + e^−|x|). */
export function sigmoidBCE(logits: tf.Tensor1D, targets: Uint8Array): tf.Tensor1D {
  const z = tf.tensor1d(Float32Array.from(targets));
  return tf.add(
    tf.sub(tf.relu(logits), tf.mul(logits, z)),
    tf.log1p(tf.exp(tf.neg(tf.abs(logits)))),
  ) as tf.Tensor1D;
}

/** Σ(values · weights) / max(count, 1): a masked mean that is 0 when nothing is selected. */
function maskedMean(values: tf.Tensor1D, weights: Float32Array, count: number): tf.Scalar {
  return tf.div(tf.sum(tf.mul(values, tf.tensor1d(weights))), Math.max(count, 1)) as tf.Scalar;
}

/** The loss and its parts (numbers, for logging). */
export interface DetLossResult {
  loss: tf.Scalar;
  parts: Record<string, number>;
}

/** All detection losses of one pass, weighted and summed. */
export function detectionLoss(
  pass: DetectorPass,
  voxels: VoxelTargets,
  props: ProposalTargets,
  cfg: DetLossConfig,
): DetLossResult {
  const beta = cfg.huberDelta;
  const n = voxels.positive.length;
  const posMask = Float32Array.from(voxels.positive);
  const vote = maskedMean(
    tf.sum(smoothL1(tf.sub(pass.votes, tf.tensor2d(voxels.center, [n, 3])), beta), 1) as tf.Tensor1D,
    posMask,
    voxels.count,
  );
  const seedObj = tf.mean(sigmoidBCE(pass.seeds.objectness, voxels.positive)) as tf.Scalar;
  const seedCls = maskedMean(softmaxCE(pass.seeds.classLogits, voxels.cls), posMask, voxels.count);

  const p = props.label.length;
  const parts: Record<string, tf.Scalar> = { vote, seedObjectness: seedObj, seedClass: seedCls };
  if (p > 0) {
    const [wNeg, wPos] = cfg.objectnessWeights;
    const objW = Float32Array.from(props.label, (l) => (l === 1 ? wPos : l === 0 ? wNeg : 0));
    const objT = Int32Array.from(props.label, (l) => (l === 1 ? 1 : 0));
    const pos = Float32Array.from(props.label, (l) => (l === 1 ? 1 : 0));
    const pr = pass.proposals;
    parts.objectness = maskedMean(softmaxCE(pr.objectness, objT), objW, props.positives + props.negatives);
    const rowSum = (t: tf.Tensor) => tf.sum(t, 1) as tf.Tensor1D;
    parts.center = maskedMean(
      rowSum(smoothL1(tf.sub(pr.center, tf.tensor2d(props.center, [p, 3])), beta)),
      pos,
      props.positives,
    );
    parts.size = maskedMean(
      rowSum(smoothL1(tf.sub(pr.logSize, tf.tensor2d(props.logSize, [p, 3])), beta)),
      pos,
      props.positives,
    );
    parts.class = maskedMean(softmaxCE(pr.classLogits, props.cls), pos, props.positives);
  }
  const weights = cfg as unknown as Record<string, number>;
  const loss = tf.addN(Object.entries(parts).map(([k, v]) => tf.mul(v, weights[k]))) as tf.Scalar;
  const numbers: Record<string, number> = {};
  for (const [k, v] of Object.entries(parts)) numbers[`loss_${k}`] = v.dataSync()[0];
  return { loss, parts: numbers };
}
