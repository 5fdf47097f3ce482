/**
 * Axis-aligned IoU against a brute-force lattice count, NMS on hand-made overlaps, and box
 * transforms through an affine and its inverse.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { invertAffine } from '../../src/core/affine.js';
import {
  boxIoU,
  nmsPerClass,
  orderByScore,
  transformBox,
  type DetBox,
  type GtBox,
  type Vec3,
} from '../../src/eval/detection-boxes.js';
import { rng } from '../helpers/backends.js';

const box = (center: Vec3, size: Vec3, label = 0): GtBox => ({ label, center, size });
const det = (center: Vec3, size: Vec3, score: number, label = 0): DetBox => ({ label, center, size, score });

/** IoU by counting lattice cells of side h inside each box (exact when bounds are on the lattice). */
function latticeIoU(a: GtBox, b: GtBox, h: number): number {
  const lo = [0, 1, 2].map((d) => Math.min(a.center[d] - a.size[d] / 2, b.center[d] - b.size[d] / 2));
  const hi = [0, 1, 2].map((d) => Math.max(a.center[d] + a.size[d] / 2, b.center[d] + b.size[d] / 2));
  const inside = (x: GtBox, p: number[]) => p.every((v, d) => Math.abs(v - x.center[d]) < x.size[d] / 2);
  let na = 0;
  let nb = 0;
  let both = 0;
  for (let x = lo[0] + h / 2; x < hi[0]; x += h)
    for (let y = lo[1] + h / 2; y < hi[1]; y += h)
      for (let z = lo[2] + h / 2; z < hi[2]; z += h) {
        const ia = inside(a, [x, y, z]);
        const ib = inside(b, [x, y, z]);
        na += +ia;
        nb += +ib;
        both += +(ia && ib);
      }
  return both / (na + nb - both);
}

test('boxIoU equals a brute-force lattice count on 200 random box pairs', () => {
  const r = rng(7);
  const q = () => Math.round(r() * 6) / 4; // multiples of 0.25 in [0, 1.5]
  let overlapping = 0;
  for (let t = 0; t < 200; t++) {
    const mk = (): GtBox => {
      const lo = [q(), q(), q()];
      const size = [1, 2, 3].map(() => 0.25 + Math.round(r() * 8) / 4) as Vec3;
      return box([lo[0] + size[0] / 2, lo[1] + size[1] / 2, lo[2] + size[2] / 2], size);
    };
    const a = mk();
    const b = mk();
    const want = latticeIoU(a, b, 0.25);
    if (want > 0) overlapping++;
    assert.ok(Math.abs(boxIoU(a, b) - want) < 1e-9, `pair ${t}: ${boxIoU(a, b)} vs ${want}`);
    assert.equal(boxIoU(a, b), boxIoU(b, a));
  }
  assert.ok(overlapping > 50, `only ${overlapping} overlapping pairs: the test would be weak`);
});

test('boxIoU hand cases: identical 1, touching 0, half-shifted 1/3, nested volume ratio', () => {
  const a = box([0, 0, 0], [2, 2, 2]);
  assert.equal(boxIoU(a, a), 1);
  assert.equal(boxIoU(a, box([2, 0, 0], [2, 2, 2])), 0);
  assert.ok(Math.abs(boxIoU(a, box([1, 0, 0], [2, 2, 2])) - 1 / 3) < 1e-12);
  assert.ok(Math.abs(boxIoU(a, box([0, 0, 0], [1, 1, 1])) - 1 / 8) < 1e-12);
  assert.equal(boxIoU(a, box([0, 0, 0], [0, 1, 1])), 0);
});

test('orderByScore is stable for ties', () => {
  assert.deepEqual(Array.from(orderByScore([0.5, 0.9, 0.5, 0.9, 0.1])), [1, 3, 0, 2, 4]);
});

test('nmsPerClass: suppresses same-class overlaps above the threshold only, never across classes', () => {
  const boxes = [
    det([0, 0, 0], [3, 1, 1], 0.6), // IoU with #1 = 2/4 = 0.5
    det([1, 0, 0], [3, 1, 1], 0.9),
    det([1, 0, 0], [3, 1, 1], 0.8, 1), // same place, other class: kept
    det([3, 0, 0], [3, 1, 1], 0.7), // IoU with #1 = 1/5 = 0.2 ≤ 0.25: kept
    det([10, 0, 0], [1, 1, 1], 0.1),
  ];
  assert.deepEqual(nmsPerClass(boxes, 0.25), [1, 2, 3, 4]);
  // threshold 0.5: IoU exactly 0.5 is not above it, so #0 survives
  assert.deepEqual(nmsPerClass(boxes, 0.5), [1, 2, 3, 0, 4]);
});

test('transformBox through an affine and its inverse returns the box; flips and 90° turns are exact', () => {
  // rotate 90° about z, scale 2, flip x, translate
  const A = [0, -2, 0, 1, 2, 0, 0, -3, 0, 0, 2, 0.5].map((v, i) =>
    i === 0 || i === 1 || i === 2 || i === 3 ? -v : v,
  );
  const b = det([1, 2, 3], [0.5, 1, 2], 0.7, 4);
  const t = transformBox(b, A);
  assert.equal(t.score, 0.7);
  assert.equal(t.label, 4);
  assert.deepEqual(
    t.size.map((v) => +v.toFixed(9)),
    [2, 1, 4],
  );
  const back = transformBox(t, invertAffine(A));
  for (let d = 0; d < 3; d++) {
    assert.ok(Math.abs(back.center[d] - b.center[d]) < 1e-9);
    assert.ok(Math.abs(back.size[d] - b.size[d]) < 1e-9);
  }
  assert.throws(() => invertAffine([1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0]), /singular/);
});
