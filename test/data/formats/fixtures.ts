/**
 * Shared test fixtures for the format tests: a seeded PRNG, the shared-data location (with the
 * skip message), byte helpers, and small files built in code.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import type { TypedArray } from '../../../src/geometry/point-cloud.js';
import { FormatError } from '../../../src/data/formats/index.js';
import { Rng } from '../../../src/core/rng.js';
import { requireShared } from '../../helpers/requires.js';

/** ../shared/data beside the repo (resolved from this file, not the working directory). */
export const SHARED = fileURLToPath(new URL('../../../../shared/data/', import.meta.url));

/** node:test `skip` option for a test that needs a shared file. */
export function needShared(rel: string): { skip: string | false } {
  return { skip: requireShared(SHARED + rel) };
}

/** The bytes of a shared file. */
export function sharedBytes(rel: string): Uint8Array {
  return readFileSync(SHARED + rel);
}

/** The project's seeded generator (core/rng) as a `() => number` for test data. */
export function rng(seed: number): () => number {
  return new Rng(seed).rand();
}

/** UTF-8 bytes of a string. */
export const text = (s: string): Uint8Array => new TextEncoder().encode(s);

/** Concatenates byte arrays. */
export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Asserts that `fn` throws a FormatError whose message matches `re`; returns it. */
export function throwsFormat(fn: () => unknown, re: RegExp): FormatError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof FormatError, `expected a FormatError, got ${String(caught)}`);
  assert.match(caught.message, re);
  return caught;
}

/** Element-wise equality with Object.is (NaN equals NaN, -0 differs from 0) and the same array type. */
export function sameArray(a: TypedArray | undefined, b: TypedArray | undefined, what: string): void {
  assert.ok(a && b, `${what}: missing`);
  assert.equal(a.constructor.name, b.constructor.name, `${what}: array type`);
  assert.equal(a.length, b.length, `${what}: length`);
  for (let i = 0; i < a.length; i++) {
    if (!Object.is(a[i], b[i])) assert.fail(`${what}[${i}]: ${a[i]} !== ${b[i]}`);
  }
}

/** Histogram of integer values as a plain object. */
export function counts(a: ArrayLike<number>): Map<number, number> {
  const m = new Map<number, number>();
  for (let i = 0; i < a.length; i++) m.set(a[i], (m.get(a[i]) ?? 0) + 1);
  return m;
}
