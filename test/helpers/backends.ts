/**
 * Test helpers: run a block on each host backend (wasm and cpu), compare arrays.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import assert from 'node:assert/strict';
import { registerCustomKernels } from '../../src/backend/kernels/register.js';
import { silenceCpuBanner } from '../../src/backend/select.js';
import { Rng } from '../../src/core/rng.js';

export const TEST_BACKENDS = ['wasm', 'cpu'] as const;

/** Switches to `name` (registering the custom kernels once). */
export async function useBackend(name: string): Promise<void> {
  registerCustomKernels();
  const ok = await tf.setBackend(name);
  assert.ok(ok, `backend ${name} failed to initialise`);
  await tf.ready();
  silenceCpuBanner();
}

/** Largest |a−b| relative to the largest |b| (1 if b is all zero). */
export function relError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length, 'length mismatch');
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num = Math.max(num, Math.abs(a[i] - b[i]));
    den = Math.max(den, Math.abs(b[i]));
  }
  return num / Math.max(den, 1e-12);
}

/** Asserts max-relative error ≤ tol, with a readable message. */
export function assertClose(a: ArrayLike<number>, b: ArrayLike<number>, tol: number, what: string): void {
  const e = relError(a, b);
  assert.ok(e <= tol, `${what}: relative error ${e.toExponential(2)} > ${tol}`);
}

/** The project's seeded generator (core/rng) as a `() => number` for test data. */
export function rng(seed: number): () => number {
  return new Rng(seed).rand();
}

/**
 * `n` distinct random voxels of a 2-scene batch in a 40 × 40 × 8 grid, as batch coordinates
 * (b, x, y, z per row): maps large enough for the conv pool to split.
 */
export function randomBatchCoords(r: () => number, n = 6000): Int32Array {
  const rows: number[] = [];
  const seen = new Set<number>();
  while (rows.length < n * 4) {
    const [b, x, y, z] = [
      Math.floor(r() * 2),
      Math.floor(r() * 40),
      Math.floor(r() * 40),
      Math.floor(r() * 8),
    ];
    const key = ((b * 64 + x) * 64 + y) * 64 + z;
    if (!seen.has(key)) {
      seen.add(key);
      rows.push(b, x, y, z);
    }
  }
  return new Int32Array(rows);
}
