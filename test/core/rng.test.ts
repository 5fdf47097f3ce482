import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { Rng, deriveSeed } from '../../src/core/rng.js';

describe('Rng', () => {
  test('same seed gives the same stream, different seeds differ', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const c = new Rng(43);
    const sa = Array.from({ length: 50 }, () => a.uint32());
    const sb = Array.from({ length: 50 }, () => b.uint32());
    const sc = Array.from({ length: 50 }, () => c.uint32());
    assert.deepEqual(sa, sb);
    assert.notDeepEqual(sa, sc);
  });

  test('uniform draws: mean 1/2, variance 1/12, within [0, 1)', () => {
    const r = new Rng(7);
    const n = 200_000;
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      const v = r.next();
      assert.ok(v >= 0 && v < 1);
      s += v;
      s2 += v * v;
    }
    const mean = s / n;
    assert.ok(Math.abs(mean - 0.5) < 0.005, `mean ${mean}`);
    assert.ok(Math.abs(s2 / n - mean * mean - 1 / 12) < 0.002);
  });

  test('normal draws: mean 0, std 1, ~4.55% beyond 2σ', () => {
    const r = new Rng(8);
    const n = 200_000;
    let s = 0;
    let s2 = 0;
    let tail = 0;
    for (let i = 0; i < n; i++) {
      const v = r.normal();
      s += v;
      s2 += v * v;
      if (Math.abs(v) > 2) tail++;
    }
    assert.ok(Math.abs(s / n) < 0.01);
    assert.ok(Math.abs(Math.sqrt(s2 / n) - 1) < 0.01);
    assert.ok(Math.abs(tail / n - 0.0455) < 0.003, `tail ${tail / n}`);
  });

  test('int(n) covers 0..n-1 evenly', () => {
    const r = new Rng(9);
    const counts = new Int32Array(6);
    for (let i = 0; i < 60_000; i++) counts[r.int(6)]++;
    for (const c of counts) assert.ok(Math.abs(c - 10_000) < 400, `${counts}`);
  });

  test('shuffle is a permutation', () => {
    const a = new Int32Array(100).map((_, i) => i);
    new Rng(1).shuffle(a);
    assert.deepEqual(
      Array.from(a).sort((x, y) => x - y),
      Array.from({ length: 100 }, (_, i) => i),
    );
    assert.notDeepEqual(
      Array.from(a),
      Array.from({ length: 100 }, (_, i) => i),
    );
  });
});

/**
 * The partial Fisher–Yates loops `Rng.sample` replaced, as each caller wrote it: the labelled-point
 * and box choices (values swapped, then the first min(k, n) sorted), augmentation dropout (k draws
 * even when k = n), the loss subsample and the neuron-group row sample (no draws when all are kept).
 */
const referenceSamples = {
  chooseValues(values: number[], k: number, rng: Rng): number[] {
    const v = values.slice();
    for (let i = 0; i < Math.min(k, v.length); i++) {
      const j = i + rng.int(v.length - i);
      [v[i], v[j]] = [v[j], v[i]];
    }
    return v.slice(0, Math.min(k, v.length)).sort((a, b) => a - b);
  },
  dropout(n: number, k: number, rng: Rng): Int32Array {
    const perm = new Int32Array(n);
    for (let i = 0; i < n; i++) perm[i] = i;
    for (let i = 0; i < k; i++) {
      const j = i + rng.int(n - i);
      const t = perm[i];
      perm[i] = perm[j];
      perm[j] = t;
    }
    return perm.slice(0, k).sort();
  },
  keepAtMost(count: number, n: number, rng: Rng): Int32Array {
    const idx = new Int32Array(count);
    for (let i = 0; i < count; i++) idx[i] = i;
    if (count <= n) return idx;
    for (let i = 0; i < n; i++) {
      const j = i + rng.int(count - i);
      const t = idx[i];
      idx[i] = idx[j];
      idx[j] = t;
    }
    return idx.slice(0, n).sort();
  },
};

describe('Rng.sample', () => {
  const sizes = [0, 1, 2, 3, 7, 50, 1000];
  const ks = (n: number) => [...new Set([0, 1, 2, n - 1, n, n + 3, Math.floor(n / 2)])].filter((k) => k >= 0);

  test('min(k, n) distinct indices of 0..n−1, consuming exactly min(k, n) draws', () => {
    for (const n of sizes) {
      for (const k of ks(n)) {
        const r = new Rng(n * 31 + k);
        const s = r.sample(n, k);
        const m = Math.min(k, n);
        assert.equal(s.length, m);
        assert.equal(new Set(s).size, m);
        for (const i of s) assert.ok(i >= 0 && i < n);
        const ref = new Rng(n * 31 + k);
        for (let i = 0; i < m; i++) ref.uint32();
        assert.equal(r.uint32(), ref.uint32(), `n ${n}, k ${k}: draws consumed`);
      }
    }
  });

  test("reproduces every replaced caller's loop: same output, same generator state after", () => {
    for (let seed = 0; seed < 25; seed++) {
      for (const n of sizes) {
        const values = Array.from({ length: n }, (_, i) => 3 * i + (i % 5) * 1000);
        for (const k of ks(n)) {
          const a = new Rng(deriveSeed(seed, n, k));
          const b = new Rng(deriveSeed(seed, n, k));
          const pick = Array.from(a.sample(n, k), (i) => values[i]).sort((x, y) => x - y);
          assert.deepEqual(
            pick,
            referenceSamples.chooseValues(values, k, b),
            `values, seed ${seed}, n ${n}, k ${k}`,
          );
          assert.equal(a.uint32(), b.uint32());
          if (k <= n) {
            const c = new Rng(deriveSeed(seed, n, k, 1));
            const d = new Rng(deriveSeed(seed, n, k, 1));
            assert.deepEqual(
              c.sample(n, k).sort(),
              referenceSamples.dropout(n, k, d),
              `dropout, n ${n}, k ${k}`,
            );
            assert.equal(c.uint32(), d.uint32());
          }
          const e = new Rng(deriveSeed(seed, n, k, 2));
          const f = new Rng(deriveSeed(seed, n, k, 2));
          const kept = n <= k ? Int32Array.from({ length: n }, (_, i) => i) : e.sample(n, k).sort();
          assert.deepEqual(kept, referenceSamples.keepAtMost(n, k, f), `keep at most, n ${n}, k ${k}`);
          assert.equal(e.uint32(), f.uint32());
        }
      }
    }
  });

  test('shuffle draws as the descending Fisher–Yates loop it replaced', () => {
    for (let seed = 0; seed < 20; seed++) {
      for (const n of [0, 1, 3, 40]) {
        const a = Array.from({ length: n }, (_, i) => i * i);
        const b = a.slice();
        const ra = new Rng(seed);
        const rb = new Rng(seed);
        ra.shuffle(a);
        for (let i = b.length - 1; i > 0; i--) {
          const j = rb.int(i + 1);
          [b[i], b[j]] = [b[j], b[i]];
        }
        assert.deepEqual(a, b);
        assert.equal(ra.uint32(), rb.uint32());
      }
    }
  });
});

describe('deriveSeed', () => {
  test('deterministic, order-sensitive, and distinct over a grid of (seed, epoch, index)', () => {
    assert.equal(deriveSeed(1, 2, 3), deriveSeed(1, 2, 3));
    assert.notEqual(deriveSeed(1, 2, 3), deriveSeed(1, 3, 2));
    assert.notEqual(deriveSeed(0, 2 ** 32), deriveSeed(0, 0));
    const seen = new Set<number>();
    for (let s = 0; s < 10; s++)
      for (let e = 0; e < 20; e++) for (let i = 0; i < 50; i++) seen.add(deriveSeed(s, e, i));
    assert.equal(seen.size, 10 * 20 * 50);
  });
});

/** The generators the three seedings replaced, written out independently as oracles. */
function oldKeyed(seed: number, key: string): () => number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  let a = (seed >>> 0) ^ 0x9e3779b9;
  let b = h >>> 0;
  let c = Math.imul(seed | 0, 0x85ebca6b) >>> 0;
  let d = 1;
  const next = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t / 4294967296;
  };
  for (let i = 0; i < 12; i++) next();
  return next;
}

function oldMix(x: number): number {
  x = (x + 0x9e3779b9) | 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

function oldStream(seed: number, stream: number): () => number {
  const lo = seed >>> 0;
  const hi = Math.floor(seed / 4294967296) >>> 0;
  let a = oldMix(lo ^ 0x243f6a88);
  let b = oldMix(hi ^ a);
  let c = oldMix((stream >>> 0) ^ b);
  let d = oldMix(c ^ 0x13198a2e);
  const next = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 12; i++) next();
  return next;
}

test('Rng.keyed and Rng.stream draw exactly the sequences of the generators they replaced', () => {
  for (const [seed, key] of [
    [0, ''],
    [5, 'poses'],
    [123456, 'scene0000_00'],
  ] as const) {
    const want = oldKeyed(seed, key);
    const got = Rng.keyed(seed, key).rand();
    for (let i = 0; i < 1000; i++) assert.equal(got(), want());
  }
  for (const [seed, stream] of [
    [0, 0],
    [42, 1],
    [2 ** 40 + 7, 3],
  ] as const) {
    const want = oldStream(seed, stream);
    const got = Rng.stream(seed, stream);
    for (let i = 0; i < 1000; i++) assert.equal(got.next(), want());
  }
});

test('new Rng(seed) draws exactly the sequence of the augmentation generator it replaced', () => {
  for (const seed of [0, 1, 0xdeadbeef, 2 ** 32 - 1]) {
    let s = seed >>> 0;
    const word = () => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    const want = oldStreamFromWords(word(), word(), word(), word());
    const got = new Rng(seed);
    for (let i = 0; i < 1000; i++) assert.equal(got.next(), want());
  }
});

function oldStreamFromWords(a: number, b: number, c: number, d: number): () => number {
  const next = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 12; i++) next();
  return next;
}
