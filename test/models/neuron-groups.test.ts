/**
 * Neuron grouping: cosine k-means on a hand case (two families of activation patterns, invariant
 * to per-channel shift and scale), the random control keeps group sizes, the gradient transform
 * gives members exactly equal gradients and equal optimiser updates, preserves group sums, and is
 * the identity at ρ = 1; the layer list of a Res16UNet covers every conv with its BN.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { Params } from '../../src/models/params.js';
import { Res16UNet } from '../../src/models/res16unet.js';
import { BACKBONES } from '../../src/models/registry.js';
import {
  buildNeuronGroups,
  cosineKMeans,
  groupCount,
  groupMeanLastAxis,
  neuronLayers,
  randomGrouping,
  recordActivations,
  tieGradients,
  type GroupedLayer,
} from '../../src/models/neuron-groups.js';
import { SparseTensor } from '../../src/sparse/sparse-tensor.js';
import { rng, useBackend } from '../helpers/backends.js';

test('cosine k-means by hand: rising vs falling patterns, whatever the scale and offset', () => {
  // Six channels × five voxels. Channels 0, 2, 5 rise (shifted/scaled copies of 1..5 with small
  // wiggles); 1, 3, 4 fall. Standardised, each family is nearly one direction.
  const rows = [
    [1, 2, 3, 4, 5],
    [5, 4, 3, 2, 1],
    [10, 20, 31, 40, 50],
    [0.5, 0.4, 0.3, 0.2, 0.1],
    [-1, -2, -3, -4, -5.5],
    [7, 7.1, 7.2, 7.35, 7.4],
  ];
  const x = Float32Array.from(rows.flat());
  for (const seed of [0, 1, 2, 3]) {
    const g = cosineKMeans(x, 6, 5, 2, seed);
    assert.deepEqual(Array.from(g), [0, 1, 0, 1, 1, 0], `seed ${seed}`);
  }
  // k = 3 splits one family; k ≥ C is one group per channel.
  assert.equal(new Set(cosineKMeans(x, 6, 5, 3, 0)).size, 3);
  assert.deepEqual(Array.from(cosineKMeans(x, 6, 5, 6, 0)), [0, 1, 2, 3, 4, 5]);
  assert.equal(groupCount(0.25, 10), 3);
  assert.equal(groupCount(1, 10), 10);
  assert.throws(() => groupCount(0, 10), /ratio/);
});

test('random control: same group sizes, different members', () => {
  const g = Int32Array.from([0, 0, 0, 0, 1, 1, 2, 3, 3, 3, 3, 3]);
  const r = randomGrouping(g, 5);
  const sizes = (a: Int32Array) => [...new Set(a)].map((k) => a.filter((v) => v === k).length).sort();
  assert.deepEqual(sizes(r), sizes(g));
  assert.notDeepEqual(Array.from(r), Array.from(g));
  assert.deepEqual(Array.from(randomGrouping(g, 5)), Array.from(r), 'seeded');
});

test('tied gradients: members exactly equal, group sums kept, identity at ρ = 1', async () => {
  await useBackend('cpu');
  const r = rng(3);
  const c = 6;
  const groups = Int32Array.from([0, 1, 0, 2, 1, 0]);
  const w = Float32Array.from({ length: 27 * 4 * c }, () => r() * 2 - 1);
  const gamma = Float32Array.from({ length: c }, () => r() * 2 - 1);
  const layer: GroupedLayer = { conv: 'c.weight', bn: 'bn', channels: c, groups, count: 3 };
  const grads = new Map<string, tf.Tensor>([
    ['c.weight', tf.tensor3d(w, [27, 4, c])],
    ['bn.gamma', tf.tensor1d(gamma)],
    ['bn.beta', tf.tensor1d(gamma.map((v) => -v))],
    ['final.weight', tf.ones([c, 2])],
  ]);
  const tied = tieGradients(grads, [layer]);
  assert.equal(tied.get('final.weight'), grads.get('final.weight'));
  const tw = tied.get('c.weight')!.dataSync();
  for (let row = 0; row < 27 * 4; row++) {
    const o = row * c;
    assert.equal(tw[o + 0], tw[o + 2]);
    assert.equal(tw[o + 0], tw[o + 5]);
    assert.equal(tw[o + 1], tw[o + 4]);
    const s0 = w[o] + w[o + 2] + w[o + 5];
    assert.ok(Math.abs(3 * tw[o] - s0) < 1e-5, 'group sum kept');
    assert.equal(tw[o + 3], w[o + 3], 'a singleton keeps its gradient');
  }
  const tg = tied.get('bn.gamma')!.dataSync();
  assert.equal(tg[0], tg[5]);
  assert.ok(Math.abs(tg[1] - (gamma[1] + gamma[4]) / 2) < 1e-7);
  // Equal gradients give equal SGD-with-momentum updates (up to the rounding of w − lr·g).
  const v = tf.variable(tf.tensor1d(gamma));
  const opt = tf.train.momentum(0.1, 0.9);
  for (let i = 0; i < 3; i++) opt.applyGradients([{ name: v.name, tensor: tied.get('bn.gamma')! }]);
  const d = v.dataSync().map((x, i) => x - gamma[i]);
  assert.ok(Math.abs(d[0] - d[2]) < 1e-6 && Math.abs(d[0] - d[5]) < 1e-6 && Math.abs(d[1] - d[4]) < 1e-6);
  assert.ok(Math.abs(d[0] - d[1]) > 1e-3);
  // ρ = 1: every channel its own group, the transform returns the same numbers.
  const ident = Int32Array.from({ length: c }, (_, i) => i);
  assert.deepEqual(Array.from(groupMeanLastAxis(w, ident, c)), Array.from(w));
  for (const t of new Set([...tied.values(), ...grads.values()])) t.dispose();
  v.dispose();
  opt.dispose();
});

test('Res16UNet: every conv is grouped with its BN; groups from recorded activations', async () => {
  await useBackend('cpu');
  const p = new Params({ seed: 4 });
  const net = new Res16UNet(p, BACKBONES['Res16UNet14A-w4'], {
    inChannels: 3,
    outChannels: 5,
    stemKernel: 3,
    bnMomentum: 0.02,
    blockBnMomentum: 0.1,
    normalize: false,
  });
  const layers = neuronLayers(net);
  const convs = p.specs.filter((s) => s.shape.length === 3).map((s) => s.name);
  assert.deepEqual(layers.map((l) => l.conv).sort(), convs.sort());
  for (const l of layers) assert.equal(p.get(l.conv).shape[2], l.channels);
  const r = rng(6);
  const coords = new Int32Array(300 * 4);
  const seen = new Set<number>();
  for (let i = 0; i < 300;) {
    const c = [Math.floor(r() * 14), Math.floor(r() * 14), Math.floor(r() * 6)];
    const key = (c[0] * 16 + c[1]) * 16 + c[2];
    if (seen.has(key)) continue;
    seen.add(key);
    coords.set([0, ...c], i++ * 4);
  }
  const x = SparseTensor.fromCoords(coords, tf.randomUniform([300, 3], -1, 1, 'float32', 1) as tf.Tensor2D);
  const stats = p
    .entries()
    .filter(([n]) => n.includes('moving'))
    .map(([, v]) => Array.from(v.dataSync()));
  const acts = recordActivations(net, x, 128, 0);
  assert.deepEqual(
    p
      .entries()
      .filter(([n]) => n.includes('moving'))
      .map(([, v]) => Array.from(v.dataSync())),
    stats,
  );
  assert.equal(acts.get('bn0')!.rows, 128);
  const grouped = buildNeuronGroups(layers, acts, 0.5, 0);
  for (const g of grouped) {
    assert.equal(g.count, Math.ceil(0.5 * g.channels));
    assert.equal(new Set(g.groups).size, g.count);
  }
  const ctrl = buildNeuronGroups(layers, acts, 0.5, 0, true);
  assert.ok(ctrl.some((g, i) => Array.from(g.groups).join() !== Array.from(grouped[i].groups).join()));
  tf.dispose(x.features);
  p.dispose();
});
