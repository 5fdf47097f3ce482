/**
 * Training-state mechanics for SMART: a training-mode pass with updateStats false (the perturbed
 * pass, with a stem perturbation) leaves every BN running statistic unchanged while a normal pass
 * moves them; the perturbation enters after the stem; the EMA teacher follows θ̃ ← βθ̃ + (1−β)θ.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { Params } from '../../src/models/params.js';
import { BatchNorm } from '../../src/models/layers.js';
import { Res16UNet } from '../../src/models/res16unet.js';
import { BACKBONES } from '../../src/models/registry.js';
import { copyParams, emaUpdate } from '../../src/models/ema.js';
import { SparseTensor } from '../../src/sparse/sparse-tensor.js';
import { TEST_BACKENDS, rng, useBackend } from '../helpers/backends.js';

const OPTS = {
  inChannels: 3,
  outChannels: 5,
  stemKernel: 3,
  bnMomentum: 0.02,
  blockBnMomentum: 0.1,
  normalize: false,
};

function input(seed: number, n: number): SparseTensor {
  const r = rng(seed);
  const seen = new Set<number>();
  const rows: number[] = [];
  while (rows.length < n * 4) {
    const c = [Math.floor(r() * 12), Math.floor(r() * 12), Math.floor(r() * 5)];
    const key = (c[0] * 16 + c[1]) * 16 + c[2];
    if (!seen.has(key)) {
      seen.add(key);
      rows.push(0, ...c);
    }
  }
  return SparseTensor.fromCoords(
    new Int32Array(rows),
    tf.randomUniform([n, 3], -1, 1, 'float32', seed) as tf.Tensor2D,
  );
}

function runningStats(p: Params): number[] {
  return p
    .entries()
    .filter(([n]) => n.endsWith('.moving_mean') || n.endsWith('.moving_variance'))
    .flatMap(([, v]) => Array.from(v.dataSync()));
}

for (const backend of TEST_BACKENDS) {
  test(`updateStats: false keeps BN running statistics; a normal training pass moves them (${backend})`, async () => {
    await useBackend(backend);
    const p = new Params({ seed: 2 });
    const net = new Res16UNet(p, BACKBONES['Res16UNet14A-w4'], OPTS);
    const x = input(1, 200);
    const before = runningStats(p);
    const delta = tf.randomNormal([200, net.spec.initDim], 0, 0.5, 'float32', 3) as tf.Tensor2D;
    const perturbed = tf.tidy(() =>
      net.forward(x, { training: true, updateStats: false, stemDelta: delta }).features.dataSync(),
    );
    assert.deepEqual(runningStats(p), before, 'a no-update pass changed running statistics');
    // The perturbation is applied: same pass without it differs.
    const plain = tf.tidy(() => net.forward(x, { training: true, updateStats: false }).features.dataSync());
    assert.ok(plain.some((v, i) => Math.abs(v - perturbed[i]) > 1e-4));
    assert.deepEqual(runningStats(p), before);
    tf.tidy(() => net.forward(x, { training: true }).features);
    const after = runningStats(p);
    assert.ok(
      after.some((v, i) => v !== before[i]),
      'a training pass did not update running statistics',
    );
    // The layer alone: outputs of both settings are equal (batch statistics normalise both).
    const q = new Params();
    const bn = new BatchNorm(q, 'bn', 3, 0.1);
    const a = tf.tidy(() => bn.apply(x, { training: true, updateStats: false }).features.dataSync());
    assert.deepEqual(Array.from(bn.movingMean.dataSync()), [0, 0, 0]);
    const b = tf.tidy(() => bn.apply(x, { training: true }).features.dataSync());
    assert.deepEqual(Array.from(a), Array.from(b));
    assert.ok(bn.movingMean.dataSync().some((v) => v !== 0));
    tf.dispose([x.features, delta]);
    p.dispose();
    q.dispose();
  });
}

test('observe hook sees every BN output by layer name', async () => {
  await useBackend('cpu');
  const p = new Params({ seed: 2 });
  const net = new Res16UNet(p, BACKBONES['Res16UNet14A-w4'], OPTS);
  const x = input(4, 150);
  const seen = new Map<string, number[]>();
  tf.tidy(() => net.forward(x, { training: false, observe: (n, f) => seen.set(n, f.shape) }).features);
  const bns = p.specs.filter((s) => s.name.endsWith('.gamma')).map((s) => s.name.slice(0, -'.gamma'.length));
  assert.deepEqual([...seen.keys()].sort(), bns.sort());
  assert.deepEqual(seen.get('bn0'), [150, net.spec.initDim]);
  tf.dispose(x.features);
  p.dispose();
});

test('bnMomentum 1/(k+1) makes the running statistics the average of the passes, by hand', async () => {
  await useBackend('cpu');
  const q = new Params();
  const bn = new BatchNorm(q, 'bn', 1, 0.1);
  const pass = (values: number[], k: number) => {
    const n = values.length;
    const coords = new Int32Array(n * 4);
    for (let i = 0; i < n; i++) coords[i * 4 + 1] = i;
    const x = SparseTensor.fromCoords(coords, tf.tensor2d(values, [n, 1]));
    tf.tidy(() => bn.apply(x, { training: true, bnMomentum: 1 / (k + 1) }).features);
    tf.dispose(x.features);
  };
  // batch 1: mean 2, unbiased variance 1 (1, 2, 3); batch 2: mean 6, unbiased variance 4 (4, 6, 8)
  pass([1, 2, 3], 0);
  assert.ok(Math.abs(bn.movingMean.dataSync()[0] - 2) < 1e-6, 'the first pass replaces the statistics');
  assert.ok(Math.abs(bn.movingVariance.dataSync()[0] - 1) < 1e-6);
  pass([4, 6, 8], 1);
  assert.ok(Math.abs(bn.movingMean.dataSync()[0] - 4) < 1e-6, `${bn.movingMean.dataSync()[0]}`);
  assert.ok(Math.abs(bn.movingVariance.dataSync()[0] - 2.5) < 1e-6, `${bn.movingVariance.dataSync()[0]}`);
  // without the override the layer's own momentum (0.1) applies: 0.9·4 + 0.1·2 = 3.8
  const coords = new Int32Array([0, 0, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0]);
  const x = SparseTensor.fromCoords(coords, tf.tensor2d([1, 2, 3], [3, 1]));
  tf.tidy(() => bn.apply(x, { training: true }).features);
  assert.ok(Math.abs(bn.movingMean.dataSync()[0] - 3.8) < 1e-6, `${bn.movingMean.dataSync()[0]}`);
  tf.dispose(x.features);
  q.dispose();
});

test('EMA teacher: θ̃ ← β·θ̃ + (1 − β)·θ, by hand', async () => {
  await useBackend('cpu');
  const s = new Params();
  const t = new Params();
  const sw = s.add('w', [2], { kind: 'const', value: 0 });
  const tw = t.add('w', [2], { kind: 'const', value: 5 });
  sw.assign(tf.tensor1d([1, -2]));
  copyParams(t, s);
  assert.deepEqual(Array.from(tw.dataSync()), [1, -2]);
  sw.assign(tf.tensor1d([3, 2]));
  emaUpdate(t, s, 0.9);
  // 0.9·(1, −2) + 0.1·(3, 2) = (1.2, −1.6)
  const a = tw.dataSync();
  assert.ok(Math.abs(a[0] - 1.2) < 1e-6 && Math.abs(a[1] + 1.6) < 1e-6, `${a[0]}, ${a[1]}`);
  emaUpdate(t, s, 0.5);
  // 0.5·(1.2, −1.6) + 0.5·(3, 2) = (2.1, 0.2)
  const b = tw.dataSync();
  assert.ok(Math.abs(b[0] - 2.1) < 1e-6 && Math.abs(b[1] - 0.2) < 1e-6, `${b[0]}, ${b[1]}`);
  assert.throws(() => emaUpdate(t, s, 1.5), /β/);
  const u = new Params();
  u.add('v', [2], { kind: 'const', value: 0 });
  assert.throws(() => emaUpdate(u, s, 0.5), /no parameter w/);
  s.dispose();
  t.dispose();
  u.dispose();
});
