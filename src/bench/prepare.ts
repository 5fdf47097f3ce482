/**
 * `bench prepare` measurements: prepared-scene encode/decode throughput, the S3DIS text parser
 * against a split/parseFloat baseline, and ScanNet scan preparation when the shared scans exist.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseXyzRgbText } from '../data/datasets/xyzrgb-text.js';
import { decodePreparedScene, encodePreparedScene, type PreparedScene } from '../data/prepared/codec.js';
import { prepareDataset } from '../data/prepared/prepare.js';
import { timeReps } from './timing.js';

/** Options of benchPrepare. */
export interface BenchPrepareOptions {
  /** Points of the generated scene / text rows (default 1,000,000). */
  points?: number;
  /** A ScanNet root to time `prepareDataset` on (skipped when absent). */
  scannetRoot?: string;
  /** Timed repetitions; the median is reported (default 5). */
  reps?: number;
}

function syntheticScene(n: number): PreparedScene {
  let s = 1;
  const r = () => (s = (s * 16807) % 2147483647) / 2147483647;
  const positions = new Float32Array(n * 3).map(() => r() * 10);
  const normals = new Float32Array(n * 3).map(() => r() - 0.5);
  const colors = new Uint8Array(n * 3).map(() => r() * 256);
  const labels = new Int32Array(n).map(() => Math.floor(r() * 21) - 1);
  const instances = new Int32Array(n).map(() => Math.floor(r() * 60) - 1);
  return { name: 'bench', cloud: { positions, normals, colors, labels, instances }, boxes: [] };
}

const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

/** Runs the measurements; returns one flat JSON-able object. */
export async function benchPrepare(
  o: BenchPrepareOptions = {},
): Promise<Record<string, number | string | null>> {
  const n = o.points ?? 1_000_000;
  const reps = o.reps ?? 5;
  const scene = syntheticScene(n);
  let bytes = encodePreparedScene(scene);
  const encMs = timeReps(reps, () => (bytes = encodePreparedScene(scene)));
  const decMs = timeReps(reps, () => decodePreparedScene(bytes));
  const mb = bytes.length / 1e6;

  const rows: string[] = [];
  const p = scene.cloud.positions;
  const c = scene.cloud.colors!;
  for (let i = 0; i < n; i++) {
    rows.push(
      `${p[i * 3].toFixed(6)} ${p[i * 3 + 1].toFixed(6)} ${p[i * 3 + 2].toFixed(6)} ${c[i * 3]} ${c[i * 3 + 1]} ${c[i * 3 + 2]}`,
    );
  }
  const text = `${rows.join('\n')}\n`;
  const textBytes = new TextEncoder().encode(text);
  const txtMs = timeReps(reps, () => parseXyzRgbText(textBytes, 'bench.txt'));
  const naiveMs = timeReps(reps, () => {
    const out = new Float32Array(n * 3);
    const lines = new TextDecoder().decode(textBytes).split('\n');
    for (let i = 0; i < n; i++) {
      const f = lines[i].split(' ');
      out[i * 3] = parseFloat(f[0]);
      out[i * 3 + 1] = parseFloat(f[1]);
      out[i * 3 + 2] = parseFloat(f[2]);
    }
  });

  const tmb = textBytes.length / 1e6;
  const res: Record<string, number | string | null> = {
    points: n,
    loadAverage1m: round(loadavg()[0], 2),
    sceneFileMB: round(mb, 2),
    encodeMs: round(encMs.wall),
    encodeCpuMBps: round(mb / (encMs.cpu / 1000)),
    decodeMs: round(decMs.wall, 2),
    decodeCpuMBps: round(mb / (decMs.cpu / 1000)),
    xyzrgbTextMB: round(tmb, 2),
    xyzrgbParseMs: round(txtMs.wall),
    xyzrgbParseCpuMBps: round(tmb / (txtMs.cpu / 1000)),
    xyzrgbCpuMpointsPerS: round(n / 1e6 / (txtMs.cpu / 1000), 2),
    splitParseFloatMs: round(naiveMs.wall),
    splitParseFloatCpuMBps: round(tmb / (naiveMs.cpu / 1000)),
    scannetScenes: null,
    scannetSecondsPerScene: null,
    scannetCpuSecondsPerScene: null,
  };
  if (o.scannetRoot && existsSync(o.scannetRoot)) {
    const out = mkdtempSync(join(tmpdir(), 'bench-prepare-'));
    try {
      await prepareDataset({ type: 'scannet', source: { root: o.scannetRoot }, out, force: true }); // warm-up
      const c = process.cpuUsage();
      const t = performance.now();
      const r = await prepareDataset({ type: 'scannet', source: { root: o.scannetRoot }, out, force: true });
      const s = (performance.now() - t) / 1000;
      const d = process.cpuUsage(c);
      const k = r.manifest.scenes.length;
      res.scannetScenes = k;
      res.scannetSecondsPerScene = round(s / k, 3);
      res.scannetCpuSecondsPerScene = round((d.user + d.system) / 1e6 / k, 3);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }
  return res;
}
