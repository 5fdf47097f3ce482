/**
 * Training-mode batch norm (+ optional ReLU) over the rows of [N×C] features as one op with a
 * hand-written backward, computed with loops over host memory on wasm/cpu: two passes forward,
 * two backward, statistics in float64. Replaces ≈ 25 small tfjs kernels per layer (moments,
 * normalisation, affine, ReLU and their gradients). Other backends compose tf ops.
 */
import * as tf from '@tensorflow/tfjs';
import { phase } from './phases.js';
import { hostBackend, type HostBackend } from './host-backend.js';

export interface BatchStats {
  mean: Float64Array;
  /** Biased variance (used to normalise). */
  variance: Float64Array;
}

function stats(xs: Float32Array, n: number, c: number): BatchStats {
  const mean = new Float64Array(c);
  const variance = new Float64Array(c);
  for (let i = 0, r = 0; i < n; i++, r += c) for (let j = 0; j < c; j++) mean[j] += xs[r + j];
  for (let j = 0; j < c; j++) mean[j] /= Math.max(n, 1);
  for (let i = 0, r = 0; i < n; i++, r += c)
    for (let j = 0; j < c; j++) {
      const d = xs[r + j] - mean[j];
      variance[j] += d * d;
    }
  for (let j = 0; j < c; j++) variance[j] /= Math.max(n, 1);
  return { mean, variance };
}

function bnHost(
  host: HostBackend,
  x: tf.Tensor2D,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  epsilon: number,
  relu: boolean,
  onStats: (s: BatchStats) => void,
): tf.Tensor2D {
  const [n, c] = x.shape;
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xt, gt, bt] = args as tf.Tensor[];
    const s = stats(host.f32(xt), n, c);
    onStats(s);
    const invStd = new Float32Array(c);
    for (let j = 0; j < c; j++) invStd[j] = 1 / Math.sqrt(s.variance[j] + epsilon);
    const mean = Float32Array.from(s.mean);
    const g = Float32Array.from(host.f32(gt));
    const b = Float32Array.from(host.f32(bt));
    const scale = new Float32Array(c);
    const shift = new Float32Array(c);
    for (let j = 0; j < c; j++) {
      scale[j] = g[j] * invStd[j];
      shift[j] = b[j] - mean[j] * scale[j];
    }
    const y = host.alloc([n, c]);
    const xs = host.f32(xt);
    const ys = host.f32(y);
    for (let i = 0, r = 0; i < n; i++, r += c)
      for (let j = 0; j < c; j++) {
        const v = xs[r + j] * scale[j] + shift[j];
        ys[r + j] = relu && v < 0 ? 0 : v;
      }
    const value = host.toTensor<tf.Rank.R2>(y);
    (args[3] as tf.GradSaveFunc)([xt, value]);
    return {
      value,
      gradFunc: (dy, saved) =>
        phase('bn', () => {
          const [sx, sy] = saved;
          const dys = host.f32(dy as tf.Tensor);
          const xv = host.f32(sx);
          const yv = host.f32(sy);
          const dBeta = new Float64Array(c);
          const dGamma = new Float64Array(c);
          for (let i = 0, r = 0; i < n; i++, r += c)
            for (let j = 0; j < c; j++) {
              const d = relu && yv[r + j] <= 0 ? 0 : dys[r + j];
              dBeta[j] += d;
              dGamma[j] += d * (xv[r + j] - mean[j]) * invStd[j];
            }
          const k1 = new Float32Array(c);
          const k2 = new Float32Array(c);
          const k3 = new Float32Array(c);
          for (let j = 0; j < c; j++) {
            k1[j] = g[j] * invStd[j];
            k2[j] = dBeta[j] / n;
            k3[j] = dGamma[j] / n;
          }
          const dx = host.alloc([n, c]);
          const dxs = host.f32(dx);
          const dys2 = host.f32(dy as tf.Tensor);
          const xv2 = host.f32(sx);
          const yv2 = host.f32(sy);
          for (let i = 0, r = 0; i < n; i++, r += c)
            for (let j = 0; j < c; j++) {
              const d = relu && yv2[r + j] <= 0 ? 0 : dys2[r + j];
              const xhat = (xv2[r + j] - mean[j]) * invStd[j];
              dxs[r + j] = k1[j] * (d - k2[j] - xhat * k3[j]);
            }
          return [
            host.toTensor(dx),
            tf.tensor1d(Float32Array.from(dGamma)),
            tf.tensor1d(Float32Array.from(dBeta)),
          ];
        }),
    };
  });
  return op(x, gamma, beta) as tf.Tensor2D;
}

/** The wasm path: statistics, normalisation and gradients in SIMD kernels on the heap. */
function bnWasm(
  host: HostBackend,
  x: tf.Tensor2D,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  epsilon: number,
  relu: boolean,
  onStats: (s: BatchStats) => void,
): tf.Tensor2D {
  const f = host.fused!;
  const [n, c] = x.shape;
  const r = relu ? 1 : 0;
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xt, gt, bt] = args as tf.Tensor[];
    const mean = new Float32Array(c);
    const invStd = new Float32Array(c);
    const y = host.alloc([n, c]);
    // scratch: [zeros | sum | mean | sumsq | scale | shift]
    f.withScratch(6 * c, (p, view) => {
      const at = (i: number) => p + i * c * 4;
      f.bn.bn_sum(f.ptr(xt), n, c, at(0), at(1));
      let v = view();
      const variance = new Float64Array(c);
      for (let j = 0; j < c; j++) mean[j] = v[c + j] / Math.max(n, 1);
      v.set(mean, 2 * c);
      f.bn.bn_sumsq(f.ptr(xt), n, c, at(2), at(3));
      v = view();
      const g = host.f32(gt);
      const b = host.f32(bt);
      for (let j = 0; j < c; j++) {
        variance[j] = v[3 * c + j] / Math.max(n, 1);
        invStd[j] = 1 / Math.sqrt(variance[j] + epsilon);
        v[4 * c + j] = g[j] * invStd[j];
        v[5 * c + j] = b[j] - mean[j] * v[4 * c + j];
      }
      onStats({ mean: Float64Array.from(mean), variance });
      f.bn.bn_apply(f.ptr(xt), n, c, at(4), at(5), r, f.ptr(y));
    });
    const value = host.toTensor<tf.Rank.R2>(y);
    (args[3] as tf.GradSaveFunc)([xt, value, gt]);
    return {
      value,
      gradFunc: (dy, saved) =>
        phase('bn', () => {
          const [sx, sy, sg] = saved;
          const dx = host.alloc([n, c]);
          const dGamma = new Float32Array(c);
          const dBeta = new Float32Array(c);
          // scratch: [mean | invstd | dbeta | dgamma | k1 | k2 | k3]
          f.withScratch(7 * c, (p, view) => {
            const at = (i: number) => p + i * c * 4;
            let v = view();
            v.set(mean, 0);
            v.set(invStd, c);
            f.bn.bn_grad_sums(
              f.ptr(sx),
              f.ptr(dy as tf.Tensor),
              f.ptr(sy),
              n,
              c,
              at(0),
              at(1),
              r,
              at(2),
              at(3),
            );
            v = view();
            const g = host.f32(sg);
            for (let j = 0; j < c; j++) {
              dBeta[j] = v[2 * c + j];
              dGamma[j] = v[3 * c + j];
              v[4 * c + j] = g[j] * invStd[j];
              v[5 * c + j] = dBeta[j] / n;
              v[6 * c + j] = dGamma[j] / n;
            }
            f.bn.bn_grad_apply(
              f.ptr(sx),
              f.ptr(dy as tf.Tensor),
              f.ptr(sy),
              n,
              c,
              at(0),
              at(1),
              at(4),
              at(5),
              at(6),
              r,
              f.ptr(dx),
            );
          });
          return [host.toTensor(dx), tf.tensor1d(dGamma), tf.tensor1d(dBeta)];
        }),
    };
  });
  return op(x, gamma, beta) as tf.Tensor2D;
}

function bnGeneric(
  x: tf.Tensor2D,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  epsilon: number,
  relu: boolean,
  onStats: (s: BatchStats) => void,
): tf.Tensor2D {
  const { mean, variance } = tf.moments(x, 0);
  onStats({ mean: Float64Array.from(mean.dataSync()), variance: Float64Array.from(variance.dataSync()) });
  const y = tf.add(
    tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, epsilon))), gamma),
    beta,
  ) as tf.Tensor2D;
  return relu ? tf.relu(y) : y;
}

/**
 * Batch-normalises rows with the batch statistics (training mode), optionally followed by
 * ReLU; `onStats` receives the per-channel mean and biased variance (for running averages).
 */
export function batchNormTrain(
  x: tf.Tensor2D,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  epsilon: number,
  relu: boolean,
  onStats: (s: BatchStats) => void,
  opts: { generic?: boolean; js?: boolean } = {},
): tf.Tensor2D {
  const host = opts.generic ? undefined : hostBackend();
  return phase('bn', () => {
    if (host?.fused && x.shape[1] % 4 === 0 && !opts.js)
      return bnWasm(host, x, gamma, beta, epsilon, relu, onStats);
    return host
      ? bnHost(host, x, gamma, beta, epsilon, relu, onStats)
      : bnGeneric(x, gamma, beta, epsilon, relu, onStats);
  });
}
