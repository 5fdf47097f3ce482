/**
 * Res16UNet family: the output width's share of the parameters, forward shapes and L2
 * normalisation, and the tensor count stays flat across 20 forward+backward+update steps (no
 * leak) on wasm and cpu.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { Params } from '../../src/models/params.js';
import { Res16UNet, type UNetOptions } from '../../src/models/res16unet.js';
import { BACKBONES } from '../../src/models/registry.js';
import { SparseTensor } from '../../src/sparse/sparse-tensor.js';
import { TEST_BACKENDS, rng, useBackend } from '../helpers/backends.js';

const OPTS: UNetOptions = {
  inChannels: 3,
  outChannels: 32,
  stemKernel: 3,
  bnMomentum: 0.05,
  blockBnMomentum: 0.1,
  normalize: true,
};

function count(name: keyof typeof BACKBONES, out: number): number {
  const p = new Params({ allocate: false });
  new Res16UNet(p, BACKBONES[name], { ...OPTS, outChannels: out });
  return p.count();
}

// exact per-layer shapes and totals against MinkowskiEngine: res16unet-reference.test.ts
test('the output width only changes the final layer; narrower variants are smaller', () => {
  assert.equal(count('Res16UNet34C', 32) - count('Res16UNet34C', 20), 12 * 96 + 12);
  assert.ok(count('Res16UNet14A-w4', 20) < count('Res16UNet14A-w2', 20));
});

function cloud(seed: number, batch: number, n: number): Int32Array {
  const r = rng(seed);
  const seen = new Set<number>();
  const rows: number[] = [];
  while (rows.length < batch * n * 4) {
    const b = Math.floor((rows.length / 4 / n) % batch);
    const x = Math.floor(r() * 20);
    const y = Math.floor(r() * 20);
    const z = Math.floor(r() * 6);
    const key = ((b * 32 + x) * 32 + y) * 32 + z;
    if (!seen.has(key)) {
      seen.add(key);
      rows.push(b, x, y, z);
    }
  }
  return new Int32Array(rows);
}

for (const backend of TEST_BACKENDS) {
  test(`forward shapes, unit-norm output and flat tensor count over 20 training steps (${backend})`, async () => {
    await useBackend(backend);
    const p = new Params({ seed: 3 });
    const net = new Res16UNet(p, BACKBONES['Res16UNet14A-w4'], OPTS);
    const coords = cloud(1, 2, 300);
    const opt = tf.train.momentum(0.05, 0.9);
    let after1 = 0;
    let first = 0;
    let last = 0;
    for (let step = 0; step < 20; step++) {
      const x = SparseTensor.fromCoords(
        coords,
        tf.randomUniform([600, 3], -1, 1, 'float32', step) as tf.Tensor2D,
      );
      const target = tf.randomUniform([600, 32], -0.2, 0.2, 'float32', 99);
      const loss = opt.minimize(() => {
        const y = net.forward(x, { training: true });
        if (step === 0) {
          assert.deepEqual(y.features.shape, [600, 32]);
          const norms = tf.norm(y.features, 'euclidean', 1).dataSync();
          assert.ok(norms.every((v) => Math.abs(v - 1) < 1e-4));
        }
        return tf.mean(tf.square(tf.sub(y.features, target))) as tf.Scalar;
      }, true)!;
      const l = loss.dataSync()[0];
      if (step === 0) first = l;
      last = l;
      tf.dispose([loss, x.features, target]);
      if (step === 0) after1 = tf.memory().numTensors;
    }
    assert.equal(tf.memory().numTensors, after1, 'tensor count grew across training steps');
    assert.ok(last < first, `loss did not decrease: ${first} → ${last}`);
    opt.dispose();
    p.dispose();
  });
}
