/**
 * A tiny prepared detection dataset for tests: rooms of a 4 × 4 m floor and a few boxes whose
 * surfaces are sampled on a 10 cm grid (synthetic label map: floor, cabinet, chair, table), plus a
 * small fine-tuning config based on configs/finetune/synthetic-det.yaml.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadLabelMap } from '../../../src/data/datasets/label-maps.js';
import {
  buildManifest,
  computeSceneStats,
  manifestToJson,
  type ManifestScene,
} from '../../../src/data/prepared/manifest.js';
import { writePreparedSceneFile } from '../../../src/data/prepared/scene-file.js';
import type { PreparedBox } from '../../../src/data/prepared/codec.js';

type V3 = [number, number, number];

/** Points on the surface of an axis-aligned box (10 cm grid on each face). */
function boxSurface(center: V3, size: V3, out: number[]): void {
  const h = 0.1;
  for (let axis = 0; axis < 3; axis++) {
    const [u, v] = [0, 1, 2].filter((a) => a !== axis);
    for (const side of [-0.5, 0.5]) {
      for (let a = 0; a <= size[u] + 1e-9; a += h)
        for (let b = 0; b <= size[v] + 1e-9; b += h) {
          const p: V3 = [0, 0, 0];
          p[axis] = center[axis] + side * size[axis];
          p[u] = center[u] - size[u] / 2 + a;
          p[v] = center[v] - size[v] / 2 + b;
          out.push(...p);
        }
    }
  }
}

const OBJECTS: { label: number; size: V3 }[] = [
  { label: 2, size: [0.6, 0.5, 0.9] }, // cabinet
  { label: 4, size: [0.5, 0.5, 0.8] }, // chair
  { label: 6, size: [1.2, 0.8, 0.7] }, // table
];

/** Scene `i`: the three objects at positions that depend on i, on a floor. */
function scene(i: number) {
  const pos: number[] = [];
  const labels: number[] = [];
  const instances: number[] = [];
  for (let x = 0; x < 4; x += 0.1)
    for (let y = 0; y < 4; y += 0.1) {
      pos.push(x, y, 0);
      labels.push(1);
      instances.push(-1);
    }
  const boxes: PreparedBox[] = OBJECTS.map((o, k) => {
    const center: V3 = [0.8 + ((k * 1.3 + i * 0.7) % 2.4), 0.7 + ((k * 0.9 + i * 1.1) % 2.5), o.size[2] / 2];
    const before = pos.length;
    boxSurface(center, o.size, pos);
    for (let p = before; p < pos.length; p += 3) {
      labels.push(o.label);
      instances.push(k);
    }
    return { label: o.label, instance: k, center, size: [...o.size] as V3 };
  });
  const n = pos.length / 3;
  const colors = Uint8Array.from({ length: n * 3 }, (_, j) => (labels[Math.floor(j / 3)] * 40 + j) % 256);
  return {
    cloud: {
      positions: Float32Array.from(pos),
      colors,
      labels: Int32Array.from(labels),
      instances: Int32Array.from(instances),
    },
    boxes,
  };
}

/** Writes `train` + `val` tiny scenes (named tiny_<i>) as a prepared dataset in `dir`. */
export function writeTinyDetDataset(dir: string, train = 2, val = 1): void {
  const labelMap = loadLabelMap('synthetic');
  const entries: ManifestScene[] = [];
  for (let i = 0; i < train + val; i++) {
    const s = scene(i);
    const name = `tiny_${i}`;
    const file = `${name}.bin`;
    writePreparedSceneFile(join(dir, file), { name, labelSet: labelMap.name, ...s });
    const stats = computeSceneStats(
      s.cloud.labels,
      s.cloud.instances,
      s.cloud.positions.length / 3,
      labelMap.classes.length,
      s.boxes.length,
    );
    entries.push({ name, file, split: i < train ? 'train' : 'val', ...stats });
  }
  const m = buildManifest(labelMap, entries, { type: 'test', options: {} }, 'test');
  writeFileSync(join(dir, 'manifest.json'), manifestToJson(m));
}

/**
 * Tiny datasets in subfolders a, b, … of a new temp folder, one per [train, val] size (rooms of
 * one to mix into another's samples).
 */
export function writeTinyDatasets(
  prefix: string,
  ...sizes: [number, number][]
): { dir: string; dirs: string[] } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const dirs = sizes.map(([train, val], i) => {
    const d = join(dir, String.fromCharCode(97 + i));
    mkdirSync(d);
    writeTinyDetDataset(d, train, val);
    return d;
  });
  return { dir, dirs };
}

/** A small detection config (base: configs/finetune/synthetic-det.yaml) reading `data`. */
export function writeTinyDetConfig(dir: string, data: string): string {
  const base = new URL('../../../configs/finetune/synthetic-det.yaml', import.meta.url).pathname;
  const file = join(dir, 'tiny-det.yaml');
  writeFileSync(
    file,
    [
      `_base_: ${base}`,
      'name: tiny-det',
      'data:',
      `  dir: ${data}`,
      '  loader: { voxelSize: 0.2, batchSize: 1, features: rgb, workers: 0 }',
      'head: { hidden: 16, proposals: 16, nsample: 4, radius: 0.4, minCandidates: 32 }',
      'train: { maxSteps: 2, checkpointEvery: 2, logEvery: 1 }',
      'validation: { every: 2, maxScenes: null, metric: mAP25 }',
      '',
    ].join('\n'),
  );
  return file;
}
