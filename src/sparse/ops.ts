/**
 * Functional sparse ops on SparseTensor: submanifold conv, stride-2 conv, transposed conv onto
 * cached finer coordinates, 1×1 linear, batch norm over active sites, ReLU, channel concat,
 * global pooling per batch item, and projection of voxel features onto points.
 */
import * as tf from '@tensorflow/tfjs';
import { sparseConvOp } from './conv-op.js';
import { gatherRows } from './gather-op.js';
import { matMul2d } from './matmul.js';
import { batchNormTrain } from './batch-norm-op.js';
import type { SparseTensor } from './sparse-tensor.js';

/** Stride-1 submanifold convolution, weight [k³×Cin×Cout]; output on the input coordinates. */
export function conv(x: SparseTensor, weight: tf.Tensor3D, kernel = 3, dilation = 1): SparseTensor {
  const map = x.manager.subMap(x.stride, kernel, dilation);
  return x.withFeatures(sparseConvOp(x.features, weight, map, { blocking: x.manager.paths.blocking }));
}

/** Stride-2 convolution with a 2³ kernel, weight [8×Cin×Cout]; output at stride 2·s. */
export function convDown(x: SparseTensor, weight: tf.Tensor3D): SparseTensor {
  const map = x.manager.downMap(x.stride);
  return x.atStride(
    sparseConvOp(x.features, weight, map, { blocking: x.manager.paths.blocking }),
    x.stride * 2,
  );
}

/** Transposed 2³ convolution, stride 2, onto the cached coordinates at s/2; weight [8×Cin×Cout]. */
export function convUp(x: SparseTensor, weight: tf.Tensor3D): SparseTensor {
  if (x.stride < 2) throw new RangeError('convUp: input is already at stride 1');
  const fine = x.stride / 2;
  const map = x.manager.upMap(fine);
  return x.atStride(sparseConvOp(x.features, weight, map, { blocking: x.manager.paths.blocking }), fine);
}

/** 1×1 convolution (per-row linear map) with optional bias. */
export function linear(x: SparseTensor, weight: tf.Tensor2D, bias?: tf.Tensor1D): SparseTensor {
  const y = matMul2d(x.features, weight);
  return x.withFeatures(bias ? tf.add(y, bias) : y);
}

export function relu(x: SparseTensor): SparseTensor {
  return x.withFeatures(tf.relu(x.features));
}

/** Running statistics of a batch-norm layer, updated in place (as tf.Variables) in training. */
export interface BatchNormState {
  movingMean: tf.Variable<tf.Rank.R1>;
  movingVariance: tf.Variable<tf.Rank.R1>;
}

export interface BatchNormOptions {
  training: boolean;
  /** tfjs convention: moving ← momentum·moving + (1 − momentum)·batch (PyTorch m = 1 − this). */
  momentum: number;
  epsilon: number;
  /** Training mode only: update the moving averages (default true). */
  updateStats?: boolean;
}

/**
 * Batch norm over all active sites of the batch (MinkowskiEngine semantics), optionally fused
 * with a ReLU. In training the batch statistics normalise and the moving averages are updated
 * (with the unbiased variance, as PyTorch).
 */
export function batchNorm(
  x: SparseTensor,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  state: BatchNormState,
  opts: BatchNormOptions & { relu?: boolean },
): SparseTensor {
  const f = x.features;
  const relu = opts.relu ?? false;
  if (!opts.training) {
    const y = tf.batchNorm(
      f,
      state.movingMean,
      state.movingVariance,
      beta,
      gamma,
      opts.epsilon,
    ) as tf.Tensor2D;
    return x.withFeatures(relu ? tf.relu(y) : y);
  }
  const n = f.shape[0];
  const m = opts.momentum;
  const update = opts.updateStats ?? true;
  const y = batchNormTrain(f, gamma, beta, opts.epsilon, relu, (s) => {
    if (!update) return;
    const c = s.mean.length;
    const mean = new Float32Array(c);
    const variance = new Float32Array(c);
    const rm = state.movingMean.dataSync();
    const rv = state.movingVariance.dataSync();
    const unbias = n > 1 ? n / (n - 1) : 1;
    for (let j = 0; j < c; j++) {
      mean[j] = m * rm[j] + (1 - m) * s.mean[j];
      variance[j] = m * rv[j] + (1 - m) * s.variance[j] * unbias;
    }
    tf.tidy(() => {
      state.movingMean.assign(tf.tensor1d(mean));
      state.movingVariance.assign(tf.tensor1d(variance));
    });
  });
  return x.withFeatures(y);
}

/** Channel concatenation of tensors on the same coordinates (U-Net skips). */
export function concat(parts: SparseTensor[]): SparseTensor {
  const [first] = parts;
  for (const p of parts) {
    if (p.manager !== first.manager || p.stride !== first.stride) {
      throw new Error('concat: tensors must share the same coordinates (manager and stride)');
    }
  }
  return first.withFeatures(
    tf.concat(
      parts.map((p) => p.features),
      1,
    ),
  );
}

/** Row ranges of each batch item (rows must be grouped by batch index). */
function batchRanges(x: SparseTensor): Int32Array {
  const r = x.coordSet.batchRanges();
  if (!r) throw new Error('global pooling: rows are not grouped by batch index');
  return r;
}

/** Global average pooling per batch item → [B×C]. */
export function globalAvgPool(x: SparseTensor): tf.Tensor2D {
  const r = batchRanges(x);
  const rows: tf.Tensor2D[] = [];
  for (let b = 0; b + 1 < r.length; b++) {
    const n = r[b + 1] - r[b];
    rows.push(n > 0 ? tf.mean(tf.slice(x.features, [r[b], 0], [n, -1]), 0, true) : tf.zeros([1, x.channels]));
  }
  return tf.concat(rows, 0);
}

/** Global max pooling per batch item → [B×C]. */
export function globalMaxPool(x: SparseTensor): tf.Tensor2D {
  const r = batchRanges(x);
  const rows: tf.Tensor2D[] = [];
  for (let b = 0; b + 1 < r.length; b++) {
    const n = r[b + 1] - r[b];
    rows.push(n > 0 ? tf.max(tf.slice(x.features, [r[b], 0], [n, -1]), 0, true) : tf.zeros([1, x.channels]));
  }
  return tf.concat(rows, 0);
}

/** Voxel features → one row per original point through the point→voxel inverse map. */
export function toPoints(x: SparseTensor, inverse: Int32Array): tf.Tensor2D {
  return gatherRows(x.features, inverse);
}
