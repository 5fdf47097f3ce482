/**
 * On the multi-threaded wasm backend the fused conv kernels split over worker threads (by
 * output rows, and by offsets for the weight gradient); results and gradients must equal the
 * tf-ops path on cpu for maps large enough to be split.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend/select.js';
import { parallelConv } from '../../src/backend/parallel.js';
import { CoordSet } from '../../src/sparse/coord-set.js';
import { CoordinateManager } from '../../src/sparse/coordinate-manager.js';
import { sparseConvOp } from '../../src/sparse/conv-op.js';
import { assertClose, randomBatchCoords, rng } from '../helpers/backends.js';
import { requirement } from '../helpers/requires.js';

test('threaded fused conv equals the cpu tf-ops path (forward, dF, dW; submanifold, down, up)', async (t) => {
  const info = await initBackend({ backend: 'wasm', threads: 2 });
  const missing = requirement(
    info.threads >= 2 && parallelConv() !== undefined,
    `wasm threads unavailable here (${info.threads} thread(s)): nothing to compare`,
  );
  if (missing) {
    t.skip(missing);
    return;
  }
  for (let i = 0; i < 200 && !parallelConv()!.ready; i++) await new Promise((res) => setTimeout(res, 50));
  assert.ok(parallelConv()!.ready, 'conv worker threads did not start');
  const r = rng(9);
  const mgr = new CoordinateManager(CoordSet.fromBatchCoords(randomBatchCoords(r)));
  const cases = [
    { map: mgr.subMap(1), cin: 8, cout: 16 },
    { map: mgr.downMap(1), cin: 16, cout: 8 },
    { map: mgr.upMap(1), cin: 12, cout: 8 },
  ];
  for (const [i, c] of cases.entries()) {
    const f = Float32Array.from({ length: c.map.nIn * c.cin }, () => r() - 0.5);
    const w = Float32Array.from({ length: c.map.volume * c.cin * c.cout }, () => r() - 0.5);
    const g = Float32Array.from({ length: c.map.nOut * c.cout }, () => r() - 0.5);
    const run = (generic: boolean) =>
      tf.tidy(() => {
        const ft = tf.tensor2d(f, [c.map.nIn, c.cin]);
        const wt = tf.tensor3d(w, [c.map.volume, c.cin, c.cout]);
        const out = sparseConvOp(ft, wt, c.map, { generic }).dataSync();
        const grads = tf
          .grads((a: tf.Tensor, b: tf.Tensor) =>
            tf.sum(
              tf.mul(
                sparseConvOp(a as tf.Tensor2D, b as tf.Tensor3D, c.map, { generic }),
                tf.tensor2d(g, [c.map.nOut, c.cout]),
              ),
            ),
          )([ft, wt])
          .map((t) => t.dataSync());
        return { out, grads };
      });
    const threaded = run(false);
    await tf.setBackend('cpu');
    const reference = run(true);
    await tf.setBackend('wasm');
    assertClose(threaded.out, reference.out, 1e-4, `case ${i} forward`);
    assertClose(threaded.grads[0], reference.grads[0], 1e-4, `case ${i} dF`);
    assertClose(threaded.grads[1], reference.grads[1], 1e-4, `case ${i} dW`);
  }
});
