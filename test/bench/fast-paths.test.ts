/**
 * The fast paths (direct log-sum-exp gradient, copy-free wasm Identity, sorted-merge kernel maps,
 * two-pair conv kernels) do not change training: 20 PointInfoNCE steps of a Res16UNet on two
 * views give the same loss curve with BASELINE_PATHS (the earlier code paths) and FAST_PATHS, in
 * the same process, and each path is checked to be the one that ran.
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
import { BASELINE_PATHS } from '../../src/bench/fast-paths.js';
import { FAST_PATHS, type CodePaths } from '../../src/sparse/code-paths.js';
import { registerIdentityKernel } from '../../src/backend/kernels/identity-wasm.js';
import { DEFAULT_BLOCKING, type ConvBlocking } from '../../src/backend/wasm-kernels/conv-kernels.js';
import { hostBackend, type FusedConv } from '../../src/sparse/host-backend.js';
import { conv } from '../../src/sparse/ops.js';
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
function lossCurve(paths: CodePaths): number[] {
  registerIdentityKernel(paths.sharedIdentity);
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
    const mgr = new CoordinateManager(new CoordSet(coords, 1, 4), paths);
    const x = new SparseTensor(tf.ones([n, 1]), mgr);
    const { value, grads } = tf.variableGrads(() => {
      const f = net.forward(x, { training: true }).features;
      const f0 = tf.slice(f, [0, 0], [n0, -1]) as tf.Tensor2D;
      const f1 = tf.slice(f, [n0, 0], [n - n0, -1]) as tf.Tensor2D;
      return infoNCEOnMatches(f0, f1, { q, k }, 0.4, paths).loss;
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
    const before = lossCurve(BASELINE_PATHS);
    const after = lossCurve(FAST_PATHS);
    assert.ok(before[19] < before[0] - 0.05, `training moves the loss: ${before[0]} → ${before[19]}`);
    for (let s = 0; s < 20; s++) {
      const rel = Math.abs(after[s] - before[s]) / Math.abs(before[s]);
      // the fast paths are bit-identical today (0); the bound leaves room for reordered sums
      assert.ok(rel <= 1e-6, `step ${s}: loss ${after[s]} (fast) vs ${before[s]} (earlier path), rel ${rel}`);
    }
  } finally {
    registerIdentityKernel(true);
  }
});

test('each code path of a CodePaths object is the one that runs', async () => {
  await useBackend('wasm');
  const fused = hostBackend()?.fused;
  assert.ok(fused, 'the wasm backend has the fused conv kernels');
  const kernels = fused.kernels;
  const blockings: ConvBlocking[] = [];
  (fused as { kernels: FusedConv['kernels'] }).kernels = (cin, cout, blocking) => {
    blockings.push(blocking);
    return kernels(cin, cout, blocking);
  };
  const x = tf.randomNormal([64, 64], 0, 3, 'float32', 1) as tf.Tensor2D;
  try {
    const kernelsOfGrad = async (paths: CodePaths) =>
      (
        await tf.profile(() =>
          tf.dispose(
            tf.grad((a: tf.Tensor) => tf.sum(logSumExpRows(a as tf.Tensor2D, paths.directLogSumExp)))(x),
          ),
        )
      ).kernelNames;
    const cloneShares = (paths: CodePaths) => {
      registerIdentityKernel(paths.sharedIdentity);
      const c = tf.clone(x);
      const same = c.dataId === x.dataId;
      c.dispose();
      return same;
    };
    /** The blocking of the fused kernels a conv on a manager with these paths builds. */
    const convBlocking = (paths: CodePaths) => {
      blockings.length = 0;
      const { coords } = views(3, 40);
      const mgr = new CoordinateManager(new CoordSet(coords, 1, 4), paths);
      const n = coords.length / 4;
      tf.tidy(() => void conv(new SparseTensor(tf.ones([n, 4]), mgr), tf.ones([27, 4, 8])));
      return blockings[0];
    };
    assert.ok(
      (await kernelsOfGrad(BASELINE_PATHS)).includes('Equal'),
      'autodiff of tf.logSumExp masks the max',
    );
    assert.equal(cloneShares(BASELINE_PATHS), false);
    assert.deepEqual(convBlocking(BASELINE_PATHS), { rows: 1, block: 8, unroll: 1 });
    assert.ok(!(await kernelsOfGrad(FAST_PATHS)).includes('Equal'), 'the direct gradient has no mask');
    assert.equal(cloneShares(FAST_PATHS), true);
    assert.deepEqual(convBlocking(FAST_PATHS), DEFAULT_BLOCKING);
    assert.notDeepEqual(DEFAULT_BLOCKING, BASELINE_PATHS.blocking);
    // the gradients agree: softmax of each row
    const want = tf.softmax(x).dataSync();
    const got = tf
      .grad((a: tf.Tensor) => tf.sum(logSumExpRows(a as tf.Tensor2D)))(x)
      .dataSync();
    for (let i = 0; i < want.length; i++) assert.ok(Math.abs(got[i] - want[i]) < 1e-6, `element ${i}`);
  } finally {
    (fused as { kernels: FusedConv['kernels'] }).kernels = kernels;
    registerIdentityKernel(true);
    x.dispose();
  }
});
