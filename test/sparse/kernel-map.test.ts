/**
 * Kernel maps against brute-force O(N²) references: submanifold maps (odd kernels, dilation,
 * strides), stride-2 down-sampling (parents, offsets, coarse coordinates) and its transpose.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CoordSet } from '../../src/sparse/coord-set.js';
import {
  downsampleMap,
  kernelOffsets,
  pairCount,
  submanifoldMap,
  transposeMap,
  type KernelMap,
} from '../../src/sparse/kernel-map.js';
import { CoordinateManager } from '../../src/sparse/coordinate-manager.js';
import { rng } from '../helpers/backends.js';

function randomSet(seed: number, n: number, span: number, batches: number, stride = 1): Int32Array {
  const r = rng(seed);
  const seen = new Set<string>();
  const rows: number[] = [];
  while (rows.length < n * 4) {
    const c = [
      Math.floor(r() * batches),
      ...[0, 1, 2].map(() => (Math.floor(r() * span) - span / 2) * stride),
    ];
    const k = c.join(',');
    if (!seen.has(k)) {
      seen.add(k);
      rows.push(...c);
    }
  }
  return new Int32Array(rows);
}

/** Sorted "k:in:out" triples of a map (identity pairs expanded). */
function triples(m: KernelMap): string[] {
  const out: string[] = [];
  for (let k = 0; k < m.volume; k++) {
    if (k === m.identity) for (let i = 0; i < m.nIn; i++) out.push(`${k}:${i}:${i}`);
    for (let j = m.start[k]; j < m.start[k + 1]; j++) out.push(`${k}:${m.inIdx[j]}:${m.outIdx[j]}`);
  }
  return out.sort();
}

test('kernelOffsets: x fastest, centred odd kernels, even kernels start at 0', () => {
  assert.deepEqual(Array.from(kernelOffsets(3, 1, 1).slice(0, 9)), [-1, -1, -1, 0, -1, -1, 1, -1, -1]);
  assert.deepEqual(Array.from(kernelOffsets(3, 2, 1).slice(39, 42)), [0, 0, 0]); // centre (k=13)
  assert.deepEqual(Array.from(kernelOffsets(3, 1, 2).slice(0, 3)), [-2, -2, -2]);
  assert.deepEqual(
    Array.from(kernelOffsets(2, 4, 1)),
    [0, 0, 0, 4, 0, 0, 0, 4, 0, 4, 4, 0, 0, 0, 4, 4, 0, 4, 0, 4, 4, 4, 4, 4],
  );
});

test('submanifold maps equal a brute-force O(N²) search', () => {
  for (const [kernel, dilation, stride] of [
    [3, 1, 1],
    [3, 2, 1],
    [5, 1, 1],
    [3, 1, 4],
  ]) {
    const coords = randomSet(kernel * 10 + dilation + stride, 400, 10, 3, stride);
    const set = new CoordSet(coords, stride, 3);
    const m = submanifoldMap(set, kernel, dilation);
    assert.ok(set.sorted, 'a small box sorts, so the merge builder ran');
    const offs = kernelOffsets(kernel, stride, dilation);
    const want: string[] = [];
    const n = set.size;
    for (let k = 0; k < kernel ** 3; k++)
      for (let o = 0; o < n; o++)
        for (let i = 0; i < n; i++) {
          if (
            coords[i * 4] === coords[o * 4] &&
            coords[i * 4 + 1] === coords[o * 4 + 1] + offs[k * 3] &&
            coords[i * 4 + 2] === coords[o * 4 + 2] + offs[k * 3 + 1] &&
            coords[i * 4 + 3] === coords[o * 4 + 3] + offs[k * 3 + 2]
          )
            want.push(`${k}:${i}:${o}`);
        }
    assert.deepEqual(triples(m), want.sort(), `k=${kernel} d=${dilation} s=${stride}`);
    assert.equal(pairCount(m), want.length);
  }
});

test('down-sampling map equals brute force; its transpose swaps every pair', () => {
  const coords = randomSet(99, 500, 14, 2);
  const fine = new CoordSet(coords, 1, 2);
  const { coarse, map } = downsampleMap(fine);
  const parent = (v: number) => v - (((v % 2) + 2) % 2);
  // brute force: coarse set = unique parents in order of first appearance
  const order: string[] = [];
  const want: string[] = [];
  for (let i = 0; i < fine.size; i++) {
    const p = [
      coords[i * 4],
      parent(coords[i * 4 + 1]),
      parent(coords[i * 4 + 2]),
      parent(coords[i * 4 + 3]),
    ];
    const key = p.join(',');
    if (!order.includes(key)) order.push(key);
    const k = coords[i * 4 + 1] - p[1] + 2 * (coords[i * 4 + 2] - p[2]) + 4 * (coords[i * 4 + 3] - p[3]);
    want.push(`${k}:${i}:${order.indexOf(key)}`);
  }
  const got: string[] = [];
  for (let r = 0; r < coarse.size; r++)
    got.push(Array.from(coarse.coords.subarray(r * 4, r * 4 + 4)).join(','));
  assert.deepEqual(got, order);
  assert.equal(coarse.stride, 2);
  assert.deepEqual(triples(map), want.sort());
  const t = transposeMap(map);
  assert.deepEqual(
    triples(t),
    want
      .map((s) => s.split(':'))
      .map(([k, i, o]) => `${k}:${o}:${i}`)
      .sort(),
  );
});

test('coordinate manager caches maps and builds levels by successive down-sampling', () => {
  const mgr = new CoordinateManager(new CoordSet(randomSet(5, 300, 16, 2), 1, 2));
  const a = mgr.subMap(1);
  assert.equal(mgr.subMap(1), a);
  const s8 = mgr.coordsAt(8);
  assert.equal(s8.stride, 8);
  for (let i = 0; i < s8.size; i++)
    for (let d = 1; d < 4; d++) assert.equal(((s8.coords[i * 4 + d] % 8) + 8) % 8, 0);
  assert.equal(mgr.upMap(4).nOut, mgr.coordsAt(4).size);
  assert.equal(mgr.upMap(4), mgr.upMap(4));
});

test('exported managers rebuild identical maps without hashing (thread hand-off)', () => {
  const mgr = new CoordinateManager(new CoordSet(randomSet(8, 400, 16, 2), 1, 2));
  mgr.prebuild({
    maxStride: 8,
    kernels: [
      [1, 3, 1],
      [2, 3, 1],
      [4, 3, 1],
      [8, 3, 1],
      [1, 5, 1],
    ],
  });
  const data = mgr.export();
  assert.ok(CoordinateManager.transferables(data).length > 10);
  const copy = CoordinateManager.import(structuredClone(data));
  for (const s of [1, 2, 4, 8]) {
    assert.deepEqual(copy.coordsAt(s).coords, mgr.coordsAt(s).coords);
    assert.deepEqual(triples(copy.subMap(s)), triples(mgr.subMap(s)));
  }
  assert.deepEqual(triples(copy.subMap(1, 5)), triples(mgr.subMap(1, 5)));
  assert.deepEqual(triples(copy.upMap(4)), triples(mgr.upMap(4)));
  assert.equal(copy.cachedMaps, mgr.cachedMaps);
});

test('sorted-merge and hash builders give identical maps (pair order included)', () => {
  for (const [kernel, dilation, stride, span] of [
    [3, 1, 1, 12],
    [3, 1, 2, 12],
    [3, 2, 1, 16],
    [3, 3, 1, 16], // reach 3 exceeds the sorted keys' padding: keys are re-packed
    [5, 1, 1, 10],
    [1, 1, 1, 10],
  ]) {
    const set = new CoordSet(randomSet(kernel * 7 + dilation * 3 + stride, 900, span, 4, stride), stride, 4);
    const merged = submanifoldMap(set, kernel, dilation, 'merge');
    const hashed = submanifoldMap(set, kernel, dilation, 'hash');
    const what = `k=${kernel} d=${dilation} s=${stride}`;
    assert.deepEqual(merged.start, hashed.start, what);
    assert.deepEqual(merged.inIdx, hashed.inIdx, what);
    assert.deepEqual(merged.outIdx, hashed.outIdx, what);
    assert.equal(merged.identity, hashed.identity);
    for (let k = 0; k < merged.volume; k++)
      for (let j = merged.start[k] + 1; j < merged.start[k + 1]; j++)
        assert.ok(merged.outIdx[j] > merged.outIdx[j - 1], `${what}: offset ${k} sorted by output row`);
  }
});

test('coordinates too spread out to sort fall back to the hash', () => {
  // x spans 65,535 voxels, y and z 60,000: the key box needs more than 32 bits
  const coords = new Int32Array([
    0, -32768, 0, 0, 0, 32767, 30000, 30000, 0, 32766, 30000, 30000, 0, 0, -30000, -30000,
  ]);
  const set = new CoordSet(coords, 1, 1);
  assert.equal(set.sorted, undefined);
  const m = submanifoldMap(set, 3);
  assert.equal(pairCount(m), 4 + 2);
  assert.throws(() => submanifoldMap(set, 3, 1, 'merge'), /too spread out to sort/);
});

test('CoordSet.fromBatchCoords names the first repeated row', () => {
  const rows = new Int32Array([0, 1, 2, 3, 0, 5, 5, 5, 0, 9, 9, 9, 0, 5, 5, 5, 0, 1, 2, 3]);
  assert.throws(() => CoordSet.fromBatchCoords(rows), /duplicate coordinate at row 3/);
});
