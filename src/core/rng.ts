/**
 * The one seeded pseudo-random generator of the project (sfc32), never Math.random: a seed always
 * gives the same sequence, in any thread and on any JS engine. Three seedings keep the sequences
 * each caller has always drawn: a mixed integer seed (augmentation, losses, shuffles), a seed plus
 * stream id (synthetic scenes) and a seed plus string key (view sampling of a scene).
 */

/** A uniform [0, 1) generator. */
export type Rand = () => number;

/** Mixes integer parts (seed, epoch, index, view, …) into one 32-bit seed. */
export function deriveSeed(...parts: number[]): number {
  let h = 0x811c9dc5;
  for (const p of parts) {
    if (!Number.isFinite(p)) throw new RangeError(`deriveSeed: non-finite part ${p}`);
    // Split into low and high words so seeds beyond 2^32 still differ.
    const lo = p >>> 0;
    const hi = Math.floor(p / 4294967296) >>> 0;
    h = Math.imul(h ^ lo, 0x01000193);
    h ^= h >>> 15;
    h = Math.imul(h ^ hi, 0x85ebca6b);
    h ^= h >>> 13;
  }
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  return (h ^ (h >>> 15)) >>> 0;
}

function splitmix32(x: number): number {
  x = (x + 0x9e3779b9) | 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/** FNV-1a hash of a string, 32 bits. */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Element access of arrays and typed arrays alike (for shuffles). */
interface Indexable<T> {
  length: number;
  [i: number]: T;
}

/** A small fast seeded generator with uniform, integer, normal and choice draws. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spare = NaN;

  /** Seeds the four words from `seed` (its low 32 bits) through splitmix32. */
  constructor(seed: number) {
    const s = seed >>> 0;
    // word k is splitmix32's k-th output from state s (it adds the golden ratio first)
    this.a = splitmix32(s);
    this.b = splitmix32(s + 0x9e3779b9);
    this.c = splitmix32(s + 2 * 0x9e3779b9);
    this.d = splitmix32(s + 3 * 0x9e3779b9);
    this.warmUp();
  }

  /**
   * An independent sequence per (seed, stream); `seed` may be any finite number (its integer
   * part, up to 2^53, is used). The synthetic scene generator draws layout, sampling and noise
   * from separate streams.
   */
  static stream(seed: number, stream = 0): Rng {
    const lo = seed >>> 0;
    const hi = Math.floor(seed / 4294967296) >>> 0;
    const a = splitmix32(lo ^ 0x243f6a88);
    const b = splitmix32(hi ^ a);
    const c = splitmix32((stream >>> 0) ^ b);
    return Rng.fromWords(a, b, c, splitmix32(c ^ 0x13198a2e));
  }

  /** A sequence per (seed, string key), e.g. a scene's views depend only on (seed, scene). */
  static keyed(seed: number, key = ''): Rng {
    return Rng.fromWords((seed >>> 0) ^ 0x9e3779b9, fnv1a(key), Math.imul(seed | 0, 0x85ebca6b) >>> 0, 1);
  }

  private static fromWords(a: number, b: number, c: number, d: number): Rng {
    const r = Object.create(Rng.prototype) as Rng;
    r.spare = NaN;
    r.a = a | 0;
    r.b = b | 0;
    r.c = c | 0;
    r.d = d | 0;
    r.warmUp();
    return r;
  }

  private warmUp(): void {
    for (let i = 0; i < 12; i++) this.uint32();
  }

  /** Uniform 32-bit unsigned integer. */
  uint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.uint32() / 4294967296;
  }

  /** This generator as a plain `() => number` function. */
  rand(): Rand {
    return () => this.next();
  }

  /** Uniform in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Uniform integer in [lo, hi] (inclusive). */
  between(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  /** True with probability p (always consumes one draw). */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** A uniformly chosen element. */
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  /** An element chosen with probability proportional to its weight. */
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, w] of items) total += w;
    let r = this.next() * total;
    for (const [item, w] of items) {
      r -= w;
      if (r < 0) return item;
    }
    return items[items.length - 1][0];
  }

  /** Standard normal draw (Box–Muller, the second value is kept for the next call). */
  normal(): number {
    if (!Number.isNaN(this.spare)) {
      const v = this.spare;
      this.spare = NaN;
      return v;
    }
    // next() is a multiple of 2^-32, so "> 0" and "> 1e-12" reject the same draws
    let u = 0;
    while (u === 0) u = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    const t = 2 * Math.PI * this.next();
    this.spare = r * Math.sin(t);
    return r * Math.cos(t);
  }

  /**
   * min(k, n) distinct integers of 0..n−1 chosen uniformly, in draw order (sort them for a set):
   * a partial Fisher–Yates shuffle of 0..n−1 in which draw i swaps entry i with a uniform entry
   * of i..n−1. Always consumes exactly min(k, n) draws, including the last single-choice one when
   * k ≥ n; a caller that must not draw when k ≥ n checks that first.
   */
  sample(n: number, k: number): Int32Array {
    const m = Math.max(0, Math.min(k, n));
    const idx = new Int32Array(n);
    for (let i = 0; i < n; i++) idx[i] = i;
    for (let i = 0; i < m; i++) {
      const j = i + this.int(n - i);
      const t = idx[i];
      idx[i] = idx[j];
      idx[j] = t;
    }
    return idx.slice(0, m);
  }

  /** In-place Fisher–Yates shuffle of an array or typed array; returns it. */
  shuffle<A extends Indexable<unknown>>(arr: A): A {
    for (let i = arr.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = arr[i];
      arr[i] = arr[j];
      arr[j] = t;
    }
    return arr;
  }
}
