/**
 * Parse-throughput benchmark of the format codecs (`pointcontrast bench formats`): generates a
 * scan-like cloud, encodes it in each format, and times parsePointCloud on it (and on any real
 * files the caller passes in).
 */
import { Rng } from '../core/rng.js';
import type { PointCloud } from '../geometry/point-cloud.js';
import { parsePointCloud } from '../data/formats/index.js';
import { writePcd } from '../data/formats/pcd-write.js';
import { writePly } from '../data/formats/ply-write.js';
import { formatExact } from '../data/formats/text-scanner.js';

/** One timed input. */
export interface FormatBenchResult {
  name: string;
  /** 'generated' or the file path. */
  source: string;
  bytes: number;
  points: number;
  /** Median and best parse time over the repeats (parse + conversion to PointCloud). */
  msMedian: number;
  msBest: number;
  /** Median CPU time of the process per parse, when the caller gives a CPU clock (robust on a busy machine). */
  cpuMsMedian?: number;
  /** Throughput at the median wall time. */
  mbPerS: number;
  mpointsPerS: number;
  /** Throughput at the median CPU time. */
  mbPerSCpu?: number;
}

/** A named buffer to time. */
export interface FormatBenchInput {
  name: string;
  fileName: string;
  source: string;
  bytes: Uint8Array;
}

function rng(seed: number): () => number {
  return new Rng(seed).rand();
}

/** A scan-like cloud: xyz on a 1 mm grid in an 8 × 8 × 3 m room, RGB, NYU40-style labels. */
export function syntheticScan(n: number, seed = 1): PointCloud {
  const r = rng(seed);
  const positions = new Float32Array(3 * n);
  const colors = new Uint8Array(3 * n);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    positions[3 * i] = Math.round(r() * 8000) / 1000 - 4;
    positions[3 * i + 1] = Math.round(r() * 8000) / 1000 - 4;
    positions[3 * i + 2] = Math.round(r() * 3000) / 1000;
    colors[3 * i] = r() * 256;
    colors[3 * i + 1] = r() * 256;
    colors[3 * i + 2] = r() * 256;
    labels[i] = Math.floor(r() * 41);
  }
  return { positions, colors, labels };
}

/** The text-row (x y z r g b label) encoding of a cloud with colours and labels. */
export function encodeXyzRows(c: PointCloud): Uint8Array {
  const n = c.positions.length / 3;
  const rows: string[] = new Array(n);
  const p = c.positions;
  for (let i = 0; i < n; i++) {
    const xyz = `${formatExact(p[3 * i], true)} ${formatExact(p[3 * i + 1], true)} ${formatExact(p[3 * i + 2], true)}`;
    rows[i] = `${xyz} ${c.colors![3 * i]} ${c.colors![3 * i + 1]} ${c.colors![3 * i + 2]} ${c.labels![i]}\n`;
  }
  return new TextEncoder().encode(rows.join(''));
}

/** The generated inputs: one cloud as binary/ascii PLY, binary/compressed/ascii PCD and text rows. */
export function generatedInputs(points: number): FormatBenchInput[] {
  const c = syntheticScan(points);
  const gen = (name: string, fileName: string, bytes: Uint8Array) => ({
    name,
    fileName,
    source: 'generated',
    bytes,
  });
  const plyTypes = { label: 'ushort' } as const;
  return [
    gen('ply binary_little_endian', 'gen.ply', writePly(c, { propertyTypes: plyTypes })),
    gen(
      'ply binary_big_endian',
      'gen.ply',
      writePly(c, { propertyTypes: plyTypes, format: 'binary_big_endian' }),
    ),
    gen('ply ascii', 'gen.ply', writePly(c, { propertyTypes: plyTypes, format: 'ascii' })),
    gen('pcd binary', 'gen.pcd', writePcd(c, { data: 'binary' })),
    gen('pcd binary_compressed', 'gen.pcd', writePcd(c, { data: 'binary_compressed' })),
    gen('pcd ascii', 'gen.pcd', writePcd(c, { data: 'ascii' })),
    gen('text x y z r g b label', 'gen.txt', encodeXyzRows(c)),
  ];
}

const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor((a.length - 1) / 2)];
const round = (v: number) => Math.round(v * 100) / 100;

/**
 * Times parsePointCloud on each input `repeats` times (after one warm-up run). `cpuClock`
 * (milliseconds of CPU time used by this process) adds CPU-time figures.
 */
export function runFormatBench(
  inputs: FormatBenchInput[],
  repeats: number,
  onProgress?: (done: number, total: number) => void,
  cpuClock?: () => number,
): FormatBenchResult[] {
  const results: FormatBenchResult[] = [];
  inputs.forEach((inp, k) => {
    let points = parsePointCloud(inp.bytes, inp.fileName).positions.length / 3;
    const times: number[] = [];
    const cpu: number[] = [];
    for (let i = 0; i < repeats; i++) {
      const c0 = cpuClock?.() ?? 0;
      const t0 = performance.now();
      points = parsePointCloud(inp.bytes, inp.fileName).positions.length / 3;
      times.push(performance.now() - t0);
      cpu.push((cpuClock?.() ?? 0) - c0);
    }
    const med = median(times);
    const mb = inp.bytes.length / 1e6;
    const res: FormatBenchResult = {
      name: inp.name,
      source: inp.source,
      bytes: inp.bytes.length,
      points,
      msMedian: round(med),
      msBest: round(Math.min(...times)),
      mbPerS: round(mb / (med / 1000)),
      mpointsPerS: round(points / 1e6 / (med / 1000)),
    };
    if (cpuClock) {
      const cmed = median(cpu);
      res.cpuMsMedian = round(cmed);
      res.mbPerSCpu = round(mb / (Math.max(cmed, 1e-3) / 1000));
    }
    results.push(res);
    onProgress?.(k + 1, inputs.length);
  });
  return results;
}
