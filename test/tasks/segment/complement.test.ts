/**
 * The complement rule by hand: thresholds are quantiles of the init's absent-class scores over
 * labelled training points only; a point takes the init's own absent prediction at or above its
 * threshold, else the fine-tuned network's best present class; an absent class on too small a
 * share of the scene is taken back.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AbsentCalibration,
  complementPredict,
  complementResult,
} from '../../../src/tasks/segment/complement.js';
import { complementFromCheckpoint } from '../../../src/tasks/segment/complement-setup.js';
import type { LoadedModel } from '../../../src/train/load-model.js';

/** Rows of probabilities, k per point. */
const rows = (...r: number[][]) => Float32Array.from(r.flat());

test('thresholds: the (1 − rate) quantile over labelled points; unlabelled and skipped points do not count', () => {
  const k = 3;
  const cal = new AbsentCalibration([2, 1], k);
  // q(2): 0.1 0.4 0.3 0.2 on labelled points, 0.9 unlabelled, 0.8 on a skipped class
  cal.add(
    rows([0.8, 0.1, 0.1], [0.5, 0.1, 0.4], [0.6, 0.1, 0.3], [0.7, 0.1, 0.2], [0, 0.1, 0.9], [0.1, 0.1, 0.8]),
    Int32Array.of(0, 0, 0, 0, -1, 1),
    new Set([1]),
  );
  // sorted q(2) = 0.1 0.2 0.3 0.4: rate 0.25 → index 3, rate 0.5 → index 2, rate 0 → the max
  assert.deepEqual(
    [...cal.thresholds(0.25)].map((v) => +v.toFixed(6)),
    [0.4, 0.1],
  );
  assert.deepEqual(
    [...cal.thresholds(0.5)].map((v) => +v.toFixed(6)),
    [0.3, 0.1],
  );
  assert.deepEqual(
    [...cal.thresholds(0)].map((v) => +v.toFixed(6)),
    [0.4, 0.1],
  );
  assert.deepEqual([...new AbsentCalibration([2], k).thresholds(0.1)], [Infinity]);
  assert.throws(() => cal.thresholds(1.5), /complement rate: expected 0\.\.1, got 1\.5/);
});

test('prediction: the init answers for absent classes at or above their threshold, the fine-tuned network for the rest', () => {
  const k = 3; // class 2 is absent, threshold 0.5
  const f = rows([0.2, 0.7, 0.1], [0.6, 0.3, 0.1], [0.1, 0.2, 0.7], [0.3, 0.6, 0.1]);
  const q = rows(
    [0.1, 0.1, 0.8], // the init says 2, above τ → 2
    [0.3, 0.2, 0.5], // exactly τ → 2
    [0.2, 0.4, 0.4], // the init's argmax is present (ties keep the first) → f's best present: 1, not f's 2
    [0.5, 0.1, 0.4], // the init says 0 → f: 1
  );
  assert.deepEqual(
    [...complementPredict(f, q, k, { absent: [2], thresholds: [0.5], minShare: 0 })],
    [2, 2, 1, 1],
  );
  // below τ the fine-tuned network decides
  assert.deepEqual(
    [...complementPredict(f, q, k, { absent: [2], thresholds: [0.81], minShare: 0 })],
    [1, 0, 1, 1],
  );
  // an absent class on 2 of 4 points survives a 50 % minimum share, not a 60 % one
  assert.deepEqual(
    [...complementPredict(f, q, k, { absent: [2], thresholds: [0.5], minShare: 0.5 })],
    [2, 2, 1, 1],
  );
  assert.deepEqual(
    [...complementPredict(f, q, k, { absent: [2], thresholds: [0.5], minShare: 0.6 })],
    [1, 0, 1, 1],
  );
  // no absent class: the fine-tuned network's argmax
  assert.deepEqual(
    [...complementPredict(f, q, k, { absent: [], thresholds: [], minShare: 0 })],
    [1, 0, 2, 1],
  );
});

test('result: the confidence is the probability the deciding network gives the predicted class', () => {
  const k = 3;
  const f = rows([0.2, 0.7, 0.1], [0.6, 0.3, 0.1], [0.1, 0.2, 0.7]);
  const q = rows([0.1, 0.1, 0.8], [0.5, 0.2, 0.3], [0.2, 0.4, 0.4]);
  const r = complementResult(f, q, k, { absent: [2], thresholds: [0.5], minShare: 0 });
  assert.deepEqual([...r.pred], [2, 0, 1]);
  // point 0: the init decided (q 0.8); points 1 and 2: the fine-tuned network (f 0.6, f 0.2)
  assert.deepEqual(
    [...r.confidence],
    [0.8, 0.6, 0.2].map((v) => Math.fround(v)),
  );
});

test('predict --complement: a checkpoint without an init, training data or with a label budget is named', () => {
  const fake = (config: unknown) =>
    ({ dir: 'runs/x/last', meta: { config }, classes: [{ id: 0, name: 'wall' }] }) as unknown as LoadedModel;
  const data = { dir: 'prepared', trainSplit: 'train', ignoreClasses: [], pointsPerScene: null };
  assert.throws(
    () => complementFromCheckpoint(fake({ init: null, data })),
    /runs\/x\/last: was fine-tuned from scratch; --complement needs a synthetic-supervised network \(give its folder\)/,
  );
  assert.throws(
    () => complementFromCheckpoint(fake({ init: 'sup/last', data: {} })),
    /runs\/x\/last: its config names no training data \(data\.dir, data\.trainSplit\) to calibrate on/,
  );
  assert.throws(
    () => complementFromCheckpoint(fake({ init: 'sup/last', data: { ...data, pointsPerScene: 20 } })),
    /was fine-tuned on 20 labelled points per scene; the complement rule calibrates on every label/,
  );
  assert.throws(
    () => complementFromCheckpoint(fake({ init: null, data }), { init: 'no/such/init' }),
    /complement: its init no\/such\/init is not a segmentation network/,
  );
});
