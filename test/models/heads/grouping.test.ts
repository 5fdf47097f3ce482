/**
 * Farthest point sampling and ball query against brute-force definitions on random clouds.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ballQuery, farthestPointSample } from '../../../src/models/heads/grouping.js';
import { rng } from '../../helpers/backends.js';

function cloud(n: number, seed: number): Float32Array {
  const r = rng(seed);
  return Float32Array.from({ length: n * 3 }, () => r() * 4);
}
const d2 = (p: Float32Array, i: number, j: number) =>
  (p[i * 3] - p[j * 3]) ** 2 + (p[i * 3 + 1] - p[j * 3 + 1]) ** 2 + (p[i * 3 + 2] - p[j * 3 + 2]) ** 2;

test('farthest point sampling: each pick maximises the distance to the picks so far', () => {
  const p = cloud(300, 1);
  const cand = Int32Array.from({ length: 150 }, (_, i) => 2 * i + 1); // odd rows only
  const picks = farthestPointSample(p, cand, 20);
  assert.equal(picks.length, 20);
  assert.equal(picks[0], 1);
  for (let s = 1; s < picks.length; s++) {
    const minTo = (c: number) => Math.min(...Array.from(picks.subarray(0, s), (q) => d2(p, c, q)));
    let best = -1;
    for (const c of cand) best = Math.max(best, minTo(c));
    assert.ok(cand.includes(picks[s]));
    assert.ok(Math.abs(minTo(picks[s]) - best) < 1e-9, `pick ${s}`);
  }
  assert.equal(new Set(picks).size, 20);
  assert.equal(farthestPointSample(p, cand.subarray(0, 5), 20).length, 5);
  assert.equal(farthestPointSample(p, new Int32Array(0), 4).length, 0);
});

test('ball query: the first nsample candidates within the radius, padded with the first', () => {
  const p = cloud(400, 2);
  const cand = Int32Array.from({ length: 200 }, (_, i) => 399 - 2 * i); // a scrambled subset
  const centres = Int32Array.of(cand[0], cand[17], cand[101], 0 /* not a candidate */);
  const radius = 0.7;
  const ns = 8;
  const got = ballQuery(p, cand, centres, radius, ns);
  centres.forEach((c, k) => {
    const inside = Array.from(cand).filter((q) => d2(p, c, q) <= radius * radius);
    const want = inside.slice(0, ns);
    while (want.length < ns) want.push(want.length ? want[0] : c);
    assert.deepEqual(Array.from(got.subarray(k * ns, (k + 1) * ns)), want, `centre ${k}`);
  });
  // an isolated centre with no candidate in range gets itself
  const far = Float32Array.of(0, 0, 0, 100, 100, 100);
  assert.deepEqual(Array.from(ballQuery(far, Int32Array.of(0), Int32Array.of(1), 1, 3)), [1, 1, 1]);
});
