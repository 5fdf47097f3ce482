/**
 * The contrastive-loss paths the 3-point cases never reach: hardest-contrastive with more
 * correspondences than `npos` and more rows than `negCandidates` (both subsampled) against a
 * brute-force evaluation over the same samples, and ShapeContext over two scenes of one batch
 * against hand-written partitions (no negative crosses scenes; the sum is over scenes).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../src/core/rng.js';
import { hardestContrastive } from '../../src/losses/hardest-contrastive.js';
import { shapeContextLoss } from '../../src/losses/shape-context.js';
import { subsample } from '../../src/losses/sampling.js';
import { useBackend } from '../helpers/backends.js';

const sq = (a: number[], b: number[]) => a.reduce((s, v, i) => s + (v - b[i]) ** 2, 0);
const dot = (a: number[], b: number[]) => a.reduce((s, v, i) => s + v * b[i], 0);

test('hardest-contrastive, sampled branch (30 pairs > npos 6, 24 rows > 8 candidates) = brute force', async () => {
  await useBackend('cpu');
  const r = new Rng(13);
  const n = 24;
  const d = 3;
  const f0 = Array.from({ length: n }, () => Array.from({ length: d }, () => r.normal() * 0.6));
  // view-1 rows close to their view-0 partners, so hardest negatives are often true matches
  const f1 = f0.map((row) => row.map((v) => v + r.normal() * 0.05));
  const pairs: [number, number][] = [];
  for (let i = 0; i < 22; i++) pairs.push([i, i]);
  for (let i = 0; i < 8; i++) pairs.push([i, i + 1]);
  const corr = Int32Array.from(pairs.flat());
  const opts = { npos: 6, negCandidates: 8, posMargin: 0.1, negMargin: 1.4 };
  const seed = 4;
  const got = hardestContrastive(tf.tensor2d(f0), tf.tensor2d(f1), corr, new Rng(seed), opts);

  // the same draws, in the loss's order: kept pairs, then view-0 and view-1 candidates
  const rr = new Rng(seed);
  const keep = Array.from(subsample(pairs.length, opts.npos, rr));
  const cand0 = Array.from(subsample(n, opts.negCandidates, rr));
  const cand1 = Array.from(subsample(n, opts.negCandidates, rr));
  assert.equal(keep.length, 6);
  assert.equal(new Set(cand1).size, 8);
  assert.notDeepEqual(cand1, [0, 1, 2, 3, 4, 5, 6, 7], 'candidates are a sample, not the first rows');
  const isPos = (a: number, b: number) => pairs.some(([x, y]) => x === a && y === b);
  const dist = (a: number[], b: number[]) => Math.sqrt(sq(a, b) + 1e-7);
  let pos = 0;
  let neg0 = 0;
  let kept0 = 0;
  let neg1 = 0;
  let kept1 = 0;
  for (const t of keep) {
    const [i, j] = pairs[t];
    pos += Math.max(0, sq(f0[i], f1[j]) - opts.posMargin);
    const d01 = cand1.map((c) => dist(f0[i], f1[c]));
    const h01 = d01.indexOf(Math.min(...d01));
    if (!isPos(i, cand1[h01])) {
      neg0 += Math.max(0, opts.negMargin - d01[h01]) ** 2;
      kept0++;
    }
    const d10 = cand0.map((c) => dist(f1[j], f0[c]));
    const h10 = d10.indexOf(Math.min(...d10));
    if (!isPos(cand0[h10], j)) {
      neg1 += Math.max(0, opts.negMargin - d10[h10]) ** 2;
      kept1++;
    }
  }
  const skipped = 2 * keep.length - kept0 - kept1;
  assert.ok(skipped > 0 && skipped < 2 * keep.length, `both outcomes of the skip rule occur (${skipped})`);
  const want = pos / keep.length + 0.5 * ((kept0 ? neg0 / kept0 : 0) + (kept1 ? neg1 / kept1 : 0));
  assert.ok(Math.abs(got.loss.dataSync()[0] - want) < 1e-4, `${got.loss.dataSync()[0]} vs ${want}`);
  assert.ok(Math.abs(got.diagnostics.skipped - skipped / (2 * keep.length)) < 1e-12);
});

test('ShapeContext over two scenes: per-scene partitions by hand, summed over scenes', async () => {
  await useBackend('cpu');
  // view-0 rows 0–2 are scene 0, rows 3–5 scene 1 (metres, z up); 4 partitions, r1 5 cm, r2 50 cm
  const positions0 = new Float32Array([
    ...[0, 0, 0, 0, 0, 0.2, 1, 0, 0.3],
    ...[5, 5, 1, 5, 5.3, 1, 5, 5, 0.4],
  ]);
  // partition of (anchor, key) within each scene: 0 near-above, 1 near-below, 2 far-above,
  // 3 far-below, −1 none (itself, or rel_z = 0 as for rows 3 and 4)
  const PART = [
    [
      [-1, 0, 2],
      [1, -1, 2],
      [3, 3, -1],
    ],
    [
      [-1, -1, 3],
      [-1, -1, 3],
      [2, 2, -1],
    ],
  ];
  const F0 = [
    [0.6, 0.8],
    [1, 0],
    [0, -1],
    [-0.6, 0.8],
    [0.8, -0.6],
    [0, 1],
  ];
  const F1 = [
    [0.8, 0.6],
    [0.6, -0.8],
    [-1, 0],
    [-0.8, 0.6],
    [1, 0],
    [0.6, 0.8],
  ];
  // scene-1 pairs first and interleaved: grouping is by the query's scene, not by position
  const corr = new Int32Array([3, 3, 0, 0, 4, 4, 1, 1, 5, 5, 2, 2]);
  const tau = 0.4;
  const opts = { npos: 16, temperature: tau, partitions: 4 as const, r1: 0.05, r2: 0.5 };
  const { loss } = shapeContextLoss(
    tf.tensor2d(F0),
    tf.tensor2d(F1),
    corr,
    { positions0, batch0: new Int32Array([0, 0, 0, 1, 1, 1]) },
    new Rng(1),
    opts,
  );
  let want = 0;
  for (let s = 0; s < 2; s++) {
    for (let p = 0; p < 4; p++) {
      let ce = 0;
      for (let i = 0; i < 3; i++) {
        const a = 3 * s + i;
        let sum = Math.exp(dot(F0[a], F1[a]) / tau);
        for (let j = 0; j < 3; j++)
          if (j !== i && PART[s][i][j] === p) sum += Math.exp(dot(F0[a], F1[3 * s + j]) / tau);
        ce += Math.log(sum) - dot(F0[a], F1[a]) / tau;
      }
      want += ce / 3;
    }
  }
  want /= 4 * 2;
  assert.ok(Math.abs(loss.dataSync()[0] - want) < 1e-5, `${loss.dataSync()[0]} vs ${want}`);
});
