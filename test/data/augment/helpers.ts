// Small fixtures shared by the augmentation tests.
import type { PointCloud } from '../../../src/geometry/point-cloud.js';
import { Rng } from '../../../src/core/rng.js';
import { augment, buildPipeline, parseTransforms } from '../../../src/data/augment/registry.js';
import type { AugState } from '../../../src/data/augment/state.js';

/** Runs a pipeline given as raw config items. */
export function run(cloud: PointCloud, items: unknown[], seed = 1): AugState {
  return augment(cloud, buildPipeline(parseTransforms(items)), new Rng(seed));
}

/** A random cloud with all attributes. */
export function randomCloud(n: number, seed: number, extent = 4): PointCloud {
  const r = new Rng(seed);
  const positions = new Float32Array(n * 3).map(() => r.uniform(0, extent));
  const colors = new Uint8Array(n * 3).map(() => r.int(256));
  const normals = new Float32Array(n * 3);
  for (let i = 0; i < n; i++) {
    const x = r.normal();
    const y = r.normal();
    const z = r.normal();
    const l = Math.hypot(x, y, z);
    normals.set([x / l, y / l, z / l], i * 3);
  }
  const labels = new Int32Array(n).map(() => r.int(5) - 1);
  const instances = new Int32Array(n).map((_, i) => i % 7);
  return {
    positions,
    colors,
    normals,
    labels,
    instances,
    properties: { intensity: new Float32Array(n).map((_, i) => i) },
  };
}

/** Asserts two numeric arrays agree within tol. */
export function close(a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-5): void {
  assert(a.length === b.length, `length ${a.length} vs ${b.length}`);
  for (let i = 0; i < a.length; i++) {
    assert(Math.abs(a[i] - b[i]) <= tol, `[${i}] ${a[i]} vs ${b[i]} (tol ${tol})`);
  }
}

function assert(ok: boolean, msg: string): void {
  if (!ok) throw new Error(msg);
}
