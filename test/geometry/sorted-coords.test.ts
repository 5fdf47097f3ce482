/**
 * The radix-sorted (b, x, y, z) order and the packed keys against a comparison sort and the
 * key arithmetic the kernel-map merge relies on (neighbour key = key + constant).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { coordBox, keySpace, lexOrder, packedKeys } from '../../src/geometry/sorted-coords.js';
import { rng } from '../helpers/backends.js';

function randomRows(seed: number, n: number, stride: number): Int32Array {
  const r = rng(seed);
  const out = new Int32Array(n * 4);
  for (let i = 0; i < n; i++) {
    out[i * 4] = Math.floor(r() * 3);
    for (let d = 1; d < 4; d++) out[i * 4 + d] = (Math.floor(r() * 40) - 20) * stride;
  }
  return out;
}

test('lexOrder sorts rows by (b, x, y, z), stably, at any stride', () => {
  for (const stride of [1, 4]) {
    const c = randomRows(stride, 3000, stride);
    const n = c.length / 4;
    const want = Array.from({ length: n }, (_, i) => i).sort((a, b) => {
      for (let d = 0; d < 4; d++) if (c[a * 4 + d] !== c[b * 4 + d]) return c[a * 4 + d] - c[b * 4 + d];
      return a - b;
    });
    const s = lexOrder(c, stride, coordBox(c, stride), 2);
    assert.ok(s);
    assert.deepEqual(Array.from(s.order), want);
    for (let p = 1; p < n; p++) assert.ok(s.keys[p] >= s.keys[p - 1]);
  }
});

test('packed keys: a neighbour within the padding is key + (dx·RY + dy)·RZ + dz', () => {
  const c = new Int32Array([0, -4, 2, 6, 1, 8, -6, 2, 1, 10, -6, 0]);
  const box = coordBox(c, 2);
  assert.deepEqual(box, { min: [-4, -6, 0], ext: [8, 5, 4], batches: 2 });
  assert.equal(keySpace(box, 1), 2 * 10 * 7 * 6);
  const k = packedKeys(c, 2, box, 1);
  // row 2 is row 1 moved by (+1, 0, −1) strides
  assert.equal(k[2] - k[1], 1 * 7 * 6 + 0 * 6 - 1);
  // different batch items never share a key
  assert.ok(k[1] > k[0] + 6 * 7);
});

test('lexOrder declines boxes whose keys need more than 32 bits', () => {
  const c = new Int32Array([0, -30000, -30000, -30000, 0, 30000, 30000, 30000]);
  assert.equal(lexOrder(c, 1), undefined);
});
