/**
 * Grid k-nearest neighbours against brute force (every pair), and the plane fits against
 * hand-computed neighbourhoods and a Jacobi eigen-solver.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { knnSelf, type KnnResult } from '../../src/geometry/knn.js';
import { localPlanes, smallestEigen } from '../../src/geometry/local-plane.js';
import { Rng } from '../../src/core/rng.js';

function randomCloud(n: number, seed: number, scale: number[]): Float32Array {
  const r = new Rng(seed);
  const p = new Float32Array(n * 3);
  for (let i = 0; i < n * 3; i++) p[i] = r.next() * scale[i % 3];
  return p;
}

/** Brute force: sort all other points by (distance, index). */
function bruteKnn(p: Float32Array, k: number): { idx: number[][]; dist: number[][] } {
  const n = p.length / 3;
  const idx: number[][] = [];
  const dist: number[][] = [];
  for (let i = 0; i < n; i++) {
    const all: [number, number][] = [];
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const d =
        (p[i * 3] - p[j * 3]) ** 2 + (p[i * 3 + 1] - p[j * 3 + 1]) ** 2 + (p[i * 3 + 2] - p[j * 3 + 2]) ** 2;
      all.push([d, j]);
    }
    all.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    idx.push(all.slice(0, k).map((a) => a[1]));
    dist.push(all.slice(0, k).map((a) => Math.sqrt(a[0])));
  }
  return { idx, dist };
}

/** Jacobi eigenvalues of a symmetric 3×3 matrix (oracle). */
function jacobiMin(m: number[][]): { value: number; vector: number[] } {
  const a = m.map((r) => [...r]);
  const v = [
    [1, 0, 0],
    [0, 1, 0],
    [0, 0, 1],
  ];
  for (let sweep = 0; sweep < 50; sweep++) {
    for (const [p, q] of [
      [0, 1],
      [0, 2],
      [1, 2],
    ]) {
      if (Math.abs(a[p][q]) < 1e-300) continue;
      const theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
      const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
      const c = 1 / Math.sqrt(t * t + 1);
      const s = t * c;
      for (let k = 0; k < 3; k++) {
        const akp = a[k][p];
        const akq = a[k][q];
        a[k][p] = c * akp - s * akq;
        a[k][q] = s * akp + c * akq;
      }
      for (let k = 0; k < 3; k++) {
        const apk = a[p][k];
        const aqk = a[q][k];
        a[p][k] = c * apk - s * aqk;
        a[q][k] = s * apk + c * aqk;
      }
      for (let k = 0; k < 3; k++) {
        const vkp = v[k][p];
        const vkq = v[k][q];
        v[k][p] = c * vkp - s * vkq;
        v[k][q] = s * vkp + c * vkq;
      }
    }
  }
  let best = 0;
  for (let i = 1; i < 3; i++) if (a[i][i] < a[best][best]) best = i;
  return { value: a[best][best], vector: [v[0][best], v[1][best], v[2][best]] };
}

describe('knnSelf', () => {
  test('equals brute force on a random cloud (several cell sizes, k = 1 and 16)', () => {
    const p = randomCloud(600, 7, [1, 0.7, 0.4]);
    for (const k of [1, 16]) {
      const oracle = bruteKnn(p, k);
      for (const cell of [0.02, 0.05, 0.3]) {
        const r = knnSelf(p, k, { cell });
        for (let i = 0; i < 600; i++) {
          assert.deepEqual(
            Array.from(r.indices.subarray(i * k, i * k + k)),
            oracle.idx[i],
            `point ${i} cell ${cell}`,
          );
          for (let q = 0; q < k; q++) assert.ok(Math.abs(r.distances[i * k + q] - oracle.dist[i][q]) < 1e-6);
        }
      }
    }
  });

  test('a cloud with fewer than k other points pads with -1 / Infinity', () => {
    const r = knnSelf(Float32Array.from([0, 0, 0, 0.3, 0, 0, 0, 0.4, 0]), 3);
    assert.deepEqual(Array.from(r.indices.subarray(0, 3)), [1, 2, -1]);
    assert.deepEqual(Array.from(r.distances.subarray(0, 3)), [Math.fround(0.3), Math.fround(0.4), Infinity]);
  });

  test('rejects a bad k', () => {
    assert.throws(() => knnSelf(new Float32Array(6), 0), /k must be a positive integer/);
  });
});

describe('local plane fits', () => {
  test('smallestEigen equals a Jacobi solver on random symmetric matrices', () => {
    const r = new Rng(3);
    const out = new Float64Array(3);
    for (let t = 0; t < 200; t++) {
      const [a, b, c, d, e, f] = Array.from({ length: 6 }, () => r.next() - 0.5);
      const m = [
        [a, d, e],
        [d, b, f],
        [e, f, c],
      ];
      const oracle = jacobiMin(m);
      const lambda = smallestEigen(a, b, c, d, e, f, out);
      assert.ok(Math.abs(Math.max(0, oracle.value) - lambda) < 1e-9, `matrix ${t}`);
      const dot = Math.abs(out[0] * oracle.vector[0] + out[1] * oracle.vector[1] + out[2] * oracle.vector[2]);
      assert.ok(dot > 1 - 1e-6, `eigenvector of matrix ${t}: |dot| ${dot}`);
    }
  });

  test('hand case: (±1, 0, +a), (0, ±1, −a) has normal z and residual a', () => {
    const a = 0.1;
    // point 0 with neighbours 1..3
    const p = Float32Array.from([1, 0, a, -1, 0, a, 0, 1, -a, 0, -1, -a]);
    const knn: KnnResult = {
      k: 3,
      indices: Int32Array.from([1, 2, 3, 0, 2, 3, 0, 1, 3, 0, 1, 2]),
      distances: new Float32Array(12),
    };
    const { normals, residuals } = localPlanes(p, knn);
    for (let i = 0; i < 4; i++) {
      assert.ok(Math.abs(residuals[i] - Math.fround(a)) < 1e-6);
      assert.ok(Math.abs(Math.abs(normals[i * 3 + 2]) - 1) < 1e-6);
    }
  });
});
