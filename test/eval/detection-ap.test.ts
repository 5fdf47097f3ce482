/**
 * VOC AP on hand-made cases: perfect, shifted (between the two IoU thresholds), duplicate,
 * missing and wrong-class predictions, cross-scene matching, the strict IoU threshold, classes
 * without ground truth, and the precision envelope on a hand-computed curve.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classCurve, evaluateDetections, vocAP } from '../../src/eval/detection-ap.js';
import type { DetBox, GtBox, Vec3 } from '../../src/eval/detection-boxes.js';

const CLASSES = [
  { id: 2, name: 'chair' },
  { id: 5, name: 'table' },
  { id: 7, name: 'sofa' },
];
const gt = (label: number, center: Vec3, size: Vec3 = [1, 1, 1]): GtBox => ({ label, center, size });
const pred = (label: number, center: Vec3, score: number, size: Vec3 = [1, 1, 1]): DetBox => ({
  label,
  center,
  size,
  score,
});
const close = (a: number | null, b: number, what: string) =>
  assert.ok(a !== null && Math.abs(a - b) < 1e-12, `${what}: ${a} vs ${b}`);

test('vocAP: envelope area on a hand-computed curve', () => {
  // recall .5 .5 1 with precision 1 .5 2/3 → 0.5·1 + 0.5·(2/3)
  close(vocAP([0.5, 0.5, 1], [1, 0.5, 2 / 3]), 0.5 + 1 / 3, 'ap');
  // a dip in precision is filled from the right: .25·1 + .25·.6 + .25·.6 (recall stops at .75)
  close(vocAP([0.25, 0.5, 0.5, 0.75], [1, 0.5, 0.4, 0.6]), 0.25 * 1 + 0.25 * 0.6 + 0.25 * 0.6, 'dip');
  assert.equal(vocAP([], []), 0);
});

test('perfect predictions give AP 1 at both thresholds', () => {
  const g = [gt(2, [0, 0, 0]), gt(5, [3, 0, 0], [2, 1, 1])];
  const m = evaluateDetections([{ gt: g, pred: g.map((b, i) => ({ ...b, score: 0.9 - i * 0.1 })) }], CLASSES);
  assert.equal(m.mAP25, 1);
  assert.equal(m.mAP50, 1);
  assert.equal(m.classesEvaluated, 2);
  assert.equal(m.per_class.sofa.ap25, null);
  assert.equal(m.per_class.sofa.gt, 0);
  assert.equal(m.per_class.chair.recall50, 1);
});

test('a shifted box (IoU 1/3) counts at 0.25, not at 0.5', () => {
  const m = evaluateDetections(
    [{ gt: [gt(2, [0, 0, 0], [2, 2, 2])], pred: [pred(2, [1, 0, 0], 0.8, [2, 2, 2])] }],
    CLASSES,
  );
  assert.equal(m.per_class.chair.ap25, 1);
  assert.equal(m.per_class.chair.ap50, 0);
  assert.equal(m.mAP25, 1);
  assert.equal(m.mAP50, 0);
});

test('the IoU threshold is strict (VoteNet: ovmax > thresh): IoU exactly 0.5 is a miss at 0.5', () => {
  // [0,3] vs [1,4] on x: intersection 2, union 4 → exactly 0.5 in floating point
  const s = [{ gt: [gt(2, [1.5, 0, 0], [3, 1, 1])], pred: [pred(2, [2.5, 0, 0], 0.5, [3, 1, 1])] }];
  assert.equal(classCurve(s, 2, 0.5).truePositives, 0);
  assert.equal(classCurve(s, 2, 0.4999).truePositives, 1);
});

test('duplicates: the higher-scored one matches, the other is a false positive', () => {
  const g = [gt(2, [0, 0, 0]), gt(2, [5, 0, 0])];
  const p = [pred(2, [0, 0, 0], 0.9), pred(2, [0.05, 0, 0], 0.8), pred(2, [5, 0, 0], 0.7)];
  const c = classCurve([{ gt: g, pred: p }], 2, 0.25);
  assert.deepEqual(Array.from(c.recall), [0.5, 0.5, 1]);
  assert.deepEqual(
    Array.from(c.precision).map((v) => +v.toFixed(12)),
    [1, 0.5, +(2 / 3).toFixed(12)],
  );
  close(c.ap, 0.5 + 1 / 3, 'ap');
  // the duplicate scored lower than the second object instead: no precision drop before full recall
  const p2 = [pred(2, [0, 0, 0], 0.9), pred(2, [0.05, 0, 0], 0.6), pred(2, [5, 0, 0], 0.7)];
  close(classCurve([{ gt: g, pred: p2 }], 2, 0.25).ap, 1, 'ap, duplicate last');
});

test('missing boxes cap recall; wrong-class predictions do not match', () => {
  const g = [gt(2, [0, 0, 0]), gt(2, [5, 0, 0]), gt(5, [9, 0, 0])];
  const p = [pred(2, [0, 0, 0], 0.9), pred(7, [5, 0, 0], 0.95), pred(2, [9, 0, 0], 0.3)];
  const m = evaluateDetections([{ gt: g, pred: p }], CLASSES);
  // chair: TP then FP (the table's place) → recall .5, AP .5; table: nothing predicted → 0
  close(m.per_class.chair.ap25, 0.5, 'chair');
  close(m.per_class.chair.recall25, 0.5, 'chair recall');
  close(m.per_class.table.ap25, 0, 'table');
  assert.equal(m.per_class.sofa.ap25, null, 'sofa has no ground truth: excluded');
  assert.equal(m.per_class.sofa.predictions, 1);
  close(m.mAP25, 0.25, 'mAP');
  assert.equal(m.classesEvaluated, 2);
});

test('matching is per scene, and scores rank predictions across scenes', () => {
  const s0 = { gt: [gt(2, [0, 0, 0])], pred: [pred(2, [0, 0, 0], 0.4)] };
  const s1 = { gt: [gt(2, [0, 0, 0], [3, 3, 3])], pred: [pred(2, [9, 9, 9], 0.9)] };
  const c = classCurve([s0, s1], 2, 0.25);
  // order: s1's miss (0.9), then s0's hit (0.4): recall 0, .5; precision 0, .5 → AP .25
  assert.deepEqual(Array.from(c.recall), [0, 0.5]);
  close(c.ap, 0.25, 'ap');
  // s0's prediction does not match s1's box even though it sits inside it
  const c2 = classCurve(
    [
      { gt: [], pred: s0.pred },
      { gt: s1.gt, pred: [] },
    ],
    2,
    0.25,
  );
  assert.equal(c2.truePositives, 0);
  assert.equal(c2.ap, 0);
});

test('no ground truth anywhere: mAP is null', () => {
  const m = evaluateDetections([{ gt: [], pred: [pred(2, [0, 0, 0], 0.5)] }], CLASSES);
  assert.equal(m.mAP25, null);
  assert.equal(m.classesEvaluated, 0);
  assert.ok(Number.isNaN(classCurve([{ gt: [], pred: [] }], 2, 0.5).ap));
});
