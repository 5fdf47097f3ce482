/**
 * The sparse-convolution benchmark behind `pointcontrast bench sparse`: one k=3 s=1
 * submanifold conv layer on a voxel set — kernel-map build time, forward, forward+backward,
 * each as min / median / max over the repetitions — and the same backend's dense GEMM rate on a
 * [pairs/27 × C]·[C × C] product, so that 2·pairs·C²/gemm_gflops is the layer's compute floor.
 */
import * as tf from '@tensorflow/tfjs';
import { CoordSet } from '../sparse/coord-set.js';
import { submanifoldMap, pairCount, type NeighbourSearch } from '../sparse/kernel-map.js';
import { sparseConvOp } from '../sparse/conv-op.js';
import { DEFAULT_BLOCKING, type ConvBlocking } from '../backend/wasm-kernels/conv-kernels.js';

export interface SparseBenchOptions {
  /** N×3 int32 voxel coordinates (one scene, batch 0). */
  coords: Int32Array;
  channels: number;
  reps?: number;
  /** Kernel-map neighbour search (default auto: sorted merge where the box sorts). */
  search?: NeighbourSearch;
  /** Time the kernel map only (no conv, no GEMM). */
  kernelMapOnly?: boolean;
  /** The fused kernels' blocking for the conv timings (default: DEFAULT_BLOCKING). */
  blocking?: ConvBlocking;
}

export interface SparseBenchResult {
  backend: string;
  threads: number;
  voxels: number;
  pairs: number;
  channels: number;
  reps: number;
  search: NeighbourSearch;
  /** Medians; the _min / _max keys give the spread over the repetitions. */
  kernel_map_ms: number;
  kernel_map_ms_min: number;
  kernel_map_ms_max: number;
  /** The fused kernels' blocking the conv was timed with: `rows,block,unroll`. */
  blocking?: string;
  conv_fwd_ms?: number;
  conv_fwd_ms_min?: number;
  conv_fwd_ms_max?: number;
  conv_fwd_bwd_ms?: number;
  conv_fwd_bwd_ms_min?: number;
  conv_fwd_bwd_ms_max?: number;
  gemm_gflops?: number;
  /** 2·pairs·C² / gemm rate: the layer's compute floor at the measured GEMM speed. */
  floor_ms?: number;
}

interface Spread {
  min: number;
  median: number;
  max: number;
}

/** Runs `fn` once to warm up, then `reps` times; wall-clock ms. */
function time(reps: number, fn: () => void): Spread {
  fn();
  const ts: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    fn();
    ts.push(performance.now() - t0);
  }
  ts.sort((a, b) => a - b);
  return { min: ts[0], median: ts[Math.floor(ts.length / 2)], max: ts[ts.length - 1] };
}

const round = (v: number) => Math.round(v * 100) / 100;

/** `{name: median, name_min, name_max}` for one timed quantity. */
function spreadKeys<K extends string>(name: K, s: Spread): Record<K | `${K}_min` | `${K}_max`, number> {
  return { [name]: round(s.median), [`${name}_min`]: round(s.min), [`${name}_max`]: round(s.max) } as Record<
    K | `${K}_min` | `${K}_max`,
    number
  >;
}

/** Runs the benchmark on the active backend (threads as reported by the caller). */
export function benchSparseConv(opts: SparseBenchOptions, threads: number): SparseBenchResult {
  const reps = opts.reps ?? 5;
  const n = opts.coords.length / 3;
  const c4 = new Int32Array(n * 4);
  for (let i = 0; i < n; i++) {
    c4[i * 4 + 1] = opts.coords[i * 3];
    c4[i * 4 + 2] = opts.coords[i * 3 + 1];
    c4[i * 4 + 3] = opts.coords[i * 3 + 2];
  }
  // Kernel map from scratch: validation (sort or hash) + 27-offset map.
  const search = opts.search ?? 'auto';
  const build = () => submanifoldMap(CoordSet.fromBatchCoords(c4, 1), 3, 1, search);
  let map = build();
  const kernelMap = time(reps, () => {
    map = build();
  });
  const pairs = pairCount(map);
  const C = opts.channels;
  const head = {
    backend: tf.getBackend(),
    threads,
    voxels: n,
    pairs,
    channels: C,
    reps,
    search,
    ...spreadKeys('kernel_map_ms', kernelMap),
  };
  if (opts.kernelMapOnly) return head;
  const blocking = opts.blocking ?? DEFAULT_BLOCKING;
  const x = tf.randomNormal([n, C], 0, 1, 'float32', 1) as tf.Tensor2D;
  const w = tf.randomNormal([27, C, C], 0, 0.1, 'float32', 2) as tf.Tensor3D;
  const grad = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
    tf.sum(sparseConvOp(a as tf.Tensor2D, b as tf.Tensor3D, map, { blocking })),
  );
  let fwd: Spread;
  let fwdBwd: Spread;
  try {
    fwd = time(reps, () => tf.tidy(() => void sparseConvOp(x, w, map, { blocking })));
    fwdBwd = time(reps, () => tf.tidy(() => void grad([x, w])));
  } finally {
    tf.dispose([x, w]);
  }
  const rows = Math.max(1, Math.round(pairs / 27));
  const a = tf.randomNormal([rows, C], 0, 1, 'float32', 3) as tf.Tensor2D;
  const b = tf.randomNormal([C, C], 0, 1, 'float32', 4) as tf.Tensor2D;
  const gemmMs = time(reps * 2, () => tf.tidy(() => void tf.matMul(a, b).dataSync()));
  const gemmGflops = (2 * rows * C * C) / (gemmMs.median * 1e6);
  tf.dispose([a, b]);
  return {
    ...head,
    blocking: `${blocking.rows},${blocking.block},${blocking.unroll}`,
    ...spreadKeys('conv_fwd_ms', fwd),
    ...spreadKeys('conv_fwd_bwd_ms', fwdBwd),
    gemm_gflops: round(gemmGflops),
    floor_ms: round((2 * pairs * C * C) / (gemmGflops * 1e6)),
  };
}
