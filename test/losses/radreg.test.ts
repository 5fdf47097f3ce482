/**
 * RadReg (reconstruction): the penalty (1/n) Σ σ·φ(h) on a hand case, its gradient in h (the
 * descent direction) against finite differences, ascent raising the penalty, and the projection
 * keeping each layer's [W; b] inside the norm ball (and leaving a head inside it unchanged).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { RadRegHead, rademacher, radRegAscent, radRegPenalty } from '../../src/losses/radreg.js';
import { assertClose, useBackend } from '../helpers/backends.js';

/** A 2→2→1 head set by hand: hidden = ReLU(h·W1 + b1), φ = hidden·W2 + b2. */
function handHead(): RadRegHead {
  const head = new RadRegHead(2, { hidden: 2, outputs: 1, normBound: 100 }, 0);
  head.fc1.weight.assign(tf.tensor2d([1, -1, 2, 1], [2, 2]));
  head.fc1.bias.assign(tf.tensor1d([0, 0.5]));
  head.fc2.weight.assign(tf.tensor2d([1, -2], [2, 1]));
  head.fc2.bias.assign(tf.tensor1d([0.25]));
  return head;
}

// φ(h) for h = (x, y): hidden = (ReLU(x + 2y), ReLU(−x + y + 0.5)); φ = h1 − 2·h2 + 0.25.
const phi64 = (x: number, y: number) => Math.max(0, x + 2 * y) - 2 * Math.max(0, -x + y + 0.5) + 0.25;
const H = [1, 0, 0, 1, -1, -1];
const S = [1, -1, 1];

test('penalty by hand: (1/n) Σ σ_i·φ(h_i)', async () => {
  await useBackend('cpu');
  const head = handHead();
  // h = (1, 0): 1 − 0 + 0.25 = 1.25; (0, 1): 2 − 3 + 0.25 = −0.75; (−1, −1): 0 − 1 + 0.25 = −0.75.
  // (1/3)(1.25 + 0.75 − 0.75) = 1.25/3.
  const v = tf.tidy(
    () => radRegPenalty(head.apply(tf.tensor2d(H, [3, 2])), tf.tensor2d(S, [3, 1])).dataSync()[0],
  );
  assert.ok(Math.abs(v - 1.25 / 3) < 1e-6, `${v}`);
  assert.ok(Math.abs(v - (S[0] * phi64(1, 0) + S[1] * phi64(0, 1) + S[2] * phi64(-1, -1)) / 3) < 1e-6);
  // Gradient in h (what the backbone descends) against central differences.
  const g = tf.tidy(() =>
    tf
      .grad((h: tf.Tensor) => radRegPenalty(head.apply(h as tf.Tensor2D), tf.tensor2d(S, [3, 1])))(
        tf.tensor2d(H, [3, 2]),
      )
      .dataSync(),
  );
  const R = (hv: number[]) =>
    (S[0] * phi64(hv[0], hv[1]) + S[1] * phi64(hv[2], hv[3]) + S[2] * phi64(hv[4], hv[5])) / 3;
  const fd = H.map((_, i) => {
    const a = H.slice();
    const b = H.slice();
    a[i] += 1e-4;
    b[i] -= 1e-4;
    return (R(a) - R(b)) / 2e-4;
  });
  assertClose(g, fd, 1e-3, 'dR/dh');
  head.dispose();
});

test('signs are ±1, balanced, seeded', () => {
  const s = rademacher(1000, 4, 9);
  assert.ok(s.every((v) => v === 1 || v === -1));
  const mean = s.reduce((a, b) => a + b, 0) / s.length;
  assert.ok(Math.abs(mean) < 0.05, `mean ${mean}`);
  assert.deepEqual(Array.from(rademacher(10, 2, 9)), Array.from(rademacher(10, 2, 9)));
  assert.notDeepEqual(Array.from(rademacher(10, 2, 9)), Array.from(rademacher(10, 2, 10)));
});

test('ascent raises the penalty; projection holds the norm bound', async () => {
  await useBackend('cpu');
  const h = tf.randomNormal([64, 8], 0, 1, 'float32', 1) as tf.Tensor2D;
  const sigma = tf.tensor2d(rademacher(64, 3, 2), [64, 3]);
  const head = new RadRegHead(8, { hidden: 32, outputs: 3, normBound: 1 }, 5);
  const [n1, n2] = head.norms();
  assert.ok(n1 <= 1 + 1e-5 && n2 <= 1 + 1e-5, 'initial projection');
  const before = tf.memory().numTensors;
  const trace = radRegAscent(head, h, sigma, 5, 0.05);
  assert.equal(tf.memory().numTensors, before, 'ascent leaks tensors');
  assert.equal(trace.length, 6);
  for (let i = 1; i < trace.length; i++)
    assert.ok(trace[i] > trace[i - 1], `step ${i}: ${trace[i - 1]} → ${trace[i]}`);
  // A large step leaves the ball; projection brings each layer back to exactly the bound.
  radRegAscent(head, h, sigma, 3, 100);
  for (const n of head.norms()) assert.ok(n <= 1 + 1e-5 && n > 0.99, `norm ${n}`);
  // Inside the ball, projection is the identity.
  const wide = new RadRegHead(8, { hidden: 32, outputs: 3, normBound: 1e3 }, 5);
  const w = wide.fc1.weight.dataSync().slice();
  wide.project();
  assert.deepEqual(Array.from(wide.fc1.weight.dataSync()), Array.from(w));
  tf.dispose([h, sigma]);
  head.dispose();
  wide.dispose();
});
