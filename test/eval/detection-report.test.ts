/**
 * The report `evaluate det --json` prints, on a tiny case whose APs are computed by hand: two
 * chairs found by the 1st and 3rd of three predictions, one table found only at IoU 1/3.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateDetections } from '../../src/eval/detection-ap.js';
import { percentMetrics } from '../../src/eval/detection-report.js';

test('percent report of a hand-computed case: AP 83.33 / 100, mAP 91.67 at 0.25 and 41.67 at 0.5', () => {
  const box = (label: number, x: number, score?: number) => ({
    label,
    center: [x, 0, 0] as [number, number, number],
    size: [2, 2, 2] as [number, number, number],
    ...(score === undefined ? {} : { score }),
  });
  const CHAIR = 4;
  const TABLE = 6;
  const scenes = [
    {
      gt: [box(CHAIR, 0), box(CHAIR, 10), box(TABLE, 20)],
      // chair: hit (0.9), miss far away (0.8), hit (0.7); table: shifted by 1 → IoU 4/12 = 1/3
      pred: [
        { ...box(CHAIR, 0), score: 0.9 },
        { ...box(CHAIR, 50), score: 0.8 },
        { ...box(CHAIR, 10), score: 0.7 },
        { ...box(TABLE, 21), score: 0.6 },
      ],
    },
  ];
  const classes = [
    { id: CHAIR, name: 'chair' },
    { id: TABLE, name: 'table' },
    { id: 8, name: 'sofa' },
  ];
  const r = percentMetrics(evaluateDetections(scenes, classes));
  // chair: recall ½, ½, 1 at precision 1, ½, ⅔ → ½·1 + ½·⅔ = 0.8333 at both thresholds
  assert.equal(r.per_class.chair.ap25, 83.33);
  assert.equal(r.per_class.chair.ap50, 83.33);
  assert.equal(r.per_class.table.ap25, 100);
  assert.equal(r.per_class.table.ap50, 0);
  assert.equal(r.per_class.sofa.ap25, null);
  assert.equal(r.mAP25, 91.67);
  assert.equal(r.mAP50, 41.67);
  assert.equal(r.mAR25, 100);
  assert.equal(r.mAR50, 50);
  assert.deepEqual([r.classesEvaluated, r.scenes, r.per_class.chair.predictions], [2, 1, 3]);
});
