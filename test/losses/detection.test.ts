/**
 * Detection losses: smooth-L1, softmax CE and binary CE against hand values and finite
 * differences; the combined loss on a hand-built pass equals an independent plain-number
 * computation of VoteNet's masked means and weights (with and without proposals).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { detLossSchema, detectionLoss, sigmoidBCE, smoothL1, softmaxCE } from '../../src/losses/detection.js';
import type { DetectorPass } from '../../src/models/heads/detector.js';
import type { ProposalTargets, VoxelTargets } from '../../src/losses/detection-targets.js';
import { rng, useBackend } from '../helpers/backends.js';

const near = (a: number, b: number, tol: number, what: string) =>
  assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);

/** Central finite differences of a scalar function of x vs tf.grad. */
function checkGrad(f: (x: tf.Tensor) => tf.Scalar, x0: number[], what: string) {
  const g = tf.tidy(() => tf.grad(f)(tf.tensor1d(x0)).dataSync());
  const h = 1e-3;
  x0.forEach((_, i) => {
    const at = (d: number) =>
      tf.tidy(() => f(tf.tensor1d(x0.map((v, j) => (j === i ? v + d : v)))).dataSync()[0]);
    near(g[i], (at(h) - at(-h)) / (2 * h), 2e-2, `${what} d/dx${i}`);
  });
}

test('smoothL1, softmaxCE and sigmoidBCE: hand values and finite-difference gradients', async () => {
  await useBackend('cpu');
  const s = smoothL1(tf.tensor1d([0.05, 0.2, -0.3, 0]), 0.1).dataSync();
  [0.0125, 0.15, 0.25, 0].forEach((v, i) => near(s[i], v, 1e-6, `smoothL1[${i}]`));
  const ce = softmaxCE(
    tf.tensor2d([
      [1, 2, 0],
      [0.5, -1, 3],
    ]),
    Int32Array.of(1, 0),
  ).dataSync();
  near(ce[0], -Math.log(Math.exp(2) / (Math.exp(1) + Math.exp(2) + 1)), 1e-6, 'ce0');
  near(ce[1], -Math.log(Math.exp(0.5) / (Math.exp(0.5) + Math.exp(-1) + Math.exp(3))), 1e-6, 'ce1');
  const bce = sigmoidBCE(tf.tensor1d([2, -3, 0.5, -20]), Uint8Array.of(1, 1, 0, 0)).dataSync();
  [
    Math.log1p(Math.exp(-2)),
    Math.log1p(Math.exp(3)),
    Math.log1p(Math.exp(0.5)),
    Math.log1p(Math.exp(-20)),
  ].forEach((v, i) => near(bce[i], v, 1e-5, `bce[${i}]`));
  checkGrad((x) => tf.sum(smoothL1(x, 0.1)) as tf.Scalar, [0.03, -0.07, 0.4, -1.2], 'smoothL1');
  checkGrad(
    (x) => tf.sum(softmaxCE(tf.reshape(x, [2, 3]) as tf.Tensor2D, Int32Array.of(2, 0))) as tf.Scalar,
    [0.1, -0.4, 0.7, 1.2, 0.3, -0.9],
    'softmaxCE',
  );
  checkGrad(
    (x) => tf.sum(sigmoidBCE(x as tf.Tensor1D, Uint8Array.of(1, 0, 1))) as tf.Scalar,
    [0.3, 1.7, -2.2],
    'sigmoidBCE',
  );
});

// ---- the combined loss against plain numbers ----------------------------------------------
const sl1 = (e: number, b: number) => (Math.abs(e) < b ? (0.5 * e * e) / b : Math.abs(e) - 0.5 * b);
const lce = (row: number[], t: number) => Math.log(row.reduce((a, v) => a + Math.exp(v), 0)) - row[t];
const lbce = (x: number, z: number) => Math.max(x, 0) - x * z + Math.log1p(Math.exp(-Math.abs(x)));

function fakePass(n: number, p: number, d: number, r: () => number) {
  const m = (rows: number, cols: number) =>
    Array.from({ length: rows }, () => Array.from({ length: cols }, () => r() * 2 - 1));
  const raw = {
    obj: Array.from({ length: n }, () => r() * 4 - 2),
    cls: m(n, d),
    votes: m(n, 3),
    pobj: m(p, 2),
    pcenter: m(p, 3),
    psize: m(p, 3),
    pcls: m(p, d),
  };
  const t2 = (a: number[][], cols: number) =>
    (a.length ? tf.tensor2d(a) : tf.zeros([0, cols])) as tf.Tensor2D;
  const pass = {
    seeds: { objectness: tf.tensor1d(raw.obj), classLogits: t2(raw.cls, d), offsets: t2(raw.votes, 3) },
    votes: t2(raw.votes, 3),
    proposals: {
      base: t2(raw.pcenter, 3),
      objectness: t2(raw.pobj, 2),
      center: t2(raw.pcenter, 3),
      logSize: t2(raw.psize, 3),
      classLogits: t2(raw.pcls, d),
    },
  } as unknown as DetectorPass;
  return { raw, pass };
}

test('detectionLoss equals the weighted masked means computed by hand', async () => {
  await useBackend('cpu');
  const r = rng(11);
  const n = 9;
  const p = 6;
  const d = 4;
  const { raw, pass } = fakePass(n, p, d, r);
  const vt: VoxelTargets = {
    positive: Uint8Array.of(1, 0, 0, 1, 1, 0, 0, 0, 1),
    cls: Int32Array.of(2, -1, -1, 0, 3, -1, -1, -1, 1),
    center: Float32Array.from({ length: n * 3 }, () => r()),
    count: 4,
  };
  const pt: ProposalTargets = {
    label: Int8Array.of(1, 0, -1, 1, 0, 0),
    center: Float32Array.from({ length: p * 3 }, () => r()),
    logSize: Float32Array.from({ length: p * 3 }, () => r() - 0.5),
    cls: Int32Array.of(3, -1, -1, 1, -1, -1),
    positives: 2,
    negatives: 3,
  };
  const cfg = detLossSchema.parse({ seedClass: 0.3, class: 0.2, huberDelta: 0.2 });
  const b = cfg.huberDelta;
  const pos = [0, 3, 4, 8];
  const want = {
    vote:
      pos.reduce(
        (s, i) => s + [0, 1, 2].reduce((a, k) => a + sl1(raw.votes[i][k] - vt.center[i * 3 + k], b), 0),
        0,
      ) / 4,
    seedObjectness: raw.obj.reduce((s, x, i) => s + lbce(x, vt.positive[i]), 0) / n,
    seedClass: pos.reduce((s, i) => s + lce(raw.cls[i], vt.cls[i]), 0) / 4,
    objectness:
      [0, 1, 3, 4, 5].reduce(
        (s, i) => s + (pt.label[i] === 1 ? 0.8 : 0.2) * lce(raw.pobj[i], pt.label[i]),
        0,
      ) / 5,
    center:
      [0, 3].reduce(
        (s, i) => s + [0, 1, 2].reduce((a, k) => a + sl1(raw.pcenter[i][k] - pt.center[i * 3 + k], b), 0),
        0,
      ) / 2,
    size:
      [0, 3].reduce(
        (s, i) => s + [0, 1, 2].reduce((a, k) => a + sl1(raw.psize[i][k] - pt.logSize[i * 3 + k], b), 0),
        0,
      ) / 2,
    class: [0, 3].reduce((s, i) => s + lce(raw.pcls[i], pt.cls[i]), 0) / 2,
  };
  const res = detectionLoss(pass, vt, pt, cfg);
  for (const [k, v] of Object.entries(want)) near(res.parts[`loss_${k}`], v, 1e-5, k);
  const total =
    want.vote +
    0.5 * want.seedObjectness +
    0.3 * want.seedClass +
    0.5 * want.objectness +
    want.center +
    want.size +
    0.2 * want.class;
  near(res.loss.dataSync()[0], total, 1e-5, 'total');

  // no proposals and no object voxels: only the seed objectness term remains, nothing is NaN
  const empty = fakePass(3, 0, d, r);
  const none: VoxelTargets = {
    positive: new Uint8Array(3),
    cls: Int32Array.of(-1, -1, -1),
    center: new Float32Array(9),
    count: 0,
  };
  const noProps: ProposalTargets = {
    label: new Int8Array(0),
    center: new Float32Array(0),
    logSize: new Float32Array(0),
    cls: new Int32Array(0),
    positives: 0,
    negatives: 0,
  };
  const e = detectionLoss(empty.pass, none, noProps, cfg);
  near(
    e.loss.dataSync()[0],
    (0.5 * empty.raw.obj.reduce((s, x) => s + lbce(x, 0), 0)) / 3,
    1e-5,
    'seed-only',
  );
  assert.deepEqual(Object.keys(e.parts).sort(), ['loss_seedClass', 'loss_seedObjectness', 'loss_vote']);
});
