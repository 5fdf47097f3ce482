/**
 * The feature-match protocol's numbers at their edges, by hand: a nearest feature 9.99 cm away
 * is a hit and 10.01 cm is not (10 cm hit radius); a hit ratio of exactly 5 % is not a recall and
 * just above is (strictly greater); more query rows than one nearest-feature chunk (2,048).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { featureMatch, FEATURE_MATCH_DEFAULTS } from '../../src/eval/feature-match.js';
import { rng, useBackend } from '../helpers/backends.js';

/** One-hot rows: row i has a 1 in column cols[i] (width d). */
function oneHot(cols: number[], d: number): tf.Tensor2D {
  return tf.tensor2d(cols.map((c) => Array.from({ length: d }, (_, k) => (k === c ? 1 : 0))));
}

test('the protocol constants: 3.75 cm correspondences, 10 cm hits, recall above 5 %', () => {
  assert.deepEqual(FEATURE_MATCH_DEFAULTS, { corrRadius: 0.0375, hitRadius: 0.1, recallThreshold: 0.05 });
});

test('hit radius: a nearest feature 9.99 cm from the true position hits, 10.01 cm misses', async () => {
  await useBackend('cpu');
  // ref: A (the true partner of src 0) and B 9.99 cm from it; C (partner of src 1) and D 10.01 cm away
  const ref = new Float32Array([0, 0, 0, 0.0999, 0, 0, 5, 0, 0, 5.1001, 0, 0]);
  const src = new Float32Array([0, 0, 0, 5, 0, 0]);
  const refFeat = oneHot([0, 1, 2, 3], 4);
  // each source point's feature is that of its neighbour, not its partner
  const r = featureMatch(src, ref, oneHot([1, 3], 4), refFeat);
  assert.deepEqual(r, { pairs: 2, hit_ratio: 0.5, feature_match_recall: 1 });
});

test('recall: 1 hit in 20 correspondences (exactly 5 %) is 0; 1 in 19 is 1', async () => {
  await useBackend('cpu');
  for (const [n, recall] of [
    [20, 0],
    [19, 1],
  ]) {
    // points 1 m apart; source k's feature is ref (k + 1)'s, except source 0 (its own)
    const ref = Float32Array.from({ length: n * 3 }, (_, i) => (i % 3 === 0 ? i / 3 : 0));
    const cols = Array.from({ length: n }, (_, k) => (k === 0 ? 0 : (k + 1) % n || 1));
    const res = featureMatch(ref, ref, oneHot(cols, n), oneHot([...Array(n).keys()], n));
    assert.deepEqual(res, { pairs: n, hit_ratio: 1 / n, feature_match_recall: recall }, `${n} points`);
  }
});

test('2,500 queries (more than one 2,048-row chunk): hits exactly where the features say', async () => {
  await useBackend('cpu');
  const n = 2500;
  const d = 8;
  const r = rng(17);
  // a 50 × 50 grid, 20 cm apart: only a point itself is within the hit radius
  const pos = Float32Array.from({ length: n * 3 }, (_, i) =>
    i % 3 === 0 ? 0.2 * Math.floor(i / 3 / 50) : i % 3 === 1 ? 0.2 * (((i / 3) % 50) | 0) : 0,
  );
  const refRows = Array.from({ length: n }, () => Array.from({ length: d }, () => r() - 0.5));
  // every 4th source point carries the next point's feature (a miss), the others their own
  const srcRows = refRows.map((row, i) => (i % 4 === 0 ? refRows[(i + 1) % n] : row));
  const res = featureMatch(pos, pos, tf.tensor2d(srcRows), tf.tensor2d(refRows));
  assert.deepEqual(res, { pairs: n, hit_ratio: (n - n / 4) / n, feature_match_recall: 1 });
});
