/**
 * The pre-training fast paths (direct log-sum-exp gradient, copy-free wasm Identity, sorted-merge
 * kernel maps, two-pair conv kernels) do not change training: 20 PointInfoNCE steps of a Res16UNet on two views give
 * the same loss curve with them off (the earlier code paths) and on, in the same process, and
 * each fast path is checked to be the one that ran.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { architectureSchema, buildNetwork } from '../../src/models/build.js';
import { SparseTensor } from '../../src/sparse/sparse-tensor.js';
import { CoordinateManager } from '../../src/sparse/coordinate-manager.js';
import { CoordSet } from '../../src/sparse/coord-set.js';
import { infoNCEOnMatches } from '../../src/losses/point-info-nce.js';
import { logSumExpRows } from '../../src/losses/log-sum-exp.js';
import { setFastPaths } from '../../src/bench/fast-paths.js';
import {
  DEFAULT_BLOCKING,
  ONE_PAIR_BLOCKING,
  convBlocking,
} from '../../src/backend/wasm-kernels/conv-kernels.js';
import { rng, useBackend } from '../helpers/backends.js';

/** Two views of 2 scenes stacked as pre-training does (view-1 items get batch b + 2), shuffled rows. */
function views(seed: number, perItem: number): { coords: Int32Array; n0: number } {
  const r = rng(seed);
  const rows: number[][] = [];
  for (let b = 0; b < 2; b++) {
    const seen = new Set<number>();
    while (seen.size < perItem) {
      const c = [Math.floor(r() * 24), Math.floor(r() * 24), Math.floor(r() * 8)];
      const key = (c[0] * 32 + c[1]) * 32 + c[2];
      if (seen.has(key)) continue;
      seen.add(key);
      rows.push([b, ...c]);
    }
  }
  // view 1: the same voxels shifted by (1, 2, 0), in another row order
  const v1 = rows.map(([b, x, y, z]) => [b + 2, x + 1, y + 2, z]).reverse();
  return { coords: new Int32Array([...rows, ...v1].flat()), n0: rows.length };
}

/** Loss of each of 20 SGD steps (momentum-free, lr 0.05) from the same initialisation. */
function lossCurve(fast: boolean): number[] {
  setFastPaths(fast);
  const net = buildNetwork(
    architectureSchema.parse({
      backbone: 'Res16UNet14A-w4',
      inChannels: 1,
      outChannels: 16,
      normalize: true,
    }),
    7,
  );
  const { coords, n0 } = views(11, 250);
  const n = coords.length / 4;
  const r = rng(5);
  const curve: number[] = [];
  let tensors = 0;
  for (let step = 0; step < 20; step++) {
    // 256 matches: view-0 row i ↔ its copy in view 1 (rows reversed)
    const q = Int32Array.from({ length: 256 }, () => Math.floor(r() * n0));
    const k = q.map((i) => n0 - 1 - i);
    const mgr = new CoordinateManager(new CoordSet(coords, 1, 4));
    const x = new SparseTensor(tf.ones([n, 1]), mgr);
    const { value, grads } = tf.variableGrads(() => {
      const f = net.forward(x, { training: true }).features;
      const f0 = tf.slice(f, [0, 0], [n0, -1]) as tf.Tensor2D;
      const f1 = tf.slice(f, [n0, 0], [n - n0, -1]) as tf.Tensor2D;
      return infoNCEOnMatches(f0, f1, { q, k }, 0.4).loss;
    });
    curve.push(value.dataSync()[0]);
    tf.tidy(() => {
      for (const [name, g] of Object.entries(grads)) {
        const v = net.params.entries().find(([, p]) => p.name === name)?.[1];
        assert.ok(v, `gradient for unknown variable ${name}`);
        v.assign(tf.sub(v, tf.mul(g, 0.05)));
      }
    });
    tf.dispose([value, ...Object.values(grads), x.features]);
    if (step === 0) tensors = tf.memory().numTensors;
  }
  assert.equal(tf.memory().numTensors, tensors, 'tensor count grew across steps');
  net.params.dispose();
  return curve;
}

test('the loss curve over 20 steps is the same with the fast paths off and on (wasm)', async () => {
  await useBackend('wasm');
  try {
    const before = lossCurve(false);
    const after = lossCurve(true);
    assert.ok(before[19] < before[0] - 0.05, `training moves the loss: ${before[0]} → ${before[19]}`);
    for (let s = 0; s < 20; s++) {
      const rel = Math.abs(after[s] - before[s]) / Math.abs(before[s]);
      // the fast paths are bit-identical today (0); the bound leaves room for reordered sums
      assert.ok(rel <= 1e-6, `step ${s}: loss ${after[s]} (fast) vs ${before[s]} (earlier path), rel ${rel}`);
    }
  } finally {
    setFastPaths(true);
  }
});

test('each fast path is the one that runs when on', async () => {
  await useBackend('wasm');
  try {
    const x = tf.randomNormal([64, 64], 0, 3, 'float32', 1) as tf.Tensor2D;
    const kernelsOfGrad = async () =>
      (
        await tf.profile(() =>
          tf.dispose(tf.grad((a: tf.Tensor) => tf.sum(logSumExpRows(a as tf.Tensor2D)))(x)),
        )
      ).kernelNames;
    const cloneShares = () => {
      const c = tf.clone(x);
      const same = c.dataId === x.dataId;
      c.dispose();
      return same;
    };
    setFastPaths(false);
    assert.ok((await kernelsOfGrad()).includes('Equal'), 'autodiff of tf.logSumExp masks the max');
    assert.equal(cloneShares(), false);
    assert.deepEqual(convBlocking(), ONE_PAIR_BLOCKING);
    setFastPaths(true);
    assert.ok(!(await kernelsOfGrad()).includes('Equal'), 'the direct gradient has no mask');
    assert.equal(cloneShares(), true);
    assert.deepEqual(convBlocking(), DEFAULT_BLOCKING);
    assert.notDeepEqual(DEFAULT_BLOCKING, ONE_PAIR_BLOCKING);
    // the gradients agree: softmax of each row
    const want = tf.softmax(x).dataSync();
    const got = tf
      .grad((a: tf.Tensor) => tf.sum(logSumExpRows(a as tf.Tensor2D)))(x)
      .dataSync();
    for (let i = 0; i < want.length; i++) assert.ok(Math.abs(got[i] - want[i]) < 1e-6, `element ${i}`);
    x.dispose();
  } finally {
    setFastPaths(true);
  }
});
