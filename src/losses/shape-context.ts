/**
 * ShapeContext-partitioned PointInfoNCE (Contrastive Scene Contexts): per scene, sampled
 * matches give logits S = q·kᵀ/τ; the space around each anchor (in a gravity-aligned frame) is
 * split into partitions by distance and direction, and for each partition a cross-entropy is
 * taken with negatives outside the anchor's partition masked out. 4 partitions = the released
 * "fast" split (r1 < d ≤ r2 / d > r2 × above / below); 8 = the full shape context
 * (2 azimuth × 2 elevation × 2 distance bins).
 */
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import type { Rng } from '../core/rng.js';
import { gatherRows } from '../sparse/gather-op.js';
import { matMul2d } from '../sparse/matmul.js';
import { tidyRead } from '../sparse/read.js';
import { featureStd, pairSimilarities, type LossResult } from './diagnostics.js';
import { sampleOneMatchPerQuery } from './sampling.js';
import { npos, temperature } from './options.js';

/** The config of the loss (`loss: { type: shape-context, … }`); `npos` matches are sampled per scene. */
export const shapeContextSchema = z.strictObject({
  type: z.literal('shape-context'),
  npos,
  temperature,
  /** 4 (fast split of the released script) or 8 (full shape context). */
  partitions: z.union([z.literal(4), z.literal(8)]).default(4),
  /** Inner and outer radii in metres (the reference's 2 and 20 voxels at 2.5 cm). */
  r1: z.number().positive().default(0.05),
  r2: z.number().positive().default(0.5),
});

export type ShapeContextOptions = Omit<z.output<typeof shapeContextSchema>, 'type'>;

/**
 * Partition id of every ordered pair (i, j) of points (n×3, metres, z up), −1 when j is in no
 * partition of anchor i (d ≤ r1, or rel_z = 0 for the 4-way split). Row-major n×n.
 */
export function partitionMatrix(
  xyz: Float32Array,
  opts: Pick<ShapeContextOptions, 'partitions' | 'r1' | 'r2'>,
): Int8Array {
  const n = xyz.length / 3;
  const out = new Int8Array(n * n).fill(-1);
  const { r1, r2 } = opts;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const x = xyz[j * 3] - xyz[i * 3];
      const y = xyz[j * 3 + 1] - xyz[i * 3 + 1];
      const z = xyz[j * 3 + 2] - xyz[i * 3 + 2];
      const d = Math.sqrt(x * x + y * y + z * z);
      if (d <= r1) continue;
      const far = d > r2 ? 1 : 0;
      let p: number;
      if (opts.partitions === 4) {
        if (z === 0) continue;
        p = far * 2 + (z > 0 ? 0 : 1);
      } else {
        let az = Math.atan2(y, x);
        if (az < 0) az += 2 * Math.PI;
        let el = Math.atan2(y, z);
        el = ((el % Math.PI) + Math.PI) % Math.PI;
        p = (az < Math.PI ? 0 : 1) * 4 + (el < Math.PI / 2 ? 0 : 1) * 2 + far;
      }
      out[i * n + j] = p;
    }
  }
  return out;
}

export interface ShapeContextInputs {
  /** Gravity-aligned positions (metres) of the view-0 rows, N0×3. */
  positions0: Float32Array;
  /** Batch item of each view-0 row. */
  batch0: Int32Array;
}

/**
 * Σ over partitions p of mean_i [log(e^{pos_i} + Σ_{j: part_ij = p} e^{l_ij}) − pos_i]: one
 * cross-entropy per partition whose negatives are the keys in the anchor's partition p (the
 * positive always included). One pass over the n×n logits: exp once, then a segment sum by
 * (anchor, partition), instead of P masked copies of the matrix (P× the work and memory).
 */
export function partitionedNce(
  logits: tf.Tensor2D,
  pos: tf.Tensor1D,
  part: Int8Array,
  partitions: number,
): tf.Scalar {
  const n = logits.shape[0];
  const slots = partitions + 1; // the last slot collects pairs in no partition (and the diagonal)
  const seg = new Int32Array(n * n);
  for (let i = 0; i < n; i++) {
    const row = i * n;
    for (let j = 0; j < n; j++) {
      const p = part[row + j];
      seg[row + j] = i * slots + (p < 0 || j === i ? partitions : p);
    }
  }
  // Row maxima as constants: the loss does not depend on the shift (its derivative is zero),
  // and a constant skips tf.max's backward, which costs several n×n passes.
  const m = tf.tensor2d(tidyRead(() => tf.max(logits, 1)) as Float32Array, [n, 1]);
  const e = tf.exp(tf.sub(logits, m));
  const sums = tf.reshape(
    tf.unsortedSegmentSum(tf.reshape(e, [n * n]), tf.tensor1d(seg, 'int32'), n * slots),
    [n, slots],
  );
  const inPart = tf.slice(sums, [0, 0], [n, partitions]);
  const m1 = tf.reshape(m, [n]);
  const ePos = tf.reshape(tf.exp(tf.sub(pos, m1)), [n, 1]);
  const lse = tf.add(tf.log(tf.add(inPart, ePos)), tf.reshape(m1, [n, 1]));
  return tf.sum(tf.mean(tf.sub(lse, tf.reshape(pos, [n, 1])), 0)) as tf.Scalar;
}

/** Partitioned InfoNCE over interleaved correspondences, summed over partitions and scenes. */
export function shapeContextLoss(
  f0: tf.Tensor2D,
  f1: tf.Tensor2D,
  corr: Int32Array,
  geo: ShapeContextInputs,
  rng: Rng,
  opts: ShapeContextOptions = shapeContextSchema.parse({ type: 'shape-context' }),
): LossResult {
  const n0 = f0.shape[0];
  // Group correspondences by the scene of their query row.
  const scenes = new Map<number, number[]>();
  for (let t = 0; t < corr.length; t += 2) {
    const b = geo.batch0[corr[t]];
    let list = scenes.get(b);
    if (!list) scenes.set(b, (list = []));
    list.push(corr[t], corr[t + 1]);
  }
  if (scenes.size === 0) throw new Error('ShapeContext loss: no correspondences in the batch');
  const terms: tf.Scalar[] = [];
  let posSum = 0;
  let negSum = 0;
  for (const pairs of scenes.values()) {
    const m = sampleOneMatchPerQuery(Int32Array.from(pairs), n0, opts.npos, rng);
    const n = m.q.length;
    const xyz = new Float32Array(n * 3);
    for (let t = 0; t < n; t++) xyz.set(geo.positions0.subarray(m.q[t] * 3, m.q[t] * 3 + 3), t * 3);
    const part = partitionMatrix(xyz, opts);
    const q = gatherRows(f0, m.q);
    const k = gatherRows(f1, m.k);
    const sim = matMul2d(q, tf.transpose(k));
    const diag = tf.sum(tf.mul(q, k), 1) as tf.Tensor1D;
    const s = pairSimilarities(sim, diag);
    posSum += s.posSim;
    negSum += s.negSim;
    const logits = tf.div(sim, opts.temperature) as tf.Tensor2D;
    const pos = tf.div(diag, opts.temperature) as tf.Tensor1D;
    terms.push(partitionedNce(logits, pos, part, opts.partitions));
  }
  const loss = tf.div(tf.addN(terms), opts.partitions * scenes.size) as tf.Scalar;
  return {
    loss,
    diagnostics: { posSim: posSum / scenes.size, negSim: negSum / scenes.size, featStd: featureStd(f0) },
  };
}
