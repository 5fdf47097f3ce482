/**
 * Prototype head: imprinting by hand on a 2-D case (normalised and raw means, an unlabelled class
 * gets a seeded random unit vector, ignore labels skipped), the logits formula f̂·p̂/τ against
 * hand values, and gradients reaching the prototypes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { Params } from '../../../src/models/params.js';
import {
  PROTOTYPE_LADDER,
  PrototypeHead,
  PrototypeImprinter,
  prototypeLogits,
  randomUnitPrototypes,
} from '../../../src/models/heads/prototype.js';
import { assertClose, useBackend } from '../../helpers/backends.js';

// Four voxels in 2-D: class 0 at (3, 4) and (0, 2); class 1 at (1, 0); one ignored (−1).
const F = new Float32Array([3, 4, 0, 2, 1, 0, 9, 9]);
const L = new Int32Array([0, 0, 1, -1]);

test('imprinting: normalised mean of normalised features per class, by hand', () => {
  const im = new PrototypeImprinter(2, 3, true);
  im.add(F.subarray(0, 4), L.subarray(0, 2));
  im.add(F.subarray(4), L.subarray(2));
  const p = im.prototypes(7);
  // class 0: mean of (0.6, 0.8) and (0, 1) = (0.3, 0.9) → /√0.9.
  const n0 = Math.sqrt(0.3 ** 2 + 0.9 ** 2);
  assertClose([p[0], p[3]], [0.3 / n0, 0.9 / n0], 1e-6, 'class 0');
  assertClose([p[1], p[4]], [1, 0], 1e-6, 'class 1');
  // class 2 has no labelled voxel: the seeded random unit vector.
  const r = randomUnitPrototypes(2, 3, 7);
  assert.deepEqual([p[2], p[5]], [r[2], r[5]]);
  assert.ok(Math.abs(Math.hypot(p[2], p[5]) - 1) < 1e-6);
  assert.notDeepEqual(Array.from(randomUnitPrototypes(2, 3, 8)), Array.from(r));
});

test('imprinting without normalisation: direction of the raw mean', () => {
  const im = new PrototypeImprinter(2, 2, false);
  im.add(F, L);
  const p = im.prototypes(0);
  // class 0: mean of (3, 4) and (0, 2) = (1.5, 3) → /√11.25.
  const n0 = Math.sqrt(1.5 ** 2 + 9);
  assertClose([p[0], p[2]], [1.5 / n0, 3 / n0], 1e-6, 'class 0');
  assert.throws(() => im.add(F, new Int32Array(3)), {
    message: 'imprint: 8 feature values for 3 labels of width 2',
  });
});

test('logits = f̂·p̂/τ (normalised) and f·p (raw), and gradients reach the prototypes', async () => {
  await useBackend('cpu');
  const f = tf.tensor2d([3, 4, 0, -2], [2, 2]);
  const P = tf.tensor2d([2, 0, 0, 1], [2, 2]); // p0 = (2, 0), p1 = (0, 1)
  const cos = prototypeLogits(f, P, true, 0.1).dataSync();
  assertClose(cos, [6, 8, 0, -10], 1e-5, 'cosine / τ');
  const raw = prototypeLogits(f, P, false, 1).dataSync();
  assert.deepEqual(Array.from(raw), [6, 4, 0, -2]);

  const p = new Params({ seed: 1 });
  const head = new PrototypeHead(p, 2, 2, PROTOTYPE_LADDER.A2, 0.1, 3);
  assert.equal(head.temperature, 0.1);
  const proto = head.prototypes.dataSync();
  assertClose([Math.hypot(proto[0], proto[2]), Math.hypot(proto[1], proto[3])], [1, 1], 1e-6, 'unit init');
  head.set(new Float32Array([2, 0, 0, 1]));
  const { grads } = tf.variableGrads(
    () => tf.sum(tf.mul(head.apply(f), tf.tensor2d([1, 0, 0, 0], [2, 2]))) as tf.Scalar,
  );
  // d(f̂0·p/|p| /τ)/dp at p = (2, 0): (f̂0 − (f̂0·p̂)p̂)/(|p|τ) = ((0.6, 0.8) − 0.6·(1, 0))/0.2 = (0, 4).
  const g = grads[head.prototypes.name].dataSync();
  assertClose([g[0], g[2]], [0, 4], 1e-4, 'dlogit/dp0');
  assert.equal(
    new PrototypeHead(new Params({ allocate: false }), 2, 2, PROTOTYPE_LADDER.A1, 0.1, 3).temperature,
    1,
  );
  tf.dispose([f, P, ...Object.values(grads)]);
  p.dispose();
});

test('learned temperature: logits = cos·exp(logScale), logScale starts at log 1/τ and gets the gradient Σ logits·w', async () => {
  await useBackend('cpu');
  const f = tf.tensor2d([3, 4, 0, -2], [2, 2]);
  const p = new Params({ seed: 1 });
  const head = new PrototypeHead(p, 2, 2, PROTOTYPE_LADDER.A3, 0.4, 3, true);
  assert.ok(head.logScale);
  assertClose(head.logScale.dataSync(), [Math.log(2.5)], 1e-6, 'log 1/τ');
  assertClose([head.currentTemperature()], [0.4], 1e-6, 'τ');
  head.set(new Float32Array([2, 0, 0, 1]));
  // cosines [[0.6, 0.8], [0, −1]] × 2.5
  assertClose(head.apply(f).dataSync(), [1.5, 2, 0, -2.5], 1e-5, 'logits at τ 0.4');
  const w = tf.tensor2d([1, 0, 0, 1], [2, 2]);
  const { grads } = tf.variableGrads(() => tf.sum(tf.mul(head.apply(f), w)) as tf.Scalar);
  // d/dlogScale Σ w·cos·e^s = Σ w·logits = 1.5 − 2.5
  assertClose(grads[head.logScale.name].dataSync(), [-1], 1e-5, 'dL/dlogScale');
  head.logScale.assign(tf.tensor1d([Math.log(10)]));
  assertClose([head.currentTemperature()], [0.1], 1e-6, 'τ after a step');
  assert.equal(new PrototypeHead(new Params({ seed: 1 }), 2, 2, PROTOTYPE_LADDER.A3, 0.4, 3).logScale, null);
  tf.dispose([f, w, ...Object.values(grads)]);
  p.dispose();
});
