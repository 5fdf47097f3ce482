/**
 * Measurements behind `pointcontrast bench pairs`: correspondence search (voxel grid vs brute
 * force), overlap tests, z-buffer visibility, RGB-D depth PNG + back-projection, the pair codec,
 * and `data pairs --from synth` end to end (pairs/s at each worker count).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { backProjectDepth, intrinsicsFromFov } from '../geometry/camera.js';
import { visiblePoints } from '../geometry/depth-buffer.js';
import { invertRigid } from '../geometry/rigid.js';
import { radiusPairs } from '../geometry/radius-search.js';
import { decodePng, encodePng } from '../data/io/png.js';
import { indexedMesh, renderRgbdFrame, roomTrajectory } from '../data/rgbd/render.js';
import { generateScene, surfaceMesh } from '../data/synth/index.js';
import { generatePairs } from '../data/pairs/generate.js';
import { buildPair, overlappingPairs, DEFAULT_PAIR_SETTINGS } from '../data/pairs/make-pairs.js';
import { decodePair, encodePair } from '../data/pairs/pair-file.js';
import { openPairDataset } from '../data/pairs/reader.js';
import { Rng } from '../core/rng.js';
import { sampleCameraPose, scanViews, virtualIntrinsics } from '../data/pairs/views.js';
import { timeReps } from './timing.js';

/** Options of `benchPairs`. */
export interface PairBenchOptions {
  /** Synthetic scenes for the end-to-end run (4). */
  scenes?: number;
  /** Worker counts to time the end-to-end run with ([1, 2]). */
  workers?: number[];
  /** Timed repetitions of the micro-benchmarks, median reported (5). */
  reps?: number;
  /** Sampling density of the scene used for the micro-benchmarks (4000 points/m²). */
  pointsPerM2?: number;
  /** Also time the O(N·M) brute-force search once (true). */
  bruteForce?: boolean;
}

const r2 = (x: number) => Math.round(x * 100) / 100;

function bruteCount(a: Float32Array, b: Float32Array, r: number): number {
  let n = 0;
  const rr = r * r;
  for (let i = 0; i < a.length; i += 3) {
    for (let j = 0; j < b.length; j += 3) {
      const dx = a[i] - b[j];
      const dy = a[i + 1] - b[j + 1];
      const dz = a[i + 2] - b[j + 2];
      if (dx * dx + dy * dy + dz * dz <= rr) n++;
    }
  }
  return n;
}

/** Runs every measurement; returns one flat JSON-able object. */
export async function benchPairs(o: PairBenchOptions = {}): Promise<Record<string, number | string | null>> {
  const reps = o.reps ?? 5;
  const density = o.pointsPerM2 ?? 4000;
  const res: Record<string, number | string | null> = {
    machine: `${cpus().length} × ${cpus()[0]?.model ?? '?'}`,
    node: process.version,
    loadavg1m: r2(loadavg()[0]),
  };

  // --- micro-benchmarks on one synthetic scene
  const scene = generateScene({ seed: 0, pointsPerM2: density });
  const cloud = scene.cloud;
  const n = cloud.positions.length / 3;
  res.scenePoints = n;
  const k = virtualIntrinsics();
  const pose = sampleCameraPose(scene.room, Rng.keyed(0, 'bench').rand());
  const vis = timeReps(reps, () => visiblePoints(cloud.positions, k, invertRigid(pose)));
  res.visibilityMs = r2(vis.cpu);
  res.visibilityMpointsPerS = r2(n / vis.cpu / 1e3);

  const views = scanViews(cloud, scene.room, Rng.keyed(0, 'bench').rand(), { count: 8, storeVoxel: 0 });
  const ov = timeReps(reps, () => overlappingPairs(views, DEFAULT_PAIR_SETTINGS));
  const { pairs, tested } = overlappingPairs(views, DEFAULT_PAIR_SETTINGS);
  res.overlapViewPairsTested = tested;
  res.overlapMsPerViewPair = r2(ov.cpu / Math.max(1, tested));
  const best = [...pairs].sort(
    (p, q) =>
      views[q.a].positions.length +
      views[q.b].positions.length -
      views[p.a].positions.length -
      views[p.b].positions.length,
  )[0];
  if (best) {
    const a = views[best.a].positions;
    const b = views[best.b].positions;
    const pts = (a.length + b.length) / 3;
    let count = 0;
    const dense = timeReps(reps, () => (count = radiusPairs(a, b, 0.0375, 'dense').length / 2));
    const hashed = timeReps(reps, () => radiusPairs(a, b, 0.0375, 'hash'));
    res.corrViewPoints = pts;
    res.corrPairs = count;
    res.corrDenseMs = r2(dense.cpu);
    res.corrDenseMpointsPerS = r2(pts / dense.cpu / 1e3);
    res.corrDenseMpairsPerS = r2(count / dense.cpu / 1e3);
    res.corrHashMs = r2(hashed.cpu);
    res.corrHashMpointsPerS = r2(pts / hashed.cpu / 1e3);
    if (o.bruteForce ?? true) {
      // O(N·M) on the first queries only (the full search takes tens of seconds), extrapolated
      const q = Math.min(a.length / 3, 4000);
      const sub = a.subarray(0, q * 3);
      const t = performance.now();
      const bc = bruteCount(sub, b, 0.0375);
      const ms = performance.now() - t;
      const all = radiusPairs(a, b, 0.0375);
      let want = 0;
      for (let p = 0; p < all.length && all[p] < q; p += 2) want++;
      res.corrBruteForceQueries = q;
      res.corrBruteForceEstMs = r2((ms * a.length) / 3 / q);
      res.corrBruteForceAgrees = bc === want ? 'yes' : `no (${bc} vs ${want})`;
    }
    const pair = buildPair(scene.name, views[best.a], views[best.b], best.overlap, DEFAULT_PAIR_SETTINGS);
    let bytes: Uint8Array = new Uint8Array(0);
    const enc = timeReps(reps, () => (bytes = encodePair(pair)));
    const dec = timeReps(reps, () => decodePair(bytes));
    res.pairFileMB = r2(bytes.length / 1e6);
    res.pairEncodeMBPerS = r2(bytes.length / enc.wall / 1e3);
    res.pairDecodeMBPerS = r2(bytes.length / dec.wall / 1e3);
  }

  // --- RGB-D: render one 640×480 frame, PNG round trip, back-projection
  const k640 = intrinsicsFromFov(640, 480, 58);
  const framePose = roomTrajectory(scene.room, 8)[0];
  const frame = renderRgbdFrame(indexedMesh(surfaceMesh(scene.surfaces)), k640, framePose);
  let png: Uint8Array = new Uint8Array(0);
  const pe = timeReps(
    reps,
    () => (png = encodePng({ width: 640, height: 480, channels: 1, bitDepth: 16, data: frame.depth })),
  );
  const pd = timeReps(reps, () => decodePng(png));
  const bp = timeReps(reps, () => backProjectDepth(frame.depth, k640, framePose));
  res.depthPngKB = r2(png.length / 1e3);
  res.depthPngEncodeMs = r2(pe.cpu);
  res.depthPngDecodeMs = r2(pd.cpu);
  res.backProjectMpixelsPerS = r2((640 * 480) / bp.cpu / 1e3);

  // --- end to end: data pairs --from synth
  const synthGen = timeReps(1, () => generateScene({ seed: 1 }));
  res.synthSceneMs = r2(synthGen.wall);
  const scenes = o.scenes ?? 4;
  res.e2eScenes = scenes;
  for (const w of o.workers ?? [1, 2]) {
    const out = mkdtempSync(join(tmpdir(), 'pc-bench-pairs-'));
    try {
      const c0 = process.cpuUsage();
      const r = await generatePairs({ from: 'synth', scenes, out, workers: w });
      const cpu = process.cpuUsage(c0);
      const ds = openPairDataset(out);
      const t = performance.now();
      let read = 0;
      for await (const _p of ds.stream()) read++;
      const readS = (performance.now() - t) / 1000;
      res[`e2eW${w}Pairs`] = r.manifest.totals.pairs;
      res[`e2eW${w}Seconds`] = r2(r.seconds);
      res[`e2eW${w}PairsPerS`] = r2(r.manifest.totals.pairs / r.seconds);
      // CPU seconds of all threads (robust on a shared machine; includes tsx start-up of workers from sources)
      res[`e2eW${w}CpuSeconds`] = r2((cpu.user + cpu.system) / 1e6);
      res[`e2eW${w}KBPerPair`] = r2(r.manifest.totals.bytes / Math.max(1, r.manifest.totals.pairs) / 1e3);
      res[`readerW${w}PairsPerS`] = r2(read / readS);
      if (w === 1) {
        // where the time goes (wall ms summed over scenes, in this thread)
        for (const k of ['load', 'views', 'overlap', 'correspondences', 'write'] as const) {
          res[`e2eW1Ms_${k}`] = Math.round(r.manifest.scenes.reduce((t, sc) => t + (sc.ms?.[k] ?? 0), 0));
        }
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }
  return res;
}
