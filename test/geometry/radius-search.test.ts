import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { radiusPairs, RadiusIndex } from '../../src/geometry/radius-search.js';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Random cloud: half uniform in a box, half clustered around shared centres (many neighbours). */
function cloud(n: number, r: () => number, extent: number, centres: number[][]): Float32Array {
  const p = new Float32Array(n * 3);
  for (let i = 0; i < n; i++) {
    const c = centres[i % 5];
    for (let d = 0; d < 3; d++) p[i * 3 + d] = i % 2 ? r() * extent - 0.1 : c[d] + (r() - 0.5) * 0.1;
  }
  return p;
}

/** The O(N·M) oracle, same distance formula (float64 on float32 coordinates, d ≤ r). */
function brutePairs(a: Float32Array, b: Float32Array, radius: number): number[] {
  const out: number[] = [];
  const r2 = radius * radius;
  for (let i = 0; i < a.length / 3; i++) {
    for (let j = 0; j < b.length / 3; j++) {
      const dx = b[j * 3] - a[i * 3];
      const dy = b[j * 3 + 1] - a[i * 3 + 1];
      const dz = b[j * 3 + 2] - a[i * 3 + 2];
      if (dx * dx + dy * dy + dz * dz <= r2) out.push(i, j);
    }
  }
  return out;
}

describe('radius correspondence search (voxel grid: dense table or hash)', () => {
  for (const [seed, na, nb, extent, radius] of [
    [1, 1500, 1200, 1, 0.0375],
    [2, 800, 2000, 0.5, 0.025],
    [3, 1000, 1000, 3, 0.2],
    [4, 1, 500, 0.3, 0.1],
  ] as const) {
    test(`identical pair set to brute force (seed ${seed}, ${na}×${nb}, r=${radius})`, () => {
      const r = rng(seed);
      const centres = Array.from({ length: 5 }, () => [r() * extent, r() * extent, r() * extent]);
      const a = cloud(na, r, extent, centres);
      const b = cloud(nb, r, extent, centres);
      const want = brutePairs(a, b, radius);
      assert.ok(want.length > 2 * na || seed === 4, `oracle too sparse: ${want.length / 2} pairs`);
      const withNb = new Set<number>();
      for (let p = 0; p < want.length; p += 2) withNb.add(want[p]);
      for (const strategy of ['dense', 'hash'] as const) {
        assert.equal(new RadiusIndex(b, radius, strategy).strategy, strategy);
        assert.deepEqual(Array.from(radiusPairs(a, b, radius, strategy)), want, strategy);
        assert.equal(new RadiusIndex(b, radius, strategy).countWithin(a), withNb.size, strategy);
      }
    });
  }

  test('a neighbour at exactly the radius counts (d ≤ r), a hair beyond does not', () => {
    // lattice with spacing 0.5 = radius, exactly representable: each interior point has 6 axis neighbours at d = r
    const pts: number[] = [];
    for (let x = 0; x < 4; x++)
      for (let y = 0; y < 4; y++) for (let z = 0; z < 4; z++) pts.push(x * 0.5, y * 0.5, z * 0.5);
    const a = Float32Array.from(pts);
    assert.deepEqual(Array.from(radiusPairs(a, a, 0.5)), brutePairs(a, a, 0.5));
    assert.equal(radiusPairs(a, a, 0.5).length / 2, 64 + 2 * 3 * 4 * 4 * 3); // self + 3 axes × 48 edges × 2 directions
    assert.equal(radiusPairs(a, a, 0.4999).length / 2, 64);
  });

  test('negative coordinates, empty inputs and clear errors', () => {
    const a = Float32Array.from([-10.01, -3, -0.02, -10.0, -3, -0.02]);
    assert.deepEqual(Array.from(radiusPairs(a, a, 0.0375)), [0, 0, 0, 1, 1, 0, 1, 1]);
    assert.equal(radiusPairs(new Float32Array(0), a, 1).length, 0);
    assert.equal(new RadiusIndex(new Float32Array(0), 1).countWithin(a), 0);
    assert.throws(() => radiusPairs(a, a, 0), /radius must be > 0/);
    // a huge reference extent falls back to the hash, which has a per-axis cell limit
    const far = Float32Array.from([0, 0, 0, 5000, 5000, 0]);
    assert.equal(new RadiusIndex(far, 1).strategy, 'hash');
    assert.throws(() => radiusPairs(a, far, 0.01), /along x spans 500000 cells of 0\.01 m/);
    assert.throws(
      () => radiusPairs(a, Float32Array.from([NaN, 0, 0]), 0.01),
      /reference point 0 has a non-finite/,
    );
    // queries far outside the reference extent simply have no neighbours
    assert.equal(new RadiusIndex(a, 0.05).countWithin(Float32Array.from([1e4, -1e4, 0, -10, -3, -0.02])), 1);
  });
});
