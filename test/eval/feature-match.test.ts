/**
 * Feature-match recall on hand-made fragments: features that identify points give hit ratio 1;
 * features that swap distant points give 0; correspondences follow the 3.75 cm radius.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { featureMatch } from '../../src/eval/feature-match.js';
import { useBackend } from '../helpers/backends.js';

test('hit ratio and recall on a hand-made pair', async () => {
  await useBackend('cpu');
  // ref: 4 points 1 m apart; src: the same points shifted 2 cm, plus one point far from all
  const ref = new Float32Array([0, 0, 0, 1, 0, 0, 2, 0, 0, 3, 0, 0]);
  const src = new Float32Array([0.02, 0, 0, 1.02, 0, 0, 2.02, 0, 0, 3.02, 0, 0, 9, 9, 9]);
  const eye = tf.eye(4) as tf.Tensor2D;
  const good = featureMatch(
    src,
    ref,
    tf.concat([eye, tf.tensor2d([[0.5, 0.5, 0.5, 0.5]])]) as tf.Tensor2D,
    eye,
  );
  assert.deepEqual(good, { pairs: 4, hit_ratio: 1, feature_match_recall: 1 });
  const swapped = tf.tensor2d([
    [0, 1, 0, 0],
    [1, 0, 0, 0],
    [0, 0, 0, 1],
    [0, 0, 1, 0],
    [1, 0, 0, 0],
  ]);
  assert.deepEqual(featureMatch(src, ref, swapped, eye), { pairs: 4, hit_ratio: 0, feature_match_recall: 0 });
  const far = new Float32Array([0.05, 0, 0, 1.05, 0, 0, 2.05, 0, 0, 3.05, 0, 0, 9, 9, 9]);
  assert.equal(featureMatch(far, ref, swapped, eye).pairs, 0);
});
