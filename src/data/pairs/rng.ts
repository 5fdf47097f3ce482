/**
 * Seeded PRNG for view sampling (sfc32), seeded from a number and a string key so that a scene's
 * views depend only on (seed, scene), not on which worker or in which order it runs.
 */

/** A uniform [0, 1) generator. */
export type Rand = () => number;

/** FNV-1a hash of a string, 32 bits. */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** sfc32 generator seeded from (seed, key). */
export function seededRandom(seed: number, key = ''): Rand {
  let a = (seed >>> 0) ^ 0x9e3779b9;
  let b = fnv1a(key);
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
