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

/** What every implementation takes: rows x [N×C], the affine, and where the statistics go. */
interface BnArgs {
  x: tf.Tensor2D;
  gamma: tf.Tensor1D;
  beta: tf.Tensor1D;
  epsilon: number;
  relu: boolean;
  onStats: (s: BatchStats) => void;
}

/** One forward pass of a hand-written op: its output, the tensors to save, their gradient. */
interface BnForward {
  value: tf.Tensor2D;
  save: tf.Tensor[];
  /** [dx, dGamma, dBeta] from dy and the saved tensors (run in the 'bn' phase). */
  grad: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.Tensor[];
}

/** The custom-gradient op over (x, gamma, beta) whose forward pass is `forward`. */
function bnOp(a: BnArgs, forward: (xt: tf.Tensor, gt: tf.Tensor, bt: tf.Tensor) => BnForward): tf.Tensor2D {
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xt, gt, bt] = args as tf.Tensor[];
    const { value, save, grad } = forward(xt, gt, bt);
    (args[3] as tf.GradSaveFunc)(save);
    return { value, gradFunc: (dy, saved) => phase('bn', () => grad(dy as tf.Tensor, saved)) };
  });
  return op(a.x, a.gamma, a.beta) as tf.Tensor2D;
}

function bnHost(host: HostBackend, a: BnArgs): tf.Tensor2D {
  const [n, c] = a.x.shape;
  const relu = a.relu;
  return bnOp(a, (xt, gt, bt) => {
    const s = stats(host.f32(xt), n, c);
    a.onStats(s);
    const invStd = new Float32Array(c);
    for (let j = 0; j < c; j++) invStd[j] = 1 / Math.sqrt(s.variance[j] + a.epsilon);
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
    const grad = (dy: tf.Tensor, [sx, sy]: tf.Tensor[]): tf.Tensor[] => {
      const dys = host.f32(dy);
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
      // views again: alloc may have grown (and detached) the heap
      const dys2 = host.f32(dy);
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
    };
    return { value, save: [xt, value], grad };
  });
}

/** The wasm path: statistics, normalisation and gradients in SIMD kernels on the heap. */
function bnWasm(host: HostBackend, a: BnArgs): tf.Tensor2D {
  const f = host.fused!;
  const [n, c] = a.x.shape;
  const r = a.relu ? 1 : 0;
  return bnOp(a, (xt, gt, bt) => {
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
        invStd[j] = 1 / Math.sqrt(variance[j] + a.epsilon);
        v[4 * c + j] = g[j] * invStd[j];
        v[5 * c + j] = b[j] - mean[j] * v[4 * c + j];
      }
      a.onStats({ mean: Float64Array.from(mean), variance });
      f.bn.bn_apply(f.ptr(xt), n, c, at(4), at(5), r, f.ptr(y));
    });
    const value = host.toTensor<tf.Rank.R2>(y);
    const grad = (dy: tf.Tensor, [sx, sy, sg]: tf.Tensor[]): tf.Tensor[] => {
      const dx = host.alloc([n, c]);
      const dGamma = new Float32Array(c);
      const dBeta = new Float32Array(c);
      // scratch: [mean | invstd | dbeta | dgamma | k1 | k2 | k3]
      f.withScratch(7 * c, (p, view) => {
        const at = (i: number) => p + i * c * 4;
        let v = view();
        v.set(mean, 0);
        v.set(invStd, c);
        const [xp, dyp, yp] = [f.ptr(sx), f.ptr(dy), f.ptr(sy)];
        f.bn.bn_grad_sums(xp, dyp, yp, n, c, at(0), at(1), r, at(2), at(3));
        v = view();
        const g = host.f32(sg);
        for (let j = 0; j < c; j++) {
          dBeta[j] = v[2 * c + j];
          dGamma[j] = v[3 * c + j];
          v[4 * c + j] = g[j] * invStd[j];
          v[5 * c + j] = dBeta[j] / n;
          v[6 * c + j] = dGamma[j] / n;
        }
        f.bn.bn_grad_apply(xp, dyp, yp, n, c, at(0), at(1), at(4), at(5), at(6), r, f.ptr(dx));
      });
      return [host.toTensor(dx), tf.tensor1d(dGamma), tf.tensor1d(dBeta)];
    };
    return { value, save: [xt, value, gt], grad };
  });
}

function bnGeneric({ x, gamma, beta, epsilon, relu, onStats }: BnArgs): tf.Tensor2D {
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
  const a: BnArgs = { x, gamma, beta, epsilon, relu, onStats };
  return phase('bn', () => {
    if (host?.fused && x.shape[1] % 4 === 0 && !opts.js) return bnWasm(host, a);
    return host ? bnHost(host, a) : bnGeneric(a);
  });
}
