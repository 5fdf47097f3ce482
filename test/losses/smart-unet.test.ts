/**
 * SMART on a Res16UNet inside one training step's gradient tape (how the trainer will run it):
 * the perturbation's inner gradient does not disturb the outer one (parameter gradients equal
 * those of the same loss with δ given), running statistics move exactly as for the main pass
 * alone, and no tensors leak across steps.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { Params } from '../../src/models/params.js';
import { Res16UNet } from '../../src/models/res16unet.js';
import { BACKBONES } from '../../src/models/registry.js';
import { smartPerturbation, symmetricKl } from '../../src/losses/smart.js';
import { SparseTensor } from '../../src/sparse/sparse-tensor.js';
import { assertClose, rng, useBackend } from '../helpers/backends.js';

const OPTS = {
  inChannels: 3,
  outChannels: 4,
  stemKernel: 3,
  bnMomentum: 0.02,
  blockBnMomentum: 0.1,
  normalize: false,
};

function coords(seed: number, n: number): Int32Array {
  const r = rng(seed);
  const seen = new Set<number>();
  const out = new Int32Array(n * 4);
  for (let i = 0; i < n;) {
    const c = [Math.floor(r() * 12), Math.floor(r() * 12), Math.floor(r() * 5)];
    const key = (c[0] * 16 + c[1]) * 16 + c[2];
    if (seen.has(key)) continue;
    seen.add(key);
    out.set([0, ...c], i++ * 4);
  }
  return out;
}

const stats = (p: Params) =>
  p
    .entries()
    .filter(([n]) => n.includes('.moving_'))
    .flatMap(([, v]) => Array.from(v.dataSync()));

test('SMART smoothness term inside variableGrads on a Res16UNet', async () => {
  await useBackend('wasm');
  const n = 160;
  const make = () => new Res16UNet(new Params({ seed: 3 }), BACKBONES['Res16UNet14A-w4'], OPTS);
  const net = make();
  const ref = make();
  const x = SparseTensor.fromCoords(
    coords(1, n),
    tf.randomUniform([n, 3], -1, 1, 'float32', 2) as tf.Tensor2D,
  );
  const c = net.spec.initDim;
  const opts = { sigma: 1e-3, stepSize: 1e-2, epsilon: 0.3, steps: 1, seed: 7 };
  let delta: tf.Tensor2D | undefined;
  let after = 0;
  for (let step = 0; step < 3; step++) {
    const { value, grads } = tf.variableGrads(() => {
      const clean = net.forward(x, { training: true }).features;
      const logitsOf = (d: tf.Tensor2D) =>
        net.forward(x, { training: true, updateStats: false, stemDelta: d }).features;
      const d = smartPerturbation(logitsOf, clean, n, c, { ...opts, seed: step });
      if (step === 0) delta = tf.keep(tf.clone(d));
      return symmetricKl(logitsOf(d), clean);
    }, net.params.trainable());
    if (step === 0) {
      // Reference: the same loss with δ given, on an identical network (one main pass).
      const r = tf.variableGrads(
        () =>
          symmetricKl(
            ref.forward(x, { training: true, updateStats: false, stemDelta: delta }).features,
            ref.forward(x, { training: true }).features,
          ),
        ref.params.trainable(),
      );
      assert.ok(
        Math.abs(r.value.dataSync()[0] - value.dataSync()[0]) <=
          1e-6 * Math.max(1, Math.abs(value.dataSync()[0])),
      );
      assert.ok(value.dataSync()[0] > 0);
      const a = net.params.trainable().flatMap((v) => Array.from(grads[v.name].dataSync()));
      const b = ref.params.trainable().flatMap((v) => Array.from(r.grads[v.name].dataSync()));
      assert.ok(a.some((v) => v !== 0));
      assertClose(a, b, 1e-4, 'parameter gradients');
      assert.deepEqual(stats(net.params), stats(ref.params), 'running statistics moved as by one pass');
      tf.dispose([r.value, ...Object.values(r.grads)]);
    }
    tf.dispose([value, ...Object.values(grads)]);
    if (step === 1) after = tf.memory().numTensors;
  }
  assert.equal(tf.memory().numTensors, after, 'tensor count grew across steps');
  tf.dispose([x.features, delta!]);
  net.params.dispose();
  ref.params.dispose();
});
