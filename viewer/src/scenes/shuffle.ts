/**
 * One seeded shuffle of all per-point arrays at load, so that drawing the first K points
 * (geometry.setDrawRange as a point budget) shows a uniform random subsample of the scene.
 */
import { Rng } from '../../../src/core/rng.js';

/** Any typed array a per-point attribute can be stored in. */
export type AnyTypedArray =
  Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | Float32Array | Float64Array;

/** A uniformly random permutation of 0..n-1 (Fisher–Yates on the shared seeded Rng), deterministic for a seed. */
export function randomPermutation(n: number, seed = 1): Uint32Array {
  const perm = new Uint32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  return new Rng(seed).shuffle(perm);
}

// Monomorphic loops: one for 4-byte words (float32/int32/uint32 viewed as Uint32), one for bytes.
// They scatter (sequential reads, random writes), measured about 3× faster here than gathering.
function permuteWords(src: Uint32Array, out: Uint32Array, perm: Uint32Array, stride: number): void {
  const n = perm.length;
  if (stride === 1) {
    for (let i = 0; i < n; i++) out[perm[i]] = src[i];
  } else {
    for (let i = 0, s = 0; i < n; i++) {
      const d = perm[i] * stride;
      for (let k = 0; k < stride; k++) out[d + k] = src[s++];
    }
  }
}

function permuteBytes(src: Uint8Array, out: Uint8Array, perm: Uint32Array, stride: number): void {
  const n = perm.length;
  for (let i = 0, s = 0; i < n; i++) {
    const d = perm[i] * stride;
    for (let k = 0; k < stride; k++) out[d + k] = src[s++];
  }
}

/** Returns a new array where row i of `src` moves to row perm[i]: `out[perm[i]*stride + k] = src[i*stride + k]`. */
export function permute<T extends AnyTypedArray>(src: T, perm: Uint32Array, stride = 1): T {
  if (src.length !== perm.length * stride) {
    throw new Error(`permute: array of length ${src.length} does not hold ${perm.length} points × ${stride}`);
  }
  const out = new (src.constructor as new (n: number) => T)(src.length);
  if (src.BYTES_PER_ELEMENT === 4) {
    const w = (a: AnyTypedArray): Uint32Array => new Uint32Array(a.buffer, a.byteOffset, a.length);
    permuteWords(w(src), w(out), perm, stride);
  } else if (src.BYTES_PER_ELEMENT === 1) {
    const b = (a: AnyTypedArray): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.length);
    permuteBytes(b(src), b(out), perm, stride);
  } else {
    for (let i = 0; i < perm.length; i++) {
      for (let k = 0; k < stride; k++) out[perm[i] * stride + k] = src[i * stride + k];
    }
  }
  return out;
}
