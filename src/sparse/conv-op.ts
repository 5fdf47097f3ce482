/**
 * The differentiable sparse convolution op: out[o] = Σ_k Σ_{(i,o)∈M_k} F[i]·W_k (+ nothing; bias
 * is a separate op). Gather → GEMM → scatter-add per kernel offset. On host-memory backends
 * (wasm, cpu) rows are gathered/scattered with typed-array loops and multiplied with the
 * backend's untransposed GEMM; the backward is the same routine over the transposed map with
 * transposed weights, and dW_k = G_kᵀ·dY_k with G_kᵀ gathered directly in transposed layout.
 * Other backends use tf.gather / tf.matMul / tf.unsortedSegmentSum and autodiff.
 */
import * as tf from '@tensorflow/tfjs';
import { hostBackend, type HostBackend } from './host-backend.js';
import { ConvPoolError, lowerBound, parallelConv, runTask, type ConvTask } from '../backend/parallel.js';
import {
  DEFAULT_BLOCKING,
  type ConvBlocking,
  type ConvKernels,
} from '../backend/wasm-kernels/conv-kernels.js';
import { transposeMap, type KernelMap } from './kernel-map.js';
import { phase } from './phases.js';
import { sparseConvGather } from './conv-gather.js';

type TensorInfo = tf.TensorInfo;

/** Copies offset k's [cin×cout] weight block (optionally transposed) into a new buffer. */
function weightBlock(host: HostBackend, w: TensorInfo, k: number, transpose: boolean): TensorInfo {
  const [, cin, cout] = w.shape;
  const info = host.alloc(transpose ? [cout, cin] : [cin, cout]);
  const src = host.f32(w);
  const dst = host.f32(info);
  const base = k * cin * cout;
  if (!transpose) {
    dst.set(src.subarray(base, base + cin * cout));
  } else {
    for (let i = 0; i < cin; i++) for (let j = 0; j < cout; j++) dst[j * cin + i] = src[base + i * cout + j];
  }
  return info;
}

/** Whether the fused kernels take a layer of this output width (else gather → GEMM → scatter). */
function useFused(host: HostBackend, cout: number): boolean {
  return host.fused !== undefined && cout % 4 === 0;
}

/**
 * All weight blocks transposed: [K×cin×cout] → new [K×cout×cin] buffer; with `reverse`, block j
 * comes from block K−1−j (the backward of a submanifold conv over its own, symmetric map).
 */
function transposeBlocks(host: HostBackend, w: TensorInfo, reverse: boolean): TensorInfo {
  const [k, cin, cout] = w.shape;
  const out = host.alloc([k, cout, cin]);
  const src = host.f32(w);
  const dst = host.f32(out);
  for (let b = 0; b < k; b++) {
    const o = (reverse ? k - 1 - b : b) * cin * cout;
    const d = b * cin * cout;
    for (let i = 0; i < cin; i++) for (let j = 0; j < cout; j++) dst[d + j * cin + i] = src[o + i * cout + j];
  }
  return out;
}

/** Pairs below which a conv is not worth splitting over threads. */
const PARALLEL_MIN_PAIRS = 20000;

/** How many threads a conv of `pairs` kernel-map pairs is split over (1 without a pool). */
function threadsFor(pairs: number): number {
  const runner = parallelConv();
  return runner && pairs >= PARALLEL_MIN_PAIRS ? runner.threads : 1;
}

/** One empty task per thread; the caller appends each thread's kernel calls. */
function convTasks(
  kind: ConvTask['kind'],
  split: number,
  cin: number,
  cout: number,
  blocking: ConvBlocking,
): ConvTask[] {
  return Array.from({ length: split }, () => ({ kind, cin, cout, blocking, calls: [] }));
}

/** Runs the tasks on the worker pool, or the single task on this thread. */
function runTasks(tasks: ConvTask[], kernels: ConvKernels): void {
  if (tasks.length > 1) parallelConv()!.run(tasks, kernels);
  else runTask(tasks[0], kernels);
}

/**
 * The output of a conv before its non-identity offsets: X·W_identity when the map has the
 * identity offset (every input row maps to the same output row), else zeros [nOut×cout].
 */
function identityOutput(
  host: HostBackend,
  x: TensorInfo,
  w: TensorInfo,
  map: KernelMap,
  cout: number,
  transposeW: boolean,
): TensorInfo {
  if (map.identity < 0) return host.zeros([map.nOut, cout]);
  const wk = weightBlock(host, w, map.identity, transposeW);
  const out = host.matMul(x, wk);
  host.free(wk);
  return out;
}

/** The non-identity offsets through the fused kernel, accumulating into `out`. */
function fusedOffsets(
  host: HostBackend,
  x: TensorInfo,
  wBlocks: TensorInfo,
  map: KernelMap,
  out: TensorInfo,
  blocking: ConvBlocking,
): void {
  const f = host.fused!;
  const [, cin, cout] = wBlocks.shape;
  const k = f.kernels(cin, cout, blocking);
  const block = cin * cout * 4;
  const split = map.sortedOut ? threadsFor(map.inIdx.length) : 1;
  f.withInt32([map.inIdx, map.outIdx], ([inP, outP]) => {
    const xp = f.ptr(x);
    const wp = f.ptr(wBlocks);
    const op = f.ptr(out);
    const tasks = convTasks('fwd', split, cin, cout, blocking);
    for (let o = 0; o < map.volume; o++) {
      const from = map.start[o];
      const to = map.start[o + 1];
      if (to === from) continue;
      for (let t = 0; t < split; t++) {
        // thread t owns output rows [t·nOut/split, (t+1)·nOut/split)
        const a = t === 0 ? from : lowerBound(map.outIdx, from, to, Math.floor((t * map.nOut) / split));
        const b =
          t === split - 1 ? to : lowerBound(map.outIdx, from, to, Math.floor(((t + 1) * map.nOut) / split));
        if (b > a) tasks[t].calls.push(xp, wp + o * block, inP + a * 4, outP + a * 4, b - a, op);
      }
    }
    runTasks(tasks, k);
  });
}

/**
 * Runs `fill` on `out`; when a pool thread failed part-way (the pool then runs everything on
 * the calling thread), frees the partly written `out` and fills a fresh one from `fresh()`.
 */
function recomputeOnPoolFailure(
  host: HostBackend,
  out: TensorInfo,
  fill: (out: TensorInfo) => void,
  fresh: () => TensorInfo,
): TensorInfo {
  try {
    fill(out);
    return out;
  } catch (e) {
    if (!(e instanceof ConvPoolError && e.recoverable)) throw e;
    host.free(out);
    const again = fresh();
    fill(again);
    return again;
  }
}

/** Gather-GEMM-scatter over all offsets of `map`: X [nIn×cin] → [nOut×cout]. */
function gemmGatherScatter(
  host: HostBackend,
  x: TensorInfo,
  w: TensorInfo,
  map: KernelMap,
  transposeW: boolean,
  blocking: ConvBlocking,
  reverse = false,
): TensorInfo {
  const cout = transposeW ? w.shape[1] : w.shape[2];
  const out = identityOutput(host, x, w, map, cout, transposeW);
  if (useFused(host, cout)) {
    const blocks = transposeW ? transposeBlocks(host, w, reverse) : w;
    const result = recomputeOnPoolFailure(
      host,
      out,
      (o) => fusedOffsets(host, x, blocks, map, o, blocking),
      () => identityOutput(host, x, w, map, cout, transposeW),
    );
    if (transposeW) host.free(blocks);
    return result;
  }
  const { start, inIdx, outIdx } = map;
  for (let k = 0; k < map.volume; k++) {
    const from = start[k];
    const to = start[k + 1];
    if (to === from) continue;
    const g = host.gatherRows(x, inIdx, from, to);
    const wk = weightBlock(host, w, k, transposeW);
    const y = host.matMul(g, wk);
    host.free(g);
    host.free(wk);
    host.scatterAddRows(y, out, outIdx, from, to);
    host.free(y);
  }
  return out;
}

/** dW_k = Σ_j x[in_j]ᵀ·dy[out_j] with the fused outer-product kernel (x: [nIn×cin], dy: [nOut×cout]). */
function weightGradFused(
  host: HostBackend,
  x: TensorInfo,
  dy: TensorInfo,
  map: KernelMap,
  blocking: ConvBlocking,
  [cin, cout]: [number, number],
): TensorInfo {
  const f = host.fused!;
  const k = f.kernels(cin, cout, blocking);
  const block = cin * cout * 4;
  const arrays = [map.inIdx, map.outIdx];
  if (map.identity >= 0) arrays.push(Int32Array.from({ length: map.nIn }, (_, i) => i));
  const split = threadsFor(map.inIdx.length + (map.identity >= 0 ? map.nIn : 0));
  const zeros = () => host.zeros([map.volume, cin, cout]);
  const fill = (dw: TensorInfo) =>
    f.withInt32(arrays, ([inP, outP, idP]) => {
      const xp = f.ptr(x);
      const dp = f.ptr(dy);
      const wp = f.ptr(dw);
      // each offset's dW block is written by one thread: offsets go to the least loaded thread
      const tasks = convTasks('dw', split, cin, cout, blocking);
      const load = new Float64Array(split);
      const assign = (n: number, args: number[]) => {
        let t = 0;
        for (let u = 1; u < split; u++) if (load[u] < load[t]) t = u;
        load[t] += n;
        tasks[t].calls.push(...args);
      };
      // largest first (LPT), so the last offsets placed even out the threads' loads
      const sizes = Array.from({ length: map.volume }, (_, o) =>
        o === map.identity ? map.nIn : map.start[o + 1] - map.start[o],
      );
      const order = sizes.map((_, o) => o).sort((a, b) => sizes[b] - sizes[a] || a - b);
      for (const o of order) {
        const n = sizes[o];
        if (n === 0) continue;
        if (o === map.identity) assign(n, [xp, dp, idP, idP, n, wp + o * block]);
        else assign(n, [xp, dp, inP + map.start[o] * 4, outP + map.start[o] * 4, n, wp + o * block]);
      }
      runTasks(tasks, k);
    });
  return recomputeOnPoolFailure(host, zeros(), fill, zeros);
}

/** dW_k = G_kᵀ·dY_k for every offset; returns [volume×cin×cout]. */
function weightGrad(
  host: HostBackend,
  x: TensorInfo,
  dy: TensorInfo,
  map: KernelMap,
  blocking: ConvBlocking,
): TensorInfo {
  const cin = x.shape[1];
  const cout = dy.shape[1];
  if (useFused(host, cout)) return weightGradFused(host, x, dy, map, blocking, [cin, cout]);
  const block = cin * cout;
  const blocks: (TensorInfo | undefined)[] = [];
  for (let k = 0; k < map.volume; k++) {
    const identity = k === map.identity;
    const from = map.start[k];
    const to = map.start[k + 1];
    const n = identity ? map.nIn : to - from;
    if (n === 0) {
      blocks.push(undefined);
      continue;
    }
    // Gᵀ [cin × n], gathered straight into transposed layout.
    const gt = host.gatherColumns(x, identity ? null : map.inIdx, from, to);
    const d = identity ? dy : host.gatherRows(dy, map.outIdx, from, to);
    blocks.push(host.matMul(gt, d));
    host.free(gt);
    if (!identity) host.free(d);
  }
  const dw = host.zeros([map.volume, cin, cout]);
  blocks.forEach((b, k) => {
    if (!b) return;
    host.f32(dw).set(host.f32(b), k * block);
    host.free(b);
  });
  return dw;
}

function convHost(
  host: HostBackend,
  features: tf.Tensor2D,
  weight: tf.Tensor3D,
  map: KernelMap,
  blocking: ConvBlocking,
): tf.Tensor2D {
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [x, w] = args as tf.Tensor[];
    (args[2] as tf.GradSaveFunc)([x, w]);
    const value = host.toTensor<tf.Rank.R2>(
      phase('conv_fwd', () => gemmGatherScatter(host, x, w, map, false, blocking)),
    );
    return {
      value,
      gradFunc: (dy, saved) =>
        phase('conv_bwd', () => {
          const [xs, ws] = saved;
          const g = dy as tf.Tensor;
          // dF: the conv over the transposed map with transposed weights; a submanifold map is its
          // own transpose with the offsets reversed, which keeps the output rows sorted (threads)
          const cin = ws.shape[1] as number;
          const dx = host.toTensor(
            map.symmetric && useFused(host, cin)
              ? gemmGatherScatter(host, g, ws, map, true, blocking, true)
              : gemmGatherScatter(host, g, ws, transposeMap(map), true, blocking),
          );
          const dw = host.toTensor(weightGrad(host, xs, g, map, blocking));
          return [dx, dw];
        }),
    };
  });
  return op(features, weight) as tf.Tensor2D;
}

function convGeneric(features: tf.Tensor2D, weight: tf.Tensor3D, map: KernelMap): tf.Tensor2D {
  return tf.tidy(() => {
    const cout = weight.shape[2];
    const blocks = tf.unstack(weight) as tf.Tensor2D[];
    let out: tf.Tensor2D =
      map.identity >= 0 ? tf.matMul(features, blocks[map.identity]) : tf.zeros([map.nOut, cout]);
    for (let k = 0; k < map.volume; k++) {
      const from = map.start[k];
      const to = map.start[k + 1];
      if (to === from) continue;
      const g = tf.gather(features, map.inIdx.subarray(from, to));
      const y = tf.matMul(g, blocks[k]);
      out = tf.add(
        out,
        tf.unsortedSegmentSum(y, tf.tensor1d(map.outIdx.subarray(from, to), 'int32'), map.nOut),
      );
    }
    return out;
  });
}

/** Backends whose UnsortedSegmentSum is quadratic: the conv gathers instead (conv-gather.ts). */
const GPU_BACKENDS = new Set(['webgl', 'webgpu']);

/**
 * Sparse convolution of row features [nIn×cin] with weights [volume×cin×cout] over a kernel map.
 * `generic: true` forces the tf-ops path (used as a cross-check in tests); `blocking` is the
 * fused wasm kernels' (default DEFAULT_BLOCKING; sparse ops pass their manager's).
 */
export function sparseConvOp(
  features: tf.Tensor2D,
  weight: tf.Tensor3D,
  map: KernelMap,
  opts: { generic?: boolean; blocking?: ConvBlocking } = {},
): tf.Tensor2D {
  if (features.shape[0] !== map.nIn) {
    throw new RangeError(`sparse conv: ${features.shape[0]} feature rows for a map with ${map.nIn} inputs`);
  }
  if (weight.shape[0] !== map.volume || weight.shape[1] !== features.shape[1]) {
    throw new RangeError(
      `sparse conv: weight [${weight.shape}] does not fit ${map.volume} offsets × ${features.shape[1]} input channels`,
    );
  }
  const host = opts.generic ? undefined : hostBackend();
  if (host) return convHost(host, features, weight, map, opts.blocking ?? DEFAULT_BLOCKING);
  if (GPU_BACKENDS.has(tf.getBackend())) return sparseConvGather(features, weight, map);
  return convGeneric(features, weight, map);
}
