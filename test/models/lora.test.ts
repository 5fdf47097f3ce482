/**
 * LoRA on sparse conv weights: at step 0 the adapted Res16UNet computes exactly the pre-trained
 * function; gradients reach A and B by the chain rule through W + (α/r)·A·B (dL/dA = G·Bᵀ·α/r,
 * dL/dB = α/r·Aᵀ·G with G = dL/dW, checked against the plain conv's weight gradient and by
 * finite differences); trainable-set sizes counted by hand on a tiny layer stack.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { Params } from '../../src/models/params.js';
import { BatchNorm, Conv, ConvDown, Linear } from '../../src/models/layers.js';
import { Res16UNet } from '../../src/models/res16unet.js';
import { BACKBONES } from '../../src/models/registry.js';
import { attachLora, countScalars, mergeLora, trainableSet } from '../../src/models/lora.js';
import { SparseTensor } from '../../src/sparse/sparse-tensor.js';
import { conv } from '../../src/sparse/ops.js';
import { assertClose, rng, useBackend } from '../helpers/backends.js';

function cloud(seed: number, n: number): Int32Array {
  const r = rng(seed);
  const seen = new Set<number>();
  const rows: number[] = [];
  while (rows.length < n * 4) {
    const x = Math.floor(r() * 12);
    const y = Math.floor(r() * 12);
    const z = Math.floor(r() * 5);
    const key = (x * 16 + y) * 16 + z;
    if (!seen.has(key)) {
      seen.add(key);
      rows.push(0, x, y, z);
    }
  }
  return new Int32Array(rows);
}

test('LoRA: the adapted Res16UNet equals the pre-trained network at step 0 (exactly)', async () => {
  await useBackend('wasm');
  const p = new Params({ seed: 5 });
  const net = new Res16UNet(p, BACKBONES['Res16UNet14A-w4'], {
    inChannels: 3,
    outChannels: 7,
    stemKernel: 3,
    bnMomentum: 0.02,
    blockBnMomentum: 0.1,
    normalize: false,
  });
  const coords = cloud(2, 250);
  const feats = tf.randomUniform([250, 3], -1, 1, 'float32', 4) as tf.Tensor2D;
  const x = SparseTensor.fromCoords(coords, feats);
  const run = () => {
    const t = tf.tidy(() => net.forward(x, { training: false }).features);
    const v = t.dataSync();
    t.dispose();
    return v;
  };
  const before = run();
  const adapters = attachLora(p, { rank: 4 });
  // stem, 4 down convs, 4 up convs, 8 blocks × 2 convs, 1×1 projections where widths change.
  assert.ok(adapters.length >= 25, `only ${adapters.length} adapters`);
  assert.ok(adapters.every((a) => !a.weight.startsWith('final.')));
  const after = run();
  const nt = tf.memory().numTensors;
  tf.tidy(() => {
    net.forward(x, { training: false });
  });
  assert.equal(tf.memory().numTensors, nt, 'the adapted forward leaks tensors');
  assert.deepEqual(Array.from(after), Array.from(before));
  // One gradient over the 'lora' set: at B = 0, dL/dA = G·Bᵀ·α/r is exactly zero and B moves
  // (inference-mode BN: a one-voxel coarse level would cut the gradient of a training-mode BN).
  const names = trainableSet(p, 'lora');
  const { value, grads } = tf.variableGrads(
    () => tf.mean(tf.square(net.forward(x, { training: false }).features)) as tf.Scalar,
    names.map((n) => p.get(n)),
  );
  assert.ok(adapters.every((a) => grads[a.a.name].dataSync().every((v) => v === 0)));
  assert.ok(adapters.every((a) => grads[a.b.name].dataSync().some((v) => v !== 0)));
  assert.ok(!(adapters[0].weight in grads) && Object.keys(grads).length === names.length);
  tf.dispose([value, ...Object.values(grads)]);
  // A non-zero B changes the function; merging folds it into W and restores B = 0.
  adapters[0].b.assign(tf.onesLike(adapters[0].b));
  const moved = run();
  assert.ok(moved.some((v, i) => v !== before[i]));
  mergeLora(p, adapters);
  const merged = run();
  assertClose(merged, moved, 1e-5, 'merged forward');
  tf.dispose(feats);
  p.dispose();
});

test('LoRA: gradients of A and B follow dL/dA = G·Bᵀ·α/r and dL/dB = α/r·Aᵀ·G', async () => {
  await useBackend('cpu');
  const p = new Params({ seed: 9 });
  const layer = new Conv(p, 'c', 3, 4, 3);
  const [ad] = attachLora(p, { rank: 2, alpha: 3 });
  const s = 3 / 2;
  ad.b.assign(tf.randomUniform([2, 4], -1, 1, 'float32', 1));
  const coords = cloud(3, 60);
  const feats = tf.randomUniform([60, 3], -1, 1, 'float32', 2) as tf.Tensor2D;
  const target = tf.randomUniform([60, 4], -1, 1, 'float32', 3);
  const x = SparseTensor.fromCoords(coords, feats);
  const lossOf = (y: tf.Tensor) => tf.sum(tf.mul(tf.square(y), target)) as tf.Scalar;
  const { grads } = tf.variableGrads(() => lossOf(layer.apply(x).features), [ad.a, ad.b]);
  const gA = grads[ad.a.name].dataSync();
  const gB = grads[ad.b.name].dataSync();
  // G: the gradient of the same loss with respect to the effective kernel, through the plain conv.
  const wEff = tf.tidy(() => p.effective('c.weight'));
  const g = tf.grad((w: tf.Tensor) => lossOf(conv(x, w as tf.Tensor3D, 3).features))(wEff);
  const G = tf.reshape(g, [27 * 3, 4]);
  const wantA = tf.mul(tf.matMul(G, ad.b, false, true), s).dataSync();
  const wantB = tf.mul(tf.matMul(ad.a, G, true, false), s).dataSync();
  assertClose(gA, wantA, 1e-4, 'dL/dA');
  assertClose(gB, wantB, 1e-4, 'dL/dB');
  // And one entry of A by central finite differences.
  const base = ad.a.dataSync().slice();
  const at = (delta: number) => {
    const v = base.slice();
    v[5] += delta;
    ad.a.assign(tf.tensor2d(v, [81, 2]));
    return tf.tidy(() => lossOf(layer.apply(x).features).dataSync()[0]);
  };
  const h = 1e-2;
  const fd = (at(h) - at(-h)) / (2 * h);
  assert.ok(Math.abs(fd - gA[5]) <= 2e-3 * Math.max(1, Math.abs(gA[5])), `FD ${fd} vs ${gA[5]}`);
  tf.dispose([feats, target, wEff, g, G, ...Object.values(grads)]);
  p.dispose();
});

test('trainable sets all|head|bn|lora: sizes counted by hand', () => {
  const p = new Params({ allocate: true, seed: 1 });
  new Conv(p, 'c1', 2, 3, 3); // 27·2·3 = 162
  new ConvDown(p, 'd1', 3, 4); // 8·3·4 = 96
  new BatchNorm(p, 'bn', 3, 0.1); // γ, β: 6 (+ running stats, not trainable)
  new Linear(p, 'final', 3, 5); // 15 + 5 = 20
  assert.equal(countScalars(p, trainableSet(p, 'all')), 284);
  assert.equal(countScalars(p, trainableSet(p, 'head')), 20);
  assert.equal(countScalars(p, trainableSet(p, 'bn')), 26);
  assert.throws(() => trainableSet(p, 'lora'), /attachLora/);
  attachLora(p, { rank: 2 });
  // r·(k³·Cin + Cout) per conv: 2·(54 + 3) + 2·(24 + 4) = 170, plus the head.
  assert.equal(countScalars(p, trainableSet(p, 'lora')), 190);
  assert.equal(countScalars(p, trainableSet(p, 'all')), 284);
  assert.deepEqual(
    trainableSet(p, 'lora').sort(),
    ['c1.weight', 'd1.weight']
      .flatMap((w) => [`lora.${w}.A`, `lora.${w}.B`])
      .concat(['final.bias', 'final.weight'])
      .sort(),
  );
  p.dispose();
});
