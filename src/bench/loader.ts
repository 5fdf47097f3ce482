/**
 * Loader benchmark: batch building throughput in the calling thread (wall and CPU time), the
 * same through the prefetch worker, and how long a training loop with a simulated step of
 * `stepMs` waits in `next()` in each mode (the point of prefetching: ≈ 0 when building < step).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { createLoader } from '../data/loader/loader.js';
import type { SourceSpec } from '../data/loader/sources.js';
import type { Batch } from '../data/loader/types.js';
import { parseLoaderConfig, type FeatureMode } from '../data/loader/config.js';
import { cpuMs } from './timing.js';

/** Benchmark settings. */
export interface LoaderBenchOptions {
  /** Synthetic scenes (generated once and cached; generation is not timed). */
  scenes: number;
  seed: number;
  pointsPerM2: number;
  batchSize: number;
  voxelSize: number;
  /** Recipe name or transform list. */
  transforms: string | unknown[];
  features: FeatureMode;
  /** Timed batches per measurement. */
  batches: number;
  /** Simulated training step (ms) for the wait measurement. */
  stepMs: number;
  workers: number;
  prefetch: number;
  /** Benchmark a `data pairs` folder instead of synthetic scenes. */
  pairsDir?: string;
}

/** Numbers for docs/benchmarks.md. */
export interface LoaderBenchResult {
  source: string;
  samples: number;
  batchSize: number;
  voxelSize: number;
  transforms: string;
  batches: number;
  meanPointsPerBatch: number;
  meanVoxelsPerBatch: number;
  inThread: { msPerBatch: number; cpuMsPerBatch: number; pointsPerS: number; pointsPerCpuS: number };
  worker: { msPerBatch: number; pointsPerS: number };
  step: { stepMs: number; inThreadWaitMs: number; workerWaitMs: number };
}

/** Input points and voxels of a batch (both views for pairs); needs pointToVoxel. */
function sizes(b: Batch): { points: number; voxels: number } {
  const pts = (maps: Int32Array[] | undefined) => (maps ?? []).reduce((a, m) => a + m.length, 0);
  if (b.kind === 'scenes') return { points: pts(b.pointToVoxel), voxels: b.coords.length / 4 };
  return {
    points: pts(b.view0.pointToVoxel) + pts(b.view1.pointToVoxel),
    voxels: (b.view0.coords.length + b.view1.coords.length) / 4,
  };
}

/** Runs the benchmark; `onProgress` counts timed batches over all phases. */
export async function runLoaderBench(
  o: LoaderBenchOptions,
  onProgress?: (done: number, total: number) => void,
): Promise<LoaderBenchResult> {
  const spec: SourceSpec = o.pairsDir
    ? { type: 'pairs', dir: o.pairsDir }
    : { type: 'synth', scenes: o.scenes, seed: o.seed, options: { pointsPerM2: o.pointsPerM2 }, cache: true };
  const config = {
    voxelSize: o.voxelSize,
    batchSize: o.batchSize,
    transforms: o.transforms,
    features: o.features,
    featureJitter: { sigma: 0.01, p: 0.95 },
    pointToVoxel: true,
    prefetch: o.prefetch,
  };
  const total = o.batches * 4;
  let done = 0;
  const tick = () => onProgress?.(++done, total);
  let points = 0;
  let voxels = 0;

  // in-thread: one untimed epoch fills the scene cache and warms the JIT
  const local = await createLoader({ source: spec, config: parseLoaderConfig({ ...config, workers: 0 }) });
  const count = (b: Batch) => {
    const s = sizes(b);
    voxels += s.voxels;
    points += s.points;
  };
  let inThread: LoaderBenchResult['inThread'];
  let inThreadWait = 0;
  try {
    for (let i = 0; i < local.batchesPerEpoch; i++) await local.next();
    const t0 = performance.now();
    const c0 = cpuMs();
    for (let i = 0; i < o.batches; i++) {
      count((await local.next())!);
      tick();
    }
    const ms = performance.now() - t0;
    const cpu = cpuMs() - c0;
    inThread = {
      msPerBatch: ms / o.batches,
      cpuMsPerBatch: cpu / o.batches,
      pointsPerS: points / (ms / 1000),
      pointsPerCpuS: points / (cpu / 1000),
    };
    for (let i = 0; i < o.batches; i++) {
      const t = performance.now();
      await local.next();
      inThreadWait += performance.now() - t;
      await sleep(o.stepMs);
      tick();
    }
  } finally {
    await local.close();
  }

  const remote = await createLoader({
    source: spec,
    config: parseLoaderConfig({ ...config, workers: o.workers }),
  });
  let worker: LoaderBenchResult['worker'];
  let workerWait = 0;
  try {
    for (let i = 0; i < remote.batchesPerEpoch * o.workers; i++) await remote.next();
    let workerPoints = 0;
    const t0 = performance.now();
    for (let i = 0; i < o.batches; i++) {
      workerPoints += sizes((await remote.next())!).points;
      tick();
    }
    const ms = performance.now() - t0;
    worker = { msPerBatch: ms / o.batches, pointsPerS: workerPoints / (ms / 1000) };
    await sleep(o.stepMs); // let the queue fill, as after any training step
    for (let i = 0; i < o.batches; i++) {
      const t = performance.now();
      await remote.next();
      workerWait += performance.now() - t;
      await sleep(o.stepMs);
      tick();
    }
  } finally {
    await remote.close();
  }
  return {
    source: o.pairsDir ? `pairs ${o.pairsDir}` : `synth ${o.scenes} scenes at ${o.pointsPerM2} pts/m²`,
    samples: local.size,
    batchSize: o.batchSize,
    voxelSize: o.voxelSize,
    transforms: typeof o.transforms === 'string' ? o.transforms : `${o.transforms.length} items`,
    batches: o.batches,
    meanPointsPerBatch: points / o.batches,
    meanVoxelsPerBatch: voxels / o.batches,
    inThread,
    worker,
    step: {
      stepMs: o.stepMs,
      inThreadWaitMs: inThreadWait / o.batches,
      workerWaitMs: workerWait / o.batches,
    },
  };
}
