import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/core/rng.js';

describe('Rng.stream (synthetic scenes)', () => {
  test('same seed and stream give the same sequence; other seeds/streams differ', () => {
    const a = Rng.stream(42, 1);
    const b = Rng.stream(42, 1);
    const seqA = Array.from({ length: 100 }, () => a.next());
    assert.deepEqual(
      seqA,
      Array.from({ length: 100 }, () => b.next()),
    );
    const c = Rng.stream(43, 1);
    const d = Rng.stream(42, 2);
    assert.notDeepEqual(
      seqA,
      Array.from({ length: 100 }, () => c.next()),
    );
    assert.notDeepEqual(
      seqA,
      Array.from({ length: 100 }, () => d.next()),
    );
    // Seeds beyond 2^32 are distinct too.
    assert.notEqual(Rng.stream(2 ** 32 + 5).next(), Rng.stream(5).next());
  });

  test('uniform moments: mean 1/2, variance 1/12 (n = 200k, ±4.5 standard errors)', () => {
    const r = Rng.stream(7);
    const n = 200_000;
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      const x = r.next();
      assert.ok(x >= 0 && x < 1);
      s += x;
      s2 += x * x;
    }
    const mean = s / n;
    const v = s2 / n - mean * mean;
    assert.ok(Math.abs(mean - 0.5) < 4.5 * Math.sqrt(1 / 12 / n), `mean ${mean}`);
    assert.ok(Math.abs(v - 1 / 12) < 0.002, `variance ${v}`);
  });

  test('normal moments: mean 0, variance 1, P(|x| < 1) ≈ 0.6827', () => {
    const r = Rng.stream(9);
    const n = 200_000;
    let s = 0;
    let s2 = 0;
    let inside = 0;
    for (let i = 0; i < n; i++) {
      const x = r.normal();
      s += x;
      s2 += x * x;
      if (Math.abs(x) < 1) inside++;
    }
    assert.ok(Math.abs(s / n) < 0.01, `mean ${s / n}`);
    assert.ok(Math.abs(s2 / n - 1) < 0.015, `variance ${s2 / n}`);
    assert.ok(Math.abs(inside / n - 0.6827) < 0.005, `P(|x|<1) ${inside / n}`);
  });

  test('int covers [lo, hi] inclusively and uniformly; weighted follows the weights', () => {
    const r = Rng.stream(3);
    const hist = new Array(5).fill(0);
    for (let i = 0; i < 50_000; i++) hist[r.between(2, 6) - 2]++;
    for (const h of hist) assert.ok(Math.abs(h / 50_000 - 0.2) < 0.01, `int histogram ${hist}`);
    const w = { a: 0, b: 0 };
    for (let i = 0; i < 40_000; i++)
      w[
        r.weighted([
          ['a', 1],
          ['b', 3],
        ] as const)
      ]++;
    assert.ok(Math.abs(w.b / 40_000 - 0.75) < 0.01, `weighted ${w.b / 40_000}`);
  });
});
