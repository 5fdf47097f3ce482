// Instance boxes (min/max of the instance's points, class filter) and majority labels.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { instanceBoxes, instanceMajorityLabels } from '../../../src/data/datasets/instance-boxes.js';

test('boxes are the min/max of each instance; -1 points, unboxed classes and empty ids skipped', () => {
  const positions = new Float32Array([0, 0, 0, 2, 1, 4, 1, 3, 2, 9, 9, 9, 5, 5, 5, -1, -2, -3]);
  const instances = new Int32Array([0, 0, 0, -1, 3, 2]);
  const instLabel = [1, 1, 0, 1]; // instance 1 has no points, instance 2 is class 0 (no boxes)
  const boxes = instanceBoxes(positions, instances, instLabel, [false, true]);
  assert.deepEqual(boxes, [
    { label: 1, instance: 0, center: [1, 1.5, 2], size: [2, 3, 4] },
    { label: 1, instance: 3, center: [5, 5, 5], size: [0, 0, 0] },
  ]);
});

test('majority label per instance ignores -1 votes', () => {
  const inst = new Int32Array([0, 0, 0, 1, 1, 2, -1]);
  const lab = new Int32Array([2, 2, 1, -1, -1, 0, 1]);
  assert.deepEqual([...instanceMajorityLabels(inst, lab, 3)], [2, -1, 0]);
});
