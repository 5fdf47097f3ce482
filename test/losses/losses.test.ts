/**
 * Contrastive losses: hand-computed values on 3-point cases (PointInfoNCE, hardest-contrastive,
 * ShapeContext), the sampling rules, the partition rules, and finite-difference gradient checks.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../src/core/rng.js';
import { pointInfoNCE } from '../../src/losses/point-info-nce.js';
import { hardestContrastive } from '../../src/losses/hardest-contrastive.js';
import { partitionMatrix, partitionedNce, shapeContextLoss } from '../../src/losses/shape-context.js';
import { sampleOneMatchPerQuery } from '../../src/losses/sampling.js';
import { useBackend } from '../helpers/backends.js';

const F0 = [
  [0.6, 0.8],
  [1, 0],
  [0, -1],
];
const F1 = [
  [0.8, 0.6],
  [0.6, -0.8],
  [-1, 0],
];
const dot = (a: number[], b: number[]) => a.reduce((s, v, i) => s + v * b[i], 0);
const dist = (a: number[], b: number[]) => Math.sqrt(a.reduce((s, v, i) => s + (v - b[i]) ** 2, 0) + 1e-7);

test('PointInfoNCE equals the hand-computed cross-entropy on a 3-point case', async () => {
  await useBackend('cpu');
  const tau = 0.4;
  const corr = new Int32Array([0, 0, 1, 1, 2, 2]);
  const { loss, diagnostics } = pointInfoNCE(tf.tensor2d(F0), tf.tensor2d(F1), corr, new Rng(1), {
    npos: 8,
    temperature: tau,
  });
  let want = 0;
  for (let i = 0; i < 3; i++) {
    const lse = Math.log(F1.reduce((s, k) => s + Math.exp(dot(F0[i], k) / tau), 0));
    want += lse - dot(F0[i], F1[i]) / tau;
  }
  assert.ok(Math.abs(loss.dataSync()[0] - want / 3) < 1e-5, `${loss.dataSync()[0]} vs ${want / 3}`);
  assert.ok(Math.abs(diagnostics.posSim - (0.96 + 0.6 + 0) / 3) < 1e-6);
});

test('sampling: one random key per unique query, at most npos queries', () => {
  const corr = new Int32Array([0, 5, 0, 6, 0, 7, 3, 1, 3, 2, 9, 9]);
  const seen = new Map<string, number>();
  for (let s = 0; s < 600; s++) {
    const m = sampleOneMatchPerQuery(corr, 10, 8, new Rng(s));
    assert.deepEqual(Array.from(m.q), [0, 3, 9]);
    const key = `${m.k[0]}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
    assert.ok([1, 2].includes(m.k[1]) && m.k[2] === 9);
  }
  for (const k of ['5', '6', '7']) assert.ok((seen.get(k) ?? 0) > 150, `key ${k} drawn ${seen.get(k)} / 600`);
  const capped = sampleOneMatchPerQuery(corr, 10, 2, new Rng(4));
  assert.equal(capped.q.length, 2);
  assert.equal(new Set(capped.q).size, 2);
  assert.throws(
    () => sampleOneMatchPerQuery(new Int32Array([12, 0]), 10, 4, new Rng(1)),
    /query row 12 outside/,
  );
});

test('hardest-contrastive equals the hand-computed value, skipping true correspondences', async () => {
  await useBackend('cpu');
  // positives: (0,0), (1,1), (2,2) and also (0,1): the hardest negative of anchor 0 is then skipped
  const corr = new Int32Array([0, 0, 1, 1, 2, 2, 0, 1]);
  const opts = { npos: 16, negCandidates: 16, posMargin: 0.1, negMargin: 1.4 };
  const { loss, diagnostics } = hardestContrastive(tf.tensor2d(F0), tf.tensor2d(F1), corr, new Rng(2), opts);
  const P = [
    [0, 0],
    [1, 1],
    [2, 2],
    [0, 1],
  ];
  const isPos = (a: number, b: number) => P.some(([x, y]) => x === a && y === b);
  let pos = 0;
  let neg0 = 0;
  let n0 = 0;
  let neg1 = 0;
  let n1 = 0;
  for (const [i, j] of P) {
    pos += Math.max(0, dist(F0[i], F1[j]) ** 2 - 1e-7 - 0.1);
    const d01 = F1.map((k) => dist(F0[i], k));
    const k01 = d01.indexOf(Math.min(...d01));
    if (!isPos(i, k01)) {
      neg0 += Math.max(0, 1.4 - d01[k01]) ** 2;
      n0++;
    }
    const d10 = F0.map((k) => dist(F1[j], k));
    const k10 = d10.indexOf(Math.min(...d10));
    if (!isPos(k10, j)) {
      neg1 += Math.max(0, 1.4 - d10[k10]) ** 2;
      n1++;
    }
  }
  const want = pos / 4 + 0.5 * ((n0 ? neg0 / n0 : 0) + (n1 ? neg1 / n1 : 0));
  assert.ok(Math.abs(loss.dataSync()[0] - want) < 1e-4, `${loss.dataSync()[0]} vs ${want}`);
  assert.ok(diagnostics.skipped > 0);
});

test('ShapeContext partitions: distance and direction rules (4 and 8 partitions)', () => {
  const xyz = new Float32Array([0, 0, 0, 0, 0, 0.2, 0, 0, -0.2, 1, 0, 0.3, 0.01, 0, 0.01, 0.3, 0, 0]);
  const p4 = partitionMatrix(xyz, { partitions: 4, r1: 0.05, r2: 0.5 });
  const row0 = Array.from(p4.subarray(0, 6));
  assert.deepEqual(row0, [-1, 0, 1, 2, -1, -1]); // self, near-above, near-below, far-above, too close, rel_z = 0
  const p8 = partitionMatrix(xyz, { partitions: 8, r1: 0.05, r2: 0.5 });
  // j=5 is at +x (azimuth 0, elevation atan2(0, 0) = 0) near: bin 0
  assert.equal(p8[5], 0);
  // j=3: azimuth 0, elevation atan2(0, 0.3) = 0, far → 1
  assert.equal(p8[3], 1);
  assert.equal(p8[0], -1);
});

test('ShapeContext loss equals a brute-force evaluation on one scene', async () => {
  await useBackend('cpu');
  const pos0 = new Float32Array([0, 0, 0, 0, 0, 0.2, 1, 0, 0.3]);
  const corr = new Int32Array([0, 0, 1, 1, 2, 2]);
  const tau = 0.4;
  const opts = { npos: 8, temperature: tau, partitions: 4 as const, r1: 0.05, r2: 0.5 };
  const { loss } = shapeContextLoss(
    tf.tensor2d(F0),
    tf.tensor2d(F1),
    corr,
    { positions0: pos0, batch0: new Int32Array(3) },
    new Rng(1),
    opts,
  );
  const part = partitionMatrix(pos0, opts);
  let want = 0;
  for (let p = 0; p < 4; p++) {
    let ce = 0;
    for (let i = 0; i < 3; i++) {
      let sum = 0;
      for (let j = 0; j < 3; j++)
        if (j === i || part[i * 3 + j] === p) sum += Math.exp(dot(F0[i], F1[j]) / tau);
      ce += Math.log(sum) - dot(F0[i], F1[i]) / tau;
    }
    want += ce / 3;
  }
  want /= 4;
  assert.ok(Math.abs(loss.dataSync()[0] - want) < 1e-5, `${loss.dataSync()[0]} vs ${want}`);
});

for (const backend of ['cpu', 'wasm'] as const) {
  test(`partitioned NCE (segment sums) equals masked brute force, 60 anchors × 8 partitions (${backend})`, async () => {
    await useBackend(backend);
    const r = new Rng(21);
    const n = 60;
    const xyz = new Float32Array(Array.from({ length: n * 3 }, () => r.uniform(-0.8, 0.8)));
    const part = partitionMatrix(xyz, { partitions: 8, r1: 0.05, r2: 0.5 });
    // Logits up to ±12: the row maximum keeps the exponentials finite.
    const l = Array.from({ length: n * n }, () => r.normal() * 4);
    const got = tf.tidy(() => {
      const logits = tf.tensor2d(l, [n, n]);
      const pos = tf.tensor1d(Array.from({ length: n }, (_, i) => l[i * n + i]));
      return partitionedNce(logits, pos, part, 8).dataSync()[0];
    });
    let want = 0;
    for (let p = 0; p < 8; p++) {
      let ce = 0;
      for (let i = 0; i < n; i++) {
        let mx = -Infinity;
        for (let j = 0; j < n; j++) if (j === i || part[i * n + j] === p) mx = Math.max(mx, l[i * n + j]);
        let sum = 0;
        for (let j = 0; j < n; j++) if (j === i || part[i * n + j] === p) sum += Math.exp(l[i * n + j] - mx);
        ce += Math.log(sum) + mx - l[i * n + i];
      }
      want += ce / n;
    }
    assert.ok(Math.abs(got - want) < 1e-3 * Math.max(1, Math.abs(want)), `${got} vs ${want}`);
  });
}

test('finite-difference gradient checks of the three losses', async () => {
  await useBackend('cpu');
  const r = new Rng(5);
  const n = 6;
  const d = 4;
  const f0 = Array.from({ length: n * d }, () => r.normal() * 0.5);
  const f1 = Array.from({ length: n * d }, () => r.normal() * 0.5);
  const corr = new Int32Array([0, 0, 1, 1, 2, 3, 3, 2, 4, 4, 5, 5, 1, 0]);
  const pos0 = new Float32Array(Array.from({ length: n * 3 }, () => r.uniform(-0.6, 0.6)));
  const losses: [string, (a: tf.Tensor2D, b: tf.Tensor2D) => tf.Scalar][] = [
    ['point-info-nce', (a, b) => pointInfoNCE(a, b, corr, new Rng(9), { npos: 16, temperature: 0.4 }).loss],
    [
      'hardest-contrastive',
      (a, b) =>
        hardestContrastive(a, b, corr, new Rng(9), {
          npos: 16,
          negCandidates: 16,
          posMargin: 0.1,
          negMargin: 1.4,
        }).loss,
    ],
    [
      'shape-context',
      (a, b) =>
        shapeContextLoss(a, b, corr, { positions0: pos0, batch0: new Int32Array(n) }, new Rng(9), {
          npos: 16,
          temperature: 0.4,
          partitions: 4,
          r1: 0.05,
          r2: 0.5,
        }).loss,
    ],
  ];
  for (const [name, fn] of losses) {
    const a = tf.tensor2d(f0, [n, d]);
    const b = tf.tensor2d(f1, [n, d]);
    const [ga, gb] = tf.grads((x: tf.Tensor, y: tf.Tensor) => fn(x as tf.Tensor2D, y as tf.Tensor2D))([a, b]);
    const eps = 1e-2;
    for (const [which, base, g] of [
      ['f0', f0, ga],
      ['f1', f1, gb],
    ] as const) {
      const analytic = g.dataSync();
      for (let t = 0; t < base.length; t += 5) {
        const plus = [...base];
        const minus = [...base];
        plus[t] += eps;
        minus[t] -= eps;
        const eval_ = (v: number[]) =>
          which === 'f0'
            ? fn(tf.tensor2d(v, [n, d]), b).dataSync()[0]
            : fn(a, tf.tensor2d(v, [n, d])).dataSync()[0];
        const numeric = (eval_(plus) - eval_(minus)) / (2 * eps);
        assert.ok(
          Math.abs(numeric - analytic[t]) < 2e-2 * Math.max(1, Math.abs(numeric)),
          `${name} d/d${which}[${t}]: numeric ${numeric} vs analytic ${analytic[t]}`,
        );
      }
    }
  }
});
