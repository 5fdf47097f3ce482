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
