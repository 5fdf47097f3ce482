import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { downsample, matchFraction, overlapOfDownsampled, viewOverlap } from '../../src/geometry/overlap.js';

/** Points at voxel centres of a cols×rows patch of the z = 0 plane (5 cm voxels), starting at column c0. */
function patch(c0: number, cols: number, rows: number): Float32Array {
  const p: number[] = [];
  for (let c = c0; c < c0 + cols; c++)
    for (let r = 0; r < rows; r++) p.push((c + 0.5) * 0.05, (r + 0.5) * 0.05, 0.025);
  return Float32Array.from(p);
}

describe('view overlap (PointContrast definition)', () => {
  test('shifted patches: 60 % each way (the first unshared column is 5 cm away, inside 1.5·5 cm)', () => {
    const a = patch(0, 10, 10);
    const b = patch(5, 10, 10);
    const o = viewOverlap(a, b, 0.05);
    assert.equal(o.matchAB, 0.6);
    assert.equal(o.matchBA, 0.6);
    assert.equal(o.overlap, 0.6);
  });

  test('a view contained in another: match(a→b) = 1, match(b→a) = 0.4, overlap = max = 1', () => {
    const a = patch(0, 10, 10);
    const b = patch(0, 3, 10);
    const o = overlapOfDownsampled(a, b, 0.05);
    assert.equal(o.matchAB, 1);
    assert.equal(o.matchBA, 0.4); // columns 0..3 of a have a b point within 7.5 cm
    assert.equal(o.overlap, 1);
  });

  test('disjoint views have zero overlap; a gap of 2 voxels is beyond 1.5 voxels', () => {
    assert.equal(viewOverlap(patch(0, 5, 5), patch(7, 5, 5), 0.05).overlap, 0);
    assert.equal(matchFraction(new Float32Array(0), patch(0, 1, 1), 1), 0);
  });

  test('downsampling keeps the first point of each voxel so dense duplicates do not inflate counts', () => {
    const a = patch(0, 4, 4);
    const dense = new Float32Array(a.length * 3);
    for (let i = 0; i < a.length / 3; i++) {
      for (let c = 0; c < 3; c++) {
        dense[(i * 3 + c) * 3] = a[i * 3] + (c - 1) * 0.01;
        dense[(i * 3 + c) * 3 + 1] = a[i * 3 + 1];
        dense[(i * 3 + c) * 3 + 2] = a[i * 3 + 2];
      }
    }
    const d = downsample(dense, 0.05);
    assert.equal(d.length / 3, 16);
    assert.ok(Math.abs(d[0] - (0.025 - 0.01)) < 1e-7);
  });
});
