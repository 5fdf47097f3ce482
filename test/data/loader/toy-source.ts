// A deterministic in-memory source for loader tests: random labelled "rooms", or pairs of two
// overlapping slabs of one random cloud whose shared points are the correspondences.
// Also loadable in a prefetch worker through { type: 'module', module: <this file> }.
import type { PairSample, SampleSource, SceneSample } from '../../../src/data/loader/types.js';
import { Rng, deriveSeed } from '../../../src/core/rng.js';
import type { PointCloud } from '../../../src/geometry/point-cloud.js';

export interface ToyOptions {
  kind: 'scenes' | 'pairs';
  count: number;
  points: number;
  seed?: number;
  /** Throw when reading this index (error-path tests). */
  failAt?: number;
}

/** A random cloud in a 3×3×2 m box with colours, normals, labels 0..4 (-1 some) and instances. */
export function toyCloud(n: number, seed: number): PointCloud {
  const r = new Rng(seed);
  const positions = new Float32Array(n * 3);
  for (let i = 0; i < n; i++) positions.set([r.uniform(0, 3), r.uniform(0, 3), r.uniform(0, 2)], i * 3);
  const colors = new Uint8Array(n * 3).map(() => r.int(256));
  const normals = new Float32Array(n * 3);
  for (let i = 0; i < n; i++) normals[i * 3 + 2] = 1;
  const instances = new Int32Array(n).map(() => r.int(4));
  const labels = new Int32Array(n).map((_, i) => (r.next() < 0.1 ? -1 : instances[i] % 3));
  return { positions, colors, normals, labels, instances };
}

/** The scene of index i. */
export function toyScene(i: number, o: ToyOptions): SceneSample {
  const cloud = toyCloud(o.points, deriveSeed(o.seed ?? 0, i));
  const boxes = [0, 1, 2, 3].map((k) => ({
    label: k % 3,
    instance: k,
    center: [1.5, 1.5, 1] as [number, number, number],
    size: [3, 3, 2] as [number, number, number],
  }));
  return { name: `toy-${i}`, cloud, boxes };
}

/** The pair of index i: view 0 = points with x < 1.8, view 1 = points with x > 1.2. */
export function toyPair(i: number, o: ToyOptions): PairSample & { world: Float32Array } {
  const c = toyCloud(o.points, deriveSeed(o.seed ?? 0, i, 1));
  const n = o.points;
  const in0: number[] = [];
  const in1: number[] = [];
  const at0 = new Int32Array(n).fill(-1);
  const at1 = new Int32Array(n).fill(-1);
  for (let p = 0; p < n; p++) {
    const x = c.positions[p * 3];
    if (x < 1.8) at0[p] = in0.push(p) - 1;
    if (x > 1.2) at1[p] = in1.push(p) - 1;
  }
  const corr: number[] = [];
  for (let p = 0; p < n; p++) if (at0[p] >= 0 && at1[p] >= 0) corr.push(at0[p], at1[p]);
  const view = (idx: number[]) => ({
    positions: Float32Array.from(
      idx.flatMap((p) => [c.positions[p * 3], c.positions[p * 3 + 1], c.positions[p * 3 + 2]]),
    ),
    colors: Uint8Array.from(
      idx.flatMap((p) => [c.colors![p * 3], c.colors![p * 3 + 1], c.colors![p * 3 + 2]]),
    ),
  });
  return {
    name: `pair-${i}`,
    view0: view(in0),
    view1: view(in1),
    corr: Int32Array.from(corr),
    world: c.positions,
  };
}

/** Factory the loader's module source calls. */
export function createSource(o: ToyOptions): SampleSource {
  const check = (i: number) => {
    if (i === o.failAt) throw new Error(`toy source: cannot read sample ${i}`);
  };
  if (o.kind === 'scenes') {
    return { kind: 'scenes', size: o.count, read: (i) => (check(i), toyScene(i, o)) };
  }
  return { kind: 'pairs', size: o.count, read: (i) => (check(i), toyPair(i, o)) };
}
