/**
 * The segmentation loss by hand (plain, class-weighted, ignored and out-of-range labels, a batch
 * with no labelled voxel) and predictScene's test-time augmentation against the average of
 * explicit runs on the turned and scaled clouds.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { segmentationLoss } from '../../../src/tasks/segment/task.js';
import { predictScene } from '../../../src/tasks/segment/infer.js';
import { architectureSchema, buildNetwork } from '../../../src/models/build.js';
import { rng, useBackend } from '../../helpers/backends.js';

test('segmentationLoss: mean and class-weighted cross-entropy by hand; unlabelled rows left out', async () => {
  await useBackend('cpu');
  // logits = log of unnormalised probabilities, so softmax is read off by hand
  const logits = tf.log(
    tf.tensor2d([
      [1, 2, 3], // label 0: p = 1/6
      [1, 1, 2], // label 2: p = 1/2
      [5, 1, 1], // ignore label −1
      [2, 1, 1], // label 1: p = 1/4
      [1, 1, 1], // label 3 ≥ K: left out
    ]),
  ) as tf.Tensor2D;
  const labels = Int32Array.from([0, 2, -1, 1, 3]);
  const plain = segmentationLoss(logits, labels, null).dataSync()[0];
  assert.ok(Math.abs(plain - (Math.log(6) + Math.log(2) + Math.log(4)) / 3) < 1e-6, `${plain}`);
  // weights by class: rows of classes 0, 2, 1 weigh 1, 0.5, 2
  const weighted = segmentationLoss(logits, labels, [1, 2, 0.5]).dataSync()[0];
  const want = (1 * Math.log(6) + 0.5 * Math.log(2) + 2 * Math.log(4)) / (1 + 0.5 + 2);
  assert.ok(Math.abs(weighted - want) < 1e-6, `${weighted} vs ${want}`);
});

test("segmentationLoss softmax 'present': the softmax over the batch's labelled classes by hand; absent classes get no gradient", async () => {
  await useBackend('cpu');
  // 4 classes; the batch labels classes 0 and 2 only, so columns 1 and 3 drop out of the softmax
  const raw = [
    [1, 5, 3, 7], // label 0: p = 1/(1+3) over {0, 2}
    [2, 9, 2, 9], // label 2: p = 1/2
    [4, 4, 4, 4], // ignore label: left out
  ];
  const logits = tf.log(tf.tensor2d(raw)) as tf.Tensor2D;
  const labels = Int32Array.from([0, 2, -1]);
  const { value, grads } = tf.valueAndGrads((l: tf.Tensor) =>
    segmentationLoss(l as tf.Tensor2D, labels, null, 'present'),
  )([logits]);
  const want = (Math.log(4) + Math.log(2)) / 2;
  assert.ok(Math.abs(value.dataSync()[0] - want) < 1e-6, `${value.dataSync()[0]} vs ${want}`);
  const g = grads[0].arraySync() as number[][];
  for (const row of g) {
    assert.ok(Math.abs(row[1]) < 1e-9 && Math.abs(row[3]) < 1e-9, `absent-class gradient ${row}`);
  }
  // d/dz of −log softmax over {0, 2}, averaged over the 2 labelled rows: row 0 (p0 = 1/4): (p0 − 1)/2, p2/2
  assert.ok(Math.abs(g[0][0] - (0.25 - 1) / 2) < 1e-6 && Math.abs(g[0][2] - 0.75 / 2) < 1e-6, `${g[0]}`);
  // the plain loss differs (all four classes in the softmax): the mode is not a no-op
  const all = segmentationLoss(logits, labels, null).dataSync()[0];
  assert.ok(Math.abs(all - (Math.log(16) + Math.log(22 / 2)) / 2) < 1e-5, `${all}`);
});

test('segmentationLoss: a batch with no labelled voxel is 0 with zero (finite) gradients', async () => {
  await useBackend('cpu');
  const logits = tf.tensor2d([
    [0.3, -2, 1],
    [4, 0, 0],
  ]);
  const labels = Int32Array.from([-1, 7]);
  for (const w of [null, [1, 2, 3]]) {
    const { value, grads } = tf.valueAndGrads((l: tf.Tensor) =>
      segmentationLoss(l as tf.Tensor2D, labels, w),
    )([logits]);
    assert.equal(value.dataSync()[0], 0);
    assert.deepEqual(Array.from(grads[0].dataSync()), [0, 0, 0, 0, 0, 0]);
  }
});

test('predictScene with tta = the per-point average of explicit runs on the turned and scaled clouds', async () => {
  await useBackend('wasm');
  const net = buildNetwork(
    architectureSchema.parse({ backbone: 'Res16UNet14A-w4', inChannels: 3, outChannels: 2 }),
    5,
  );
  const r = rng(8);
  const n = 400;
  const positions = Float32Array.from({ length: n * 3 }, (_, i) => (i % 3 === 2 ? 0.8 : 2.4) * r() + 0.3);
  const o = { voxelSize: 0.1, features: 'ones' as const, numClasses: 2 };
  const tta = { rotations: 3, scales: [1, 1.25] };
  const got = predictScene(net, { positions }, { ...o, tta });

  // the turns are about the vertical through the xy centroid; a scale s multiplies x, y about it and z
  let cx = 0;
  let cy = 0;
  for (let i = 0; i < n; i++) {
    cx += positions[i * 3] / n;
    cy += positions[i * 3 + 1] / n;
  }
  // two classes: a run's confidence c for its label gives the point's whole distribution
  const sum = new Float64Array(n * 2);
  for (let k = 0; k < tta.rotations; k++) {
    for (const s of tta.scales) {
      const a = (2 * Math.PI * k) / tta.rotations;
      const moved = new Float32Array(n * 3);
      for (let i = 0; i < n; i++) {
        const x = positions[i * 3] - cx;
        const y = positions[i * 3 + 1] - cy;
        moved[i * 3] = s * (Math.cos(a) * x - Math.sin(a) * y) + cx;
        moved[i * 3 + 1] = s * (Math.sin(a) * x + Math.cos(a) * y) + cy;
        moved[i * 3 + 2] = s * positions[i * 3 + 2];
      }
      const run = predictScene(net, { positions: k === 0 && s === 1 ? positions : moved }, o);
      for (let i = 0; i < n; i++) {
        sum[i * 2 + run.pred[i]] += run.confidence[i];
        sum[i * 2 + 1 - run.pred[i]] += 1 - run.confidence[i];
      }
    }
  }
  const passes = tta.rotations * tta.scales.length;
  let changed = 0;
  const plain = predictScene(net, { positions }, o);
  for (let i = 0; i < n; i++) {
    const best = sum[i * 2 + 1] > sum[i * 2] ? 1 : 0;
    assert.equal(got.pred[i], best, `point ${i}: label`);
    assert.ok(Math.abs(got.confidence[i] - sum[i * 2 + best] / passes) < 1e-5, `point ${i}: confidence`);
    if (got.pred[i] !== plain.pred[i] || Math.abs(got.confidence[i] - plain.confidence[i]) > 1e-3) changed++;
  }
  assert.ok(changed > n / 2, `the augmentation changes most points' figures (${changed})`);
  // voxel predictions stay those of the plain pass
  assert.deepEqual(got.voxelPred, plain.voxelPred);
  net.params.dispose();
});
