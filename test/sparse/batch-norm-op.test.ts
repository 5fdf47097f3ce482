/**
 * The fused batch-norm(+ReLU) op equals the tf-ops composition: outputs, batch statistics and
 * gradients w.r.t. x, γ and β, with and without ReLU, on wasm (SIMD kernels for C % 4 = 0, JS
 * loops otherwise) and cpu.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { batchNormTrain, type BatchStats } from '../../src/sparse/batch-norm-op.js';
import { TEST_BACKENDS, assertClose, useBackend } from '../helpers/backends.js';

for (const backend of TEST_BACKENDS) {
  test(`fused batch norm equals the tf-ops version (${backend})`, async () => {
    await useBackend(backend);
    for (const [relu, c] of [
      [false, 7],
      [true, 7],
      [false, 8],
      [true, 16],
    ] as const) {
      tf.tidy(() => {
        const x = tf.randomNormal([257, c], 1.5, 2, 'float32', 3) as tf.Tensor2D;
        const g = tf.randomUniform([c], 0.5, 1.5, 'float32', 4) as tf.Tensor1D;
        const b = tf.randomUniform([c], -1, 1, 'float32', 5) as tf.Tensor1D;
        const r = tf.randomNormal([257, c], 0, 1, 'float32', 6);
        const run = (generic: boolean) => {
          let s: BatchStats | undefined;
          const f = (xx: tf.Tensor, gg: tf.Tensor, bb: tf.Tensor) =>
            tf.sum(
              tf.mul(
                batchNormTrain(
                  xx as tf.Tensor2D,
                  gg as tf.Tensor1D,
                  bb as tf.Tensor1D,
                  1e-5,
                  relu,
                  (st) => (s = st),
                  { generic },
                ),
                r,
              ),
            );
          const y = batchNormTrain(x, g, b, 1e-5, relu, () => {}, { generic }).dataSync();
          const grads = tf
            .grads(f)([x, g, b])
            .map((t) => t.dataSync());
          return { y, grads, s: s! };
        };
        const fast = run(false);
        const ref = run(true);
        assertClose(fast.y, ref.y, 1e-5, `c=${c} relu=${relu} forward`);
        assertClose(fast.s.mean, ref.s.mean, 1e-5, 'mean');
        assertClose(fast.s.variance, ref.s.variance, 1e-5, 'variance');
        ['dx', 'dγ', 'dβ'].forEach((name, i) =>
          assertClose(fast.grads[i], ref.grads[i], 1e-4, `c=${c} relu=${relu} ${name}`),
        );
        if (relu) assert.ok(fast.y.every((v) => v >= 0));
      });
    }
  });
}
