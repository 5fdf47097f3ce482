/**
 * Quantisation on hand-made cases: first point wins, label collisions → ignore, negative
 * coordinates floor correctly, duplicates collapse, the inverse map covers every point.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { voxelize, batchCoords } from '../../src/geometry/voxelize.js';

test('voxelize: floor, first point wins, inverse map, label collisions', () => {
  const pts = new Float32Array([
    0.01,
    0.01,
    0.01, // p0 → (0,0,0)
    0.09,
    0.02,
    0.03, // p1 → (0,0,0) same voxel, other label
    -0.01,
    0.0,
    0.0, // p2 → (-1,0,0) negative floors down
    0.15,
    0.15,
    0.15, // p3 → (1,1,1)
    0.15,
    0.15,
    0.15, // p4 duplicate of p3, same label
    -0.11,
    -0.19,
    0.25, // p5 → (-2,-2,2)
  ]);
  const labels = new Int32Array([3, 4, 7, 5, 5, 1]);
  const v = voxelize(pts, 0.1, { labels, ignoreLabel: -1 });
  assert.deepEqual(Array.from(v.coords), [0, 0, 0, -1, 0, 0, 1, 1, 1, -2, -2, 2]);
  assert.deepEqual(Array.from(v.pointIndex), [0, 2, 3, 5]);
  assert.deepEqual(Array.from(v.inverse), [0, 0, 1, 2, 2, 3]);
  assert.deepEqual(Array.from(v.labels!), [-1, 7, 5, 1]);
});

test('voxelize: collision rule is order independent and keeps agreeing labels', () => {
  const pts = new Float32Array([0, 0, 0, 0.01, 0, 0, 0.02, 0, 0]);
  assert.deepEqual(
    Array.from(voxelize(pts, 0.1, { labels: new Int32Array([2, 2, 9]), ignoreLabel: 255 }).labels!),
    [255],
  );
  assert.deepEqual(
    Array.from(voxelize(pts, 0.1, { labels: new Int32Array([9, 2, 2]), ignoreLabel: 255 }).labels!),
    [255],
  );
  assert.deepEqual(Array.from(voxelize(pts, 0.1, { labels: new Int32Array([6, 6, 6]) }).labels!), [6]);
});

test('voxelize: ignore-labelled points do not vote (limited annotations survive voxelisation)', () => {
  const pts = new Float32Array([0, 0, 0, 0.01, 0, 0, 0.02, 0, 0, 0.5, 0, 0, 0.51, 0, 0, 0.9, 0, 0]);
  const v = voxelize(pts, 0.1, { labels: new Int32Array([-1, 4, -1, 2, 3, -1]), ignoreLabel: -1 });
  // voxel 0: one labelled point (4) among unlabelled ones → 4; voxel 1: 2 vs 3 → ignore; voxel 2: none → ignore
  assert.deepEqual(Array.from(v.labels!), [4, -1, -1]);
  const w = voxelize(pts, 0.1, { labels: new Int32Array([7, 4, 7, 2, 2, 255]), ignoreLabel: 255 });
  assert.deepEqual(Array.from(w.labels!), [255, 2, 255]);
});

test('voxelize: voxel boundaries are half-open [k·v, (k+1)·v)', () => {
  const v = voxelize(new Float32Array([0.5, 1.0, -0.5, 0.4999, 0.9999, -0.5001]), 0.5);
  assert.deepEqual(Array.from(v.coords), [1, 2, -1, 0, 1, -2]);
});

test('voxelize: rejects bad input with clear errors', () => {
  assert.throws(() => voxelize(new Float32Array([0, 0, 0]), 0), /voxel size must be > 0/);
  assert.throws(() => voxelize(new Float32Array([0, NaN, 0]), 0.1), /point 0 has a non-finite coordinate/);
  assert.throws(() => voxelize(new Float32Array([4000, 0, 0]), 0.1), /x=40000 outside/);
  assert.throws(
    () => voxelize(new Float32Array([0, 0, 0]), 0.1, { labels: new Int32Array(2) }),
    /2 labels for 1 points/,
  );
});

test('batchCoords stacks scenes with batch indices', () => {
  const out = batchCoords([new Int32Array([1, 2, 3]), new Int32Array([4, 5, 6, 7, 8, 9])]);
  assert.deepEqual(Array.from(out), [0, 1, 2, 3, 1, 4, 5, 6, 1, 7, 8, 9]);
});
