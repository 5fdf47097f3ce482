/**
 * Linearisation error: a function linear in θ has error 0 and full argmax agreement; an
 * element-wise quadratic has the closed-form error ‖(1 − ε)Δ²‖/‖2θ₀Δ + Δ²‖; the variable
 * interpolation reaches θ₀, θ_T and the midpoint.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import {
  finiteDifferenceLinearization,
  linearizationFromOutputs,
  setInterpolated,
} from '../../src/eval/linearization.js';
import { rng, useBackend } from '../helpers/backends.js';

// θ has 6 entries; the "logits" are 4 rows × 3 classes.
const r = rng(11);
const theta0 = Float64Array.from({ length: 6 }, () => r() * 2 - 1);
const thetaT = Float64Array.from({ length: 6 }, () => r() * 2 - 1);
const M = Float64Array.from({ length: 12 * 6 }, () => r() * 2 - 1);
const at = (t: number) => theta0.map((v, i) => v + t * (thetaT[i] - v));

test('a linear map has linearisation error 0 and agrees everywhere', () => {
  const f = (t: number) => {
    const th = at(t);
    return Float64Array.from({ length: 12 }, (_, o) => th.reduce((s, v, j) => s + M[o * 6 + j] * v, 0));
  };
  const res = finiteDifferenceLinearization(f, 1e-2, 3);
  assert.ok(res.relError < 1e-6, `error ${res.relError}`);
  assert.equal(res.argmaxAgreement, 1);
  assert.equal(res.rows, 4);
});

test('an element-wise quadratic has the closed-form error', () => {
  // f_o(θ) = θ_{o mod 6}²: Δf = 2θ₀Δ + Δ², FD JVP = 2θ₀Δ + εΔ², so Δf − JΔθ = (1 − ε)Δ².
  const f = (t: number) => Float64Array.from({ length: 12 }, (_, o) => at(t)[o % 6] ** 2);
  const eps = 0.01;
  let num = 0;
  let den = 0;
  for (let o = 0; o < 12; o++) {
    const d = thetaT[o % 6] - theta0[o % 6];
    num += ((1 - eps) * d * d) ** 2;
    den += (2 * theta0[o % 6] * d + d * d) ** 2;
  }
  const res = linearizationFromOutputs(f(0), f(eps), f(1), eps, 3);
  assert.ok(
    Math.abs(res.relError - Math.sqrt(num / den)) < 1e-9,
    `${res.relError} vs ${Math.sqrt(num / den)}`,
  );
  assert.ok(res.relError > 0.1);
  // argmax agreement by hand: rows of f(θ₀) + JΔθ against rows of f(θ_T).
  const lin = f(0).map((v, o) => v + (f(eps)[o] - v) / eps);
  const fT = f(1);
  let agree = 0;
  for (let i = 0; i < 4; i++) {
    const a = [0, 1, 2].reduce((b, c) => (lin[i * 3 + c] > lin[i * 3 + b] ? c : b), 0);
    const b = [0, 1, 2].reduce((x, c) => (fT[i * 3 + c] > fT[i * 3 + x] ? c : x), 0);
    if (a === b) agree++;
  }
  assert.equal(res.argmaxAgreement, agree / 4);
  assert.throws(() => linearizationFromOutputs([1, 2], [1], [1, 2], 0.1, 2), /outputs/);
  assert.throws(() => linearizationFromOutputs([1], [1], [1], 0, 1), /ε/);
});

test('setInterpolated assigns θ₀ + t·Δθ', async () => {
  await useBackend('cpu');
  const v = tf.variable(tf.zeros([2]));
  const a = tf.tensor1d([1, 2]);
  const b = tf.tensor1d([3, -2]);
  setInterpolated([v], [a], [b], 0.5);
  assert.deepEqual(Array.from(v.dataSync()), [2, 0]);
  setInterpolated([v], [a], [b], 1);
  assert.deepEqual(Array.from(v.dataSync()), [3, -2]);
  tf.dispose([v, a, b]);
});
