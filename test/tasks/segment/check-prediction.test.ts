/**
 * The plausibility check run before a segmentation is shown: real softmax outputs pass; outputs
 * read back as zeros, NaN / Infinity, a confidence above 1 or below 1/K, or class ids out of range
 * fail with a message saying what and for how many points. Also the prediction PLY's name stem.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { predictionProblem } from '../../../src/tasks/segment/check-prediction.js';
import { scanStem } from '../../../src/tasks/segment/prediction-cloud.js';

/** pred / confidence of softmax over random logits (N×K), as predictScene computes them. */
function softmaxOutput(n: number, k: number, scale: number) {
  const probs = tf.tidy(() => tf.softmax(tf.mul(tf.randomNormal([n, k], 0, 1, 'float32', 7), scale)));
  const pred = tf.tidy(() => tf.argMax(probs, 1));
  const confidence = tf.tidy(() => tf.max(probs, 1));
  const out = { pred: pred.dataSync() as Int32Array, confidence: confidence.dataSync() as Float32Array };
  tf.dispose([probs, pred, confidence]);
  return out;
}

test('softmax outputs pass, flat or peaked', () => {
  for (const scale of [0, 1, 50]) assert.equal(predictionProblem(softmaxOutput(500, 20, scale), 20), null);
  assert.equal(predictionProblem({ pred: new Int32Array(0), confidence: new Float32Array(0) }, 20), null);
});

test('zeros (what a failed GPU read returns) are degenerate', () => {
  const p = { pred: new Int32Array(1000), confidence: new Float32Array(1000) };
  assert.equal(
    predictionProblem(p, 20),
    'degenerate output: confidence 0 for 1,000 of 1,000 points (a softmax maximum over 20 classes lies in [1/20, 1])',
  );
});

test('NaN or Infinity anywhere is non-finite; out-of-range values and class ids are named', () => {
  const ok = softmaxOutput(100, 5, 1);
  const nan = { pred: ok.pred, confidence: Float32Array.from(ok.confidence) };
  nan.confidence[3] = NaN;
  nan.confidence[7] = Infinity;
  assert.equal(predictionProblem(nan, 5), 'non-finite output (NaN or ±Infinity) for 2 of 100 points');
  const big = { pred: ok.pred, confidence: Float32Array.from(ok.confidence) };
  big.confidence[0] = 1.5;
  assert.match(predictionProblem(big, 5)!, /^degenerate output: confidence 1\.5 for 1 of 100 points/);
  const low = { pred: ok.pred, confidence: Float32Array.from(ok.confidence) };
  low.confidence[9] = 0.1; // below 1/5
  assert.match(predictionProblem(low, 5)!, /^degenerate output: confidence 0\.1\d* for 1 of 100 points/);
  const ids = { pred: Int32Array.from(ok.pred), confidence: ok.confidence };
  ids.pred[0] = 5;
  ids.pred[1] = -1;
  assert.equal(predictionProblem(ids, 5), 'class ids outside 0…4 for 2 of 100 points');
});

test('scan stems drop folders and the point-cloud extension only', () => {
  assert.equal(scanStem('../data/scans/scene0000_01_vh_clean_2.ply'), 'scene0000_01_vh_clean_2');
  assert.equal(scanStem('C:\\scans\\room.PCD'), 'room');
  assert.equal(scanStem('scene0000_00'), 'scene0000_00');
  assert.equal(scanStem('notes.json'), 'notes.json');
  assert.equal(scanStem('.ply'), '.ply');
});
