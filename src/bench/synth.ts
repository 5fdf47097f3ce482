/**
 * Generation benchmark (platform-free): times `generateScene` over consecutive seeds after a
 * short warm-up and reports scenes/s, points/s, latency percentiles and per-room-type means.
 */
import type { RoomType } from '../data/synth/classes.js';
import { generateScene } from '../data/synth/scene.js';

/** Benchmark settings. */
export interface SynthBenchOptions {
  scenes: number;
  seed: number;
  pointsPerM2: number;
}

/** Benchmark result (numbers for docs/benchmarks.md). */
export interface SynthBenchResult {
  scenes: number;
  pointsPerM2: number;
  seconds: number;
  scenesPerS: number;
  pointsPerS: number;
  /** Process CPU time (when a clock was given): robust on a shared, loaded machine. */
  cpuSeconds: number | null;
  scenesPerCpuS: number | null;
  pointsPerCpuS: number | null;
  meanPoints: number;
  msP50: number;
  msP90: number;
  byRoomType: Record<string, { scenes: number; meanPoints: number; msMean: number }>;
}

/**
 * Runs the benchmark (3 untimed warm-up scenes first, so the JIT has compiled the hot loops);
 * `cpuMs` is an optional process CPU-time clock in milliseconds.
 */
export function runSynthBench(
  o: SynthBenchOptions,
  onProgress?: (done: number, total: number) => void,
  cpuMs?: () => number,
): SynthBenchResult {
  for (let i = 0; i < 3; i++) generateScene({ seed: o.seed + 1_000_000 + i, pointsPerM2: o.pointsPerM2 });
  const ms: number[] = [];
  const by: Record<string, { scenes: number; points: number; ms: number }> = {};
  let points = 0;
  const t0 = performance.now();
  const c0 = cpuMs?.() ?? 0;
  for (let i = 0; i < o.scenes; i++) {
    const t = performance.now();
    const s = generateScene({ seed: o.seed + i, pointsPerM2: o.pointsPerM2 });
    const dt = performance.now() - t;
    const n = s.cloud.positions.length / 3;
    ms.push(dt);
    points += n;
    const e = (by[s.roomType as RoomType] ??= { scenes: 0, points: 0, ms: 0 });
    e.scenes++;
    e.points += n;
    e.ms += dt;
    onProgress?.(i + 1, o.scenes);
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpuSeconds = cpuMs ? (cpuMs() - c0) / 1000 : null;
  const sorted = [...ms].sort((a, b) => a - b);
  const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
  return {
    scenes: o.scenes,
    pointsPerM2: o.pointsPerM2,
    seconds,
    scenesPerS: o.scenes / seconds,
    pointsPerS: points / seconds,
    cpuSeconds,
    scenesPerCpuS: cpuSeconds ? o.scenes / cpuSeconds : null,
    pointsPerCpuS: cpuSeconds ? points / cpuSeconds : null,
    meanPoints: points / o.scenes,
    msP50: pct(0.5),
    msP90: pct(0.9),
    byRoomType: Object.fromEntries(
      Object.entries(by).map(([k, v]) => [
        k,
        { scenes: v.scenes, meanPoints: v.points / v.scenes, msMean: v.ms / v.scenes },
      ]),
    ),
  };
}
