/**
 * The non-conv sparse ops against hand-computed or brute-force results: batch norm (training
 * statistics, running averages, eval mode), concat, global pooling per batch item, projection
 * onto points (and its scatter-add gradient), 1×1 linear via matMul2d (gradients vs tf.matMul).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { TEST_BACKENDS, assertClose, useBackend } from '../helpers/backends.js';
import { SparseTensor } from '../../src/sparse/sparse-tensor.js';
import { batchNorm, concat, globalAvgPool, globalMaxPool, linear, toPoints } from '../../src/sparse/ops.js';
import { gatherRows } from '../../src/sparse/gather-op.js';
import { matMul2d } from '../../src/sparse/matmul.js';

const COORDS = new Int32Array([0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 1, 5, 5, 5, 1, 5, 6, 5]);
const FEATS = [
  [1, 10],
  [2, 20],
  [3, 60],
  [-4, 0],
  [8, 10],
];

for (const backend of TEST_BACKENDS) {
  test(`batch norm over active sites, running statistics and eval mode (${backend})`, async () => {
    await useBackend(backend);
    const x = SparseTensor.fromCoords(COORDS, tf.tensor2d(FEATS));
    const state = {
      movingMean: tf.variable(tf.zeros([2])) as tf.Variable<tf.Rank.R1>,
      movingVariance: tf.variable(tf.ones([2])) as tf.Variable<tf.Rank.R1>,
    };
    const gamma = tf.tensor1d([2, 1]);
    const beta = tf.tensor1d([0, 1]);
    const y = batchNorm(x, gamma, beta, state, {
      training: true,
      momentum: 0.9,
      epsilon: 0,
    }).features.arraySync();
    // column 0: mean 2, biased var (1+0+1+36+36)/5 = 14.8
    const m0 = 2;
    const v0 = 14.8;
    FEATS.forEach((r, i) => assert.ok(Math.abs(y[i][0] - (2 * (r[0] - m0)) / Math.sqrt(v0)) < 1e-5));
    // running: 0.9·0 + 0.1·mean; 0.9·1 + 0.1·unbiased var (14.8·5/4 = 18.5)
    assertClose(state.movingMean.dataSync(), [0.2, 2], 1e-6, 'moving mean');
    assertClose(state.movingVariance.dataSync(), [0.9 + 1.85, 0.9 + 0.1 * 550], 1e-6, 'moving variance');
    const e = batchNorm(x, gamma, beta, state, {
      training: false,
      momentum: 0.9,
      epsilon: 0,
    }).features.arraySync();
    assert.ok(Math.abs(e[0][0] - (2 * (1 - 0.2)) / Math.sqrt(2.75)) < 1e-5);
  });

  test(`concat, pooling per batch item, projection onto points (${backend})`, async () => {
    await useBackend(backend);
    const x = SparseTensor.fromCoords(COORDS, tf.tensor2d(FEATS));
    const c = concat([x, x.withFeatures(tf.mul(x.features, 2) as tf.Tensor2D)]);
    assert.deepEqual(c.features.arraySync()[2], [3, 60, 6, 120]);
    assert.throws(() => concat([x, SparseTensor.fromCoords(COORDS, tf.tensor2d(FEATS))]), /same coordinates/);
    assertClose(globalAvgPool(x).dataSync(), [2, 30, 2, 5], 1e-6, 'avg pool');
    assertClose(globalMaxPool(x).dataSync(), [3, 60, 8, 10], 1e-6, 'max pool');
    const inverse = new Int32Array([4, 0, 0, 2]);
    assert.deepEqual(toPoints(x, inverse).arraySync(), [
      [8, 10],
      [1, 10],
      [1, 10],
      [3, 60],
    ]);
    // gradient of a row gather = scatter-add of the upstream rows
    const g = tf.grad((f: tf.Tensor) =>
      tf.sum(
        tf.mul(
          gatherRows(f as tf.Tensor2D, inverse),
          tf.tensor2d([
            [1, 2],
            [3, 4],
            [5, 6],
            [7, 8],
          ]),
        ),
      ),
    )(x.features);
    assert.deepEqual(g.arraySync(), [
      [8, 10],
      [0, 0],
      [7, 8],
      [0, 0],
      [1, 2],
    ]);
    assert.throws(() => gatherRows(x.features, new Int32Array([5])), /index 5 at 0 outside/);
  });

  test(`linear / matMul2d equals tf.matMul with gradients (${backend})`, async () => {
    await useBackend(backend);
    const a = tf.randomNormal([7, 5], 0, 1, 'float32', 1) as tf.Tensor2D;
    const b = tf.randomNormal([5, 3], 0, 1, 'float32', 2) as tf.Tensor2D;
    const r = tf.randomNormal([7, 3], 0, 1, 'float32', 3);
    const loss = (f: typeof matMul2d) => (p: tf.Tensor, q: tf.Tensor) =>
      tf.sum(tf.mul(f(p as tf.Tensor2D, q as tf.Tensor2D), r));
    const [ga, gb] = tf.grads(loss(matMul2d))([a, b]);
    const [ga2, gb2] = tf.grads(loss((p, q) => tf.matMul(p, q)))([a, b]);
    assertClose(ga.dataSync(), ga2.dataSync(), 1e-5, 'dA');
    assertClose(gb.dataSync(), gb2.dataSync(), 1e-5, 'dB');
    const x = SparseTensor.fromCoords(COORDS, tf.tensor2d(FEATS));
    const y = linear(x, tf.tensor2d([[1], [0.5]]), tf.tensor1d([-1])).features.dataSync();
    assertClose(y, [5, 11, 32, -5, 12], 1e-6, 'linear');
  });
}
