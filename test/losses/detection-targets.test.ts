/**
 * Detection targets on hand-made batches: vote targets from voxel instances and boxes (classes
 * outside the detection set and instances without a box are background), and VoteNet's
 * near/far proposal assignment against a brute-force nearest centre.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  MIN_TARGET_SIZE,
  classIndexTable,
  proposalTargets,
  voxelTargets,
  type TargetBox,
} from '../../src/losses/detection-targets.js';
import { rng } from '../helpers/backends.js';

const box = (label: number, instance: number, center: number[], size = [1, 1, 1]): TargetBox => ({
  label,
  instance,
  center,
  size,
});

test('classIndexTable maps train ids to head indices', () => {
  assert.deepEqual(Array.from(classIndexTable([4, 2, 9])), [-1, -1, 1, -1, 0, -1, -1, -1, -1, 2]);
});

test('voxelTargets: instances with a detection-class box vote for its centre, per batch item', () => {
  // item 0: rows 0-3, item 1: rows 4-5; instance ids are per scene
  const instances = Int32Array.of(3, -1, 5, 3, 3, 8);
  const offsets = Int32Array.of(0, 4, 6);
  const boxes = [
    [box(7, 3, [1, 2, 3]), box(1, 5, [9, 9, 9])], // label 1 is not a detection class
    [box(2, 3, [-1, 0, 0.5])],
  ];
  const t = voxelTargets(instances, offsets, boxes, [2, 7]);
  assert.deepEqual(Array.from(t.positive), [1, 0, 0, 1, 1, 0]);
  assert.deepEqual(Array.from(t.cls), [1, -1, -1, 1, 0, -1]);
  assert.deepEqual(Array.from(t.center), [1, 2, 3, 0, 0, 0, 0, 0, 0, 1, 2, 3, -1, 0, 0.5, 0, 0, 0]);
  assert.equal(t.count, 3);
});

test('proposalTargets: positive < near, negative > far, ignored between; nearest box of the same item', () => {
  const r = rng(5);
  const boxes = [
    [box(2, 0, [0, 0, 0], [0.5, 2, 0.004]), box(4, 1, [2, 0, 0]), box(3, 2, [0.1, 0, 0])], // label 3: not detected
    [] as TargetBox[],
  ];
  const p = 300;
  // along the x axis through the boxes, so all three outcomes occur
  const base = Float32Array.from({ length: p * 3 }, (_, k) =>
    k % 3 === 0 ? r() * 3 - 0.5 : (r() - 0.5) * (k % 3 === 1 ? 0.6 : 0.2),
  );
  const item = Int32Array.from({ length: p }, (_, i) => (i % 7 === 0 ? 1 : 0));
  const t = proposalTargets(base, item, boxes, [2, 4], { near: 0.3, far: 0.6, sizePrior: 2 });
  let pos = 0;
  let neg = 0;
  for (let i = 0; i < p; i++) {
    const usable = item[i] === 0 ? [boxes[0][0], boxes[0][1]] : [];
    const ds = usable.map((b) => Math.hypot(...[0, 1, 2].map((d) => base[i * 3 + d] - b.center[d])));
    const dmin = ds.length ? Math.min(...ds) : Infinity;
    const want = dmin < 0.3 ? 1 : dmin > 0.6 ? 0 : -1;
    assert.equal(t.label[i], want, `proposal ${i}`);
    if (want === 1) {
      pos++;
      const b = usable[ds.indexOf(dmin)];
      assert.equal(t.cls[i], b.label === 2 ? 0 : 1);
      assert.deepEqual(Array.from(t.center.subarray(i * 3, i * 3 + 3)), b.center);
      const ls = Array.from(t.logSize.subarray(i * 3, i * 3 + 3));
      const want3 = b.size.map((s) => Math.log(Math.max(s, MIN_TARGET_SIZE) / 2));
      ls.forEach((v, d) => assert.ok(Math.abs(v - want3[d]) < 1e-6));
    } else {
      assert.equal(t.cls[i], -1);
      neg += want === 0 ? 1 : 0;
    }
  }
  assert.equal(t.positives, pos);
  assert.equal(t.negatives, neg);
  assert.ok(pos > 3 && neg > 100, `weak case: ${pos} positives, ${neg} negatives`);
});
