/**
 * Segmentation metrics against a brute-force computation on hand-made cases: ignore handling,
 * classes absent from ground truth and/or prediction, accumulation over scenes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfusionMatrix, formatSegTable } from '../../src/eval/confusion.js';

function brute(gt: number[], pred: number[], k: number) {
  const ious: number[] = [];
  const accs: number[] = [];
  for (let c = 0; c < k; c++) {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    gt.forEach((g, i) => {
      if (g < 0 || g >= k) return;
      if (g === c && pred[i] === c) tp++;
      else if (g === c) fn++;
      else if (pred[i] === c) fp++;
    });
    if (tp + fp + fn > 0) ious.push(tp / (tp + fp + fn));
    if (tp + fn > 0) accs.push(tp / (tp + fn));
  }
  const valid = gt.map((g, i) => [g, pred[i]]).filter(([g]) => g >= 0 && g < k);
  return {
    mIoU: (100 * ious.reduce((a, b) => a + b, 0)) / ious.length,
    mAcc: (100 * accs.reduce((a, b) => a + b, 0)) / accs.length,
    allAcc: (100 * valid.filter(([g, p]) => g === p).length) / valid.length,
  };
}

test('metrics equal a brute-force computation; ignore and absent classes', () => {
  const k = 4;
  // class 3 absent from gt and prediction (left out), class 2 predicted but never in gt (IoU 0)
  const gt = [0, 0, 1, 1, 1, -1, -1, 0, 1, 7];
  const pred = [0, 1, 1, 1, 2, 3, 0, 0, 2, 1];
  const cm = new ConfusionMatrix(k);
  cm.add(gt, pred);
  const m = cm.metrics(['a', 'b', 'c', 'd']);
  const b = brute(gt, pred, k);
  assert.ok(
    Math.abs(m.mIoU - b.mIoU) < 1e-9 &&
      Math.abs(m.mAcc - b.mAcc) < 1e-9 &&
      Math.abs(m.allAcc - b.allAcc) < 1e-9,
  );
  assert.equal(m.per_class.d, null);
  assert.equal(m.per_class.c, 0);
  assert.equal(m.per_class_acc.c, null);
  assert.equal(m.points, 7);
  // hand values: a: tp 2, fp 0, fn 1 → 66.7; b: tp 2, fp 1 (gt 0→1), fn 2 → 40
  assert.ok(Math.abs(m.per_class.a! - 200 / 3) < 1e-9);
  assert.ok(Math.abs(m.per_class.b! - 40) < 1e-9);
});

test('accumulating scenes equals one big scene; bad predictions are errors', () => {
  const a = new ConfusionMatrix(3);
  a.add([0, 1, 2], [0, 2, 2]);
  const b = new ConfusionMatrix(3);
  b.add([2, 2, 1], [1, 2, 1]);
  a.merge(b);
  const all = new ConfusionMatrix(3);
  all.add([0, 1, 2, 2, 2, 1], [0, 2, 2, 1, 2, 1]);
  assert.deepEqual(a.counts, all.counts);
  assert.throws(() => all.add([0], [5]), /prediction 5 at 0 outside/);
  assert.throws(() => all.add([0, 1], [0]), /2 labels vs 1 predictions/);
});

test('confusedAs: the largest off-diagonal shares of each class row, hand-computed', () => {
  const cm = new ConfusionMatrix(3);
  // a: 4 points → a 1, b 2, c 1; b: 2 points → b 2; c: none
  cm.add([0, 0, 0, 0, 1, 1, -1], [0, 1, 1, 2, 1, 1, 0]);
  const as = cm.confusedAs(['a', 'b', 'c'], 3);
  assert.deepEqual(Object.keys(as), ['a', 'b']);
  assert.deepEqual(as.a, [
    { as: 'b', share: 50 },
    { as: 'c', share: 25 },
  ]);
  assert.deepEqual(as.b, []);
  assert.deepEqual(cm.confusedAs(['a', 'b', 'c'], 1).a, [{ as: 'b', share: 50 }]);
  assert.deepEqual(cm.rows(), [
    [1, 2, 1],
    [0, 2, 0],
    [0, 0, 0],
  ]);
  const table = formatSegTable(cm.metrics(['a', 'b', 'c']), 't', as);
  assert.match(table, /^a .* b 50 %, c 25 %$/m);
  assert.match(table, /most often predicted as/);
});
