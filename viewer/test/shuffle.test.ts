import { test } from 'node:test';
import assert from 'node:assert/strict';
import { permute, randomPermutation } from '../src/scenes/shuffle.js';

test('randomPermutation is a deterministic permutation', () => {
  const n = 10_007;
  const p = randomPermutation(n, 42);
  const seen = new Uint8Array(n);
  for (const v of p) seen[v]++;
  assert.ok(seen.every((c) => c === 1));
  assert.deepEqual(p, randomPermutation(n, 42));
  assert.notDeepEqual(p, randomPermutation(n, 43));
});

test('a prefix of the shuffled order is a uniform subsample', () => {
  const n = 100_000;
  const p = randomPermutation(n, 1);
  const k = 10_000;
  // mean of a uniform sample of 0..n-1: n/2 with standard error n/sqrt(12k) ≈ 289
  let sum = 0;
  const buckets = new Array<number>(10).fill(0);
  for (let i = 0; i < k; i++) {
    sum += p[i];
    buckets[Math.floor(p[i] / (n / 10))]++;
  }
  assert.ok(Math.abs(sum / k - n / 2) < 5 * 289, `mean ${sum / k}`);
  for (const b of buckets) assert.ok(Math.abs(b - k / 10) < 150, `bucket ${b}`); // σ ≈ 30
});

test('permute moves row i to row perm[i], for any stride and element size', () => {
  const perm = Uint32Array.from([2, 0, 1]);
  assert.deepEqual(permute(Int32Array.from([10, 11, 12]), perm), Int32Array.from([11, 12, 10]));
  assert.deepEqual(
    permute(Float32Array.from([0, 1, 2, 3, 4, 5, 6, 7, 8]), perm, 3),
    Float32Array.from([3, 4, 5, 6, 7, 8, 0, 1, 2]),
  );
  assert.deepEqual(
    permute(Uint8Array.from([1, 2, 3, 4, 5, 6]), perm, 2),
    Uint8Array.from([3, 4, 5, 6, 1, 2]),
  );
  assert.deepEqual(permute(Int16Array.from([-1, -2, -3]), perm), Int16Array.from([-2, -3, -1]));
  const moved = permute(Float32Array.from([NaN, -0, 1]), perm);
  assert.ok(Number.isNaN(moved[2]) && Object.is(moved[0], -0), 'float bits move exactly');
  assert.throws(() => permute(new Float32Array(4), perm, 1), /length 4 does not hold 3 points × 1/);
});
