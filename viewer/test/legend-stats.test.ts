import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errorCounts, errorKind } from '../src/colors/error-class.js';
import { iouStats, labelHistogram } from '../src/panels/legend-stats.js';
import { Rng } from '../../src/core/rng.js';

test('errorKind: ignored gt wins, then equality', () => {
  assert.equal(errorKind(3, 3, -1), 0);
  assert.equal(errorKind(2, 3, -1), 1);
  assert.equal(errorKind(3, -1, -1), 2);
  assert.equal(errorKind(3, -5, 255), 2, 'any negative gt is ignored');
  assert.equal(errorKind(255, 255, 255), 2, 'gt equal to the ignore label');
});

test('errorCounts on a hand-made case', () => {
  const pred = Int32Array.from([0, 1, 1, 2, 2, 0]);
  const gt = Int32Array.from([0, 1, 2, -1, 2, 1]);
  assert.deepEqual(errorCounts(pred, gt, -1), { correct: 3, wrong: 2, ignored: 1, accuracy: 3 / 5 });
  assert.throws(() => errorCounts(pred, gt.subarray(1), -1), /pred has 6 points but gt has 5/);
});

test('labelHistogram counts every value, negatives and large ids too', () => {
  const h = labelHistogram(Int32Array.from([3, -1, 3, 0, 3, -1, 40]));
  assert.deepEqual(
    [...h],
    [
      [-1, 2],
      [0, 1],
      [3, 3],
      [40, 1],
    ],
  );
  const sparse = labelHistogram(Int32Array.from([5, 50_000_000, 5]));
  assert.deepEqual(
    [...sparse],
    [
      [5, 2],
      [50_000_000, 1],
    ],
  );
  assert.equal(labelHistogram(new Int32Array(0)).size, 0);
});

test('iouStats on a hand-made case', () => {
  // class 0: tp 1 (i0), fp 1 (i5 pred 0 gt 1), fn 0 → 1/2
  // class 1: tp 1 (i1), fp 1 (i2 pred 1 gt 2), fn 1 (i5) → 1/3
  // class 2: tp 1 (i4), fp 0, fn 1 (i2) → 1/2; i3 ignored
  const pred = Int32Array.from([0, 1, 1, 2, 2, 0]);
  const gt = Int32Array.from([0, 1, 2, -1, 2, 1]);
  const s = iouStats(pred, gt, -1);
  assert.deepEqual(
    [...s.perClass],
    [
      [0, 1 / 2],
      [1, 1 / 3],
      [2, 1 / 2],
    ],
  );
  assert.ok(Math.abs(s.mIoU - (1 / 2 + 1 / 3 + 1 / 2) / 3) < 1e-12);
});

test('iouStats equals a brute-force confusion matrix on random labels', () => {
  const rand = new Rng(7).rand();
  const n = 5000;
  const K = 6;
  const gt = Int32Array.from({ length: n }, () => Math.floor(rand() * (K + 1)) - 1);
  const pred = Int32Array.from({ length: n }, () => (rand() < 0.01 ? 5000 : Math.floor(rand() * K)));
  const s = iouStats(pred, gt, -1);
  const ids = new Set<number>();
  for (let i = 0; i < n; i++) if (gt[i] >= 0) ids.add(gt[i]).add(pred[i]);
  for (const c of ids) {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (let i = 0; i < n; i++) {
      if (gt[i] < 0) continue;
      if (pred[i] === c && gt[i] === c) tp++;
      else if (pred[i] === c) fp++;
      else if (gt[i] === c) fn++;
    }
    assert.ok(Math.abs((s.perClass.get(c) ?? NaN) - tp / (tp + fp + fn)) < 1e-12, `class ${c}`);
  }
  assert.equal(s.perClass.size, ids.size);
});
