import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  boxBlurAxis,
  elasticDistort,
  trilinear,
  type VectorGrid,
} from '../../../src/data/augment/elastic.js';
import { Rng } from '../../../src/core/rng.js';
import { close, run } from './helpers.js';

function grid(nx: number, ny: number, nz: number): VectorGrid {
  return { dims: [nx, ny, nz], values: new Float64Array(nx * ny * nz * 3) };
}
const at = (g: VectorGrid, i: number, j: number, k: number, c = 0) =>
  ((i * g.dims[1] + j) * g.dims[2] + k) * 3 + c;

describe('elastic building blocks', () => {
  test('two box-blur passes per axis turn an impulse into the separable [1,2,3,2,1]/9 kernel', () => {
    const g = grid(7, 7, 7);
    g.values[at(g, 3, 3, 3, 1)] = 1;
    for (let p = 0; p < 2; p++) for (const a of [0, 1, 2] as const) boxBlurAxis(g, a);
    const w = [1, 2, 3, 2, 1].map((v) => v / 9);
    for (let i = -3; i <= 3; i++)
      for (let j = -3; j <= 3; j++)
        for (let k = -3; k <= 3; k++) {
          const expect =
            Math.abs(i) <= 2 && Math.abs(j) <= 2 && Math.abs(k) <= 2 ? w[i + 2] * w[j + 2] * w[k + 2] : 0;
          assert.ok(Math.abs(g.values[at(g, 3 + i, 3 + j, 3 + k, 1)] - expect) < 1e-15);
          assert.equal(g.values[at(g, 3 + i, 3 + j, 3 + k, 0)], 0); // channels stay separate
        }
  });

  test('the blur pads with zeros at the border', () => {
    const g = grid(4, 1, 1);
    g.values.set([3, 0, 0, 6, 0, 0, 9, 0, 0, 12, 0, 0]);
    boxBlurAxis(g, 0);
    close(
      [0, 1, 2, 3].map((i) => g.values[i * 3]),
      [3, 6, 9, 7],
      1e-12,
    );
  });

  test('trilinear interpolation: exact at nodes, exact for a linear field, zero outside', () => {
    const g = grid(3, 4, 5);
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 4; j++)
        for (let k = 0; k < 5; k++) g.values.set([i + 2 * j - k, 1, 7 * i * j * k], at(g, i, j, k));
    const out = new Float64Array(3);
    trilinear(g, 1, 2, 3, out);
    close(out, [1 + 4 - 3, 1, 42], 1e-12);
    trilinear(g, 1.25, 0.5, 3.75, out);
    close(out.subarray(0, 2), [1.25 + 1 - 3.75, 1], 1e-12);
    trilinear(g, 2, 3, 4, out); // far corner
    close(out, [2 + 6 - 4, 1, 168], 1e-12);
    trilinear(g, -0.1, 1, 1, out);
    close(out, [0, 0, 0]);
  });
});

describe('elasticDistort', () => {
  // a 2 m cube sampled every 5 cm
  const n = 41;
  const pos = new Float32Array(n * n * n * 3);
  for (let i = 0, q = 0; i < n; i++)
    for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) pos.set([i * 0.05, j * 0.05, k * 0.05], 3 * q++);
  const N = n * n * n;
  // std of the twice-blurred unit noise at a node: per axis Σw² = 19/81
  const nodeStd = Math.sqrt((19 / 81) ** 3);

  test('displacements are bounded, zero-mean, of the expected size, and smooth', () => {
    let corrFar = 0;
    for (const seed of [1, 2, 3]) {
      const out = elasticDistort(pos, 0.2, 0.4, new Rng(seed));
      const d = (i: number, c: number) => out[i * 3 + c] - pos[i * 3 + c];
      let s2 = 0;
      let mean = 0;
      let max = 0;
      for (let i = 0; i < N; i++)
        for (let c = 0; c < 3; c++) {
          const v = d(i, c);
          s2 += v * v;
          mean += v;
          max = Math.max(max, Math.abs(v));
        }
      const rms = Math.sqrt(s2 / (3 * N));
      assert.ok(rms > 0.6 * 0.4 * nodeStd && rms < 1.3 * 0.4 * nodeStd, `rms ${rms}`);
      assert.ok(Math.abs(mean / (3 * N)) < 0.3 * rms, `mean ${mean / (3 * N)}`);
      assert.ok(max < 6 * 0.4 * nodeStd, `max ${max}`);
      // neighbours 5 cm apart move almost together (white noise would give ≈ 1.13·rms)
      let diff = 0;
      let cnt = 0;
      for (let i = 0; i < N - n * n; i++)
        for (let c = 0; c < 3; c++, cnt++) diff += Math.abs(d(i, c) - d(i + n * n, c));
      assert.ok(diff / cnt < 0.2 * rms, `neighbour diff ${diff / cnt} vs rms ${rms}`);
      // points 1.2 m (6 cells) apart are independent: the blurred kernel reaches ±2 cells
      let far = 0;
      let fc = 0;
      for (let i = 0; i < N - 24 * n * n; i++)
        for (let c = 0; c < 3; c++, fc++) far += d(i, c) * d(i + 24 * n * n, c);
      corrFar += far / fc / (rms * rms) / 3;
    }
    assert.ok(Math.abs(corrFar) < 0.15, `far correlation ${corrFar}`);
  });

  test('the configured transform is deterministic per seed and marks the affine as inexact', () => {
    const c = { positions: pos.slice(0, 3000) };
    const a = run(c, [{ type: 'elastic' }], 5);
    const b = run(c, [{ type: 'elastic' }], 5);
    assert.deepEqual(a.cloud.positions, b.cloud.positions);
    assert.notDeepEqual(a.cloud.positions, c.positions);
    assert.equal(a.affineExact, false);
    assert.deepEqual(c.positions, pos.slice(0, 3000)); // input untouched
  });
});
