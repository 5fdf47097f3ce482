/**
 * SMART: the symmetric KL by hand, its gradient by finite differences (on logits and through a
 * tiny two-layer net, the smoothness term's parameter gradient), and the perturbation step
 * against a float64 recomputation (δ = ε·rownorm∞(δ₀ + η·∇δ ℓ_s)) on a linear logit map.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import {
  emaBeta,
  partitionSymmetricKl,
  smartPerturbation,
  smartTerms,
  symmetricKl,
} from '../../src/losses/smart.js';
import { assertClose, rng, useBackend } from '../helpers/backends.js';

/** Float64 reference of the symmetric KL of two logit rows. */
function symKl64(p: number[], q: number[]): number {
  const sm = (x: number[]) => {
    const m = Math.max(...x);
    const e = x.map((v) => Math.exp(v - m));
    const z = e.reduce((a, b) => a + b, 0);
    return e.map((v) => v / z);
  };
  const P = sm(p);
  const Q = sm(q);
  return P.reduce((s, v, c) => s + (v - Q[c]) * (Math.log(v) - Math.log(Q[c])), 0);
}

test('symmetric KL by hand: softmax(0, ln 3) vs uniform is ¼·ln 3; identical rows give 0', async () => {
  await useBackend('cpu');
  const p = tf.tensor2d([0, Math.log(3), 1, 2], [2, 2]);
  const q = tf.tensor2d([5, 5, 1, 2], [2, 2]);
  const v = symmetricKl(p, q).dataSync()[0];
  // Row 1: (¼ − ½)·ln(½) + (¾ − ½)·ln(3/2) = ¼·ln 3; row 2: 0; mean over the 2 rows.
  assert.ok(Math.abs(v - Math.log(3) / 8) < 1e-6, `${v}`);
  assert.ok(Math.abs(symmetricKl(q, p).dataSync()[0] - v) < 1e-7, 'symmetric');
  tf.dispose([p, q]);
});

test('partition KL: the kept classes each on their own, the rest pooled; by hand and against a float64 recomputation', async () => {
  await useBackend('cpu');
  // P = (½, ¼, ¼), Q = (¼, ½, ¼) over 3 classes; kept = [2]: both become (¾, ¼), so the term is 0
  // though the split between classes 0 and 1 differs
  const p = tf.tensor2d([Math.log(2), 0, 0], [1, 3]);
  const q = tf.tensor2d([0, Math.log(2), 0], [1, 3]);
  assert.ok(Math.abs(partitionSymmetricKl(p, q, [2]).dataSync()[0]) < 1e-7);
  assert.ok(symmetricKl(p, q).dataSync()[0] > 0.1, 'the full KL sees the split');
  // every class kept: the full symmetric KL
  const r = rng(9);
  const pv = Array.from({ length: 8 }, () => r() * 4 - 2);
  const qv = Array.from({ length: 8 }, () => r() * 4 - 2);
  const a = tf.tensor2d(pv, [2, 4]);
  const b = tf.tensor2d(qv, [2, 4]);
  assertClose(
    [partitionSymmetricKl(a, b, [0, 1, 2, 3]).dataSync()[0]],
    [symmetricKl(a, b).dataSync()[0]],
    1e-5,
    'all kept',
  );
  // kept [1, 3]: rows pooled to (p1, p3, p0 + p2) in float64
  const sm = (x: number[]) => {
    const e = x.map((v) => Math.exp(v));
    const z = e.reduce((s, v) => s + v, 0);
    return e.map((v) => v / z);
  };
  let want = 0;
  for (let row = 0; row < 2; row++) {
    const P = sm(pv.slice(row * 4, row * 4 + 4));
    const Q = sm(qv.slice(row * 4, row * 4 + 4));
    const cp = [P[1], P[3], P[0] + P[2]];
    const cq = [Q[1], Q[3], Q[0] + Q[2]];
    want += cp.reduce((s, v, j) => s + (v - cq[j]) * (Math.log(v) - Math.log(cq[j])), 0) / 2;
  }
  assertClose([partitionSymmetricKl(a, b, [1, 3]).dataSync()[0]], [want], 1e-5, 'kept 1, 3');
  // its gradient flows to the student's logits, not only to the pooled bin
  const g = tf
    .grad((x: tf.Tensor) => partitionSymmetricKl(x as tf.Tensor2D, b, [1, 3]))(a)
    .dataSync();
  assert.ok(g.some((v) => Math.abs(v) > 1e-4));
  tf.dispose([p, q, a, b]);
});

test('symmetric KL gradient matches central finite differences (logits)', async () => {
  await useBackend('cpu');
  const r = rng(4);
  const pv = Array.from({ length: 12 }, () => r() * 4 - 2);
  const qv = Array.from({ length: 12 }, () => r() * 4 - 2);
  const q = tf.tensor2d(qv, [3, 4]);
  const g = tf
    .grad((p: tf.Tensor) => symmetricKl(p as tf.Tensor2D, q))(tf.tensor2d(pv, [3, 4]))
    .dataSync();
  const f = (v: number[]) =>
    (symKl64(v.slice(0, 4), qv.slice(0, 4)) +
      symKl64(v.slice(4, 8), qv.slice(4, 8)) +
      symKl64(v.slice(8), qv.slice(8))) /
    3;
  const h = 1e-5;
  const fd = pv.map((_, i) => {
    const a = pv.slice();
    const b = pv.slice();
    a[i] += h;
    b[i] -= h;
    return (f(a) - f(b)) / (2 * h);
  });
  assertClose(g, fd, 1e-3, 'dℓs/dp');
  q.dispose();
});

test('smoothness term through a tiny net: parameter gradient matches finite differences', async () => {
  await useBackend('cpu');
  const r = rng(8);
  const X = Array.from({ length: 5 * 3 }, () => r() * 2 - 1);
  const D = Array.from({ length: 5 * 3 }, () => (r() * 2 - 1) * 0.3);
  const w1 = Array.from({ length: 3 * 4 }, () => r() * 2 - 1);
  const w2 = Array.from({ length: 4 * 3 }, () => r() * 2 - 1);
  // net(x) = tanh(x·W1)·W2; R = ℓs(net(X + D), net(X)) with both sides depending on W1.
  const net64 = (x: number[], a: number[]) =>
    Array.from({ length: 5 }, (_, i) => {
      const hid = [0, 1, 2, 3].map((k) =>
        Math.tanh([0, 1, 2].reduce((s, j) => s + x[i * 3 + j] * a[j * 4 + k], 0)),
      );
      return [0, 1, 2].map((c) => hid.reduce((s, v, k) => s + v * w2[k * 3 + c], 0));
    });
  const XD = X.map((v, i) => v + D[i]);
  const R64 = (a: number[]) => {
    const pa = net64(XD, a);
    const pb = net64(X, a);
    return pa.reduce((s, row, i) => s + symKl64(row, pb[i]), 0) / 5;
  };
  const x = tf.tensor2d(X, [5, 3]);
  const xd = tf.tensor2d(XD, [5, 3]);
  const W2 = tf.tensor2d(w2, [4, 3]);
  const net = (inp: tf.Tensor2D, a: tf.Tensor2D): tf.Tensor2D => tf.matMul(tf.tanh(tf.matMul(inp, a)), W2);
  const W1 = tf.tensor2d(w1, [3, 4]);
  const v = tf.tidy(() => symmetricKl(net(xd, W1), net(x, W1)).dataSync()[0]);
  assert.ok(Math.abs(v - R64(w1)) < 1e-5, `${v} vs ${R64(w1)}`);
  const g = tf
    .grad((a: tf.Tensor) => symmetricKl(net(xd, a as tf.Tensor2D), net(x, a as tf.Tensor2D)))(W1)
    .dataSync();
  const h = 1e-5;
  const fd = w1.map((_, i) => {
    const a = w1.slice();
    const b = w1.slice();
    a[i] += h;
    b[i] -= h;
    return (R64(a) - R64(b)) / (2 * h);
  });
  assertClose(g, fd, 2e-3, 'dR/dW1');
  tf.dispose([x, xd, W1, W2]);
});

test('perturbation: δ = ε·rownorm∞(δ₀ + η·∇δ ℓs) on a linear logit map, a fresh constant', async () => {
  await useBackend('cpu');
  const r = rng(21);
  const rows = 4;
  const cols = 3;
  const k = 5;
  const hv = Array.from({ length: rows * cols }, () => r() * 2 - 1);
  const av = Array.from({ length: cols * k }, () => r() * 2 - 1);
  const d0 = Float32Array.from({ length: rows * cols }, () => (r() * 2 - 1) * 0.1);
  const h = tf.tensor2d(hv, [rows, cols]);
  const A = tf.tensor2d(av, [cols, k]);
  const logitsOf = (d: tf.Tensor2D): tf.Tensor2D => tf.matMul(tf.add(h, d) as tf.Tensor2D, A);
  const clean = logitsOf(tf.zeros([rows, cols]));
  const eta = 0.5;
  const eps = 0.3;
  const before = tf.memory().numTensors;
  const delta = smartPerturbation(logitsOf, clean, rows, cols, {
    sigma: 0,
    stepSize: eta,
    epsilon: eps,
    steps: 1,
    seed: 0,
    init: d0,
  });
  assert.equal(tf.memory().numTensors, before + 1, 'only δ is left');
  // Float64 oracle: g by central differences of R(δ) = mean_i ℓs((h+δ)_i·A, h_i·A).
  const lin = (x: number[]) =>
    Array.from({ length: rows }, (_, i) =>
      Array.from({ length: k }, (_, c) => [0, 1, 2].reduce((s, j) => s + x[i * cols + j] * av[j * k + c], 0)),
    );
  const base = lin(hv);
  const R = (d: number[]) =>
    lin(hv.map((v, i) => v + d[i])).reduce((s, row, i) => s + symKl64(row, base[i]), 0) / rows;
  const d0a = Array.from(d0);
  const want = d0a.map((v, i) => {
    const a = d0a.slice();
    const b = d0a.slice();
    a[i] += 1e-6;
    b[i] -= 1e-6;
    return v + (eta * (R(a) - R(b))) / 2e-6;
  });
  for (let i = 0; i < rows; i++) {
    const m = Math.max(...want.slice(i * cols, i * cols + cols).map(Math.abs));
    for (let j = 0; j < cols; j++) want[i * cols + j] *= eps / (m + 1e-6);
  }
  const got = delta.dataSync();
  assertClose(got, want, 1e-3, 'δ');
  for (let i = 0; i < rows; i++)
    assert.ok(Math.abs(Math.max(...Array.from(got.slice(i * cols, i * cols + cols), Math.abs)) - eps) < 1e-5);
  // The seeded draw is reproducible and differs between seeds.
  const s1 = smartPerturbation(logitsOf, clean, rows, cols, {
    sigma: 1e-5,
    stepSize: 1e-5,
    epsilon: 1,
    steps: 1,
    seed: 3,
  });
  const s2 = smartPerturbation(logitsOf, clean, rows, cols, {
    sigma: 1e-5,
    stepSize: 1e-5,
    epsilon: 1,
    steps: 1,
    seed: 3,
  });
  const s3 = smartPerturbation(logitsOf, clean, rows, cols, {
    sigma: 1e-5,
    stepSize: 1e-5,
    epsilon: 1,
    steps: 1,
    seed: 4,
  });
  assert.deepEqual(Array.from(s1.dataSync()), Array.from(s2.dataSync()));
  assert.notDeepEqual(Array.from(s1.dataSync()), Array.from(s3.dataSync()));
  tf.dispose([h, A, clean, delta, s1, s2, s3]);
});

test('smartTerms = λ·ℓs(f(h + δ), f(h)) + μ·ℓs(f(h), teacher), with δ from the perturbation step', async () => {
  await useBackend('cpu');
  const r = rng(30);
  const h = tf.tensor2d(
    Array.from({ length: 8 }, () => r() * 2 - 1),
    [4, 2],
  );
  const A = tf.tensor2d(
    Array.from({ length: 6 }, () => r() * 2 - 1),
    [2, 3],
  );
  const teacher = tf.tensor2d(
    Array.from({ length: 12 }, () => r() * 2 - 1),
    [4, 3],
  );
  const perturbed = (d: tf.Tensor2D) => tf.matMul(tf.add(h, d) as tf.Tensor2D, A) as tf.Tensor2D;
  const clean = tf.matMul(h, A) as tf.Tensor2D;
  const p = { sigma: 1e-3, stepSize: 0.1, epsilon: 0.5, steps: 1, seed: 2 };
  const before = tf.memory().numTensors;
  const [smooth, breg, total] = tf.tidy(() => {
    const r = smartTerms({
      clean,
      perturbed,
      rows: 4,
      cols: 2,
      lambda: 3,
      perturbation: p,
      teacher: { logits: teacher, mu: 0.5 },
    });
    return [r.smoothness, r.bregman!, r.total];
  });
  assert.equal(tf.memory().numTensors, before + 3);
  const delta = smartPerturbation(perturbed, clean, 4, 2, p);
  const want = tf.tidy(
    () =>
      3 * symmetricKl(perturbed(delta), clean).dataSync()[0] +
      0.5 * symmetricKl(clean, teacher).dataSync()[0],
  );
  assert.ok(Math.abs(total.dataSync()[0] - want) < 1e-6, `${total.dataSync()[0]} vs ${want}`);
  assert.ok(smooth.dataSync()[0] > 0 && breg.dataSync()[0] > 0);
  assert.equal(emaBeta(5, 100, 0.999, { beta: 0.99, fraction: 0.1 }), 0.99);
  assert.equal(emaBeta(10, 100, 0.999, { beta: 0.99, fraction: 0.1 }), 0.999);
  assert.equal(emaBeta(0, 100, 0.95), 0.95);
  tf.dispose([h, A, teacher, clean, delta, smooth, breg, total]);
});

test('λ = 0 (the lwf method): the proximal term alone, without a perturbed pass', async () => {
  await useBackend('cpu');
  const clean = tf.tensor2d([0.2, -1, 0.5, 1.5, 0.1, -0.3], [2, 3]);
  const teacher = tf.tensor2d([1, 0, -1, 0, 0.5, 0.5], [2, 3]);
  let passes = 0;
  const perturbed = (d: tf.Tensor2D) => {
    passes++;
    return tf.add(clean, tf.sum(d)) as tf.Tensor2D;
  };
  const p = { sigma: 1e-3, stepSize: 0.1, epsilon: 0.5, steps: 0, seed: 2 };
  const r = smartTerms({
    clean,
    perturbed,
    rows: 2,
    cols: 3,
    lambda: 0,
    perturbation: p,
    teacher: { logits: teacher, mu: 2 },
  });
  assert.equal(passes, 0, 'no perturbed forward when λ = 0');
  assert.equal(r.smoothness.dataSync()[0], 0);
  const want = 2 * symmetricKl(clean, teacher).dataSync()[0];
  assert.ok(Math.abs(r.total.dataSync()[0] - want) < 1e-6, `${r.total.dataSync()[0]} vs ${want}`);
  tf.dispose([clean, teacher, r.smoothness, r.bregman!, r.total]);
});
