/**
 * PretrainTask.loss with the ShapeContext and hardest-contrastive losses on a hand-made batch of
 * two scenes: the loss equals a brute-force evaluation over the task's own features, with the
 * ShapeContext geometry taken from the view-0 voxel centres mapped back through each item's
 * augmentation by hand (a 90° turn about x for scene 0, so a wrong inverse changes "above"), and
 * negatives never crossing scenes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type * as tf from '@tensorflow/tfjs';
import { loadConfigObject } from '../../../src/config/config-file.js';
import { pretrainConfigSchema } from '../../../src/tasks/pretrain/schema.js';
import { PretrainTask } from '../../../src/tasks/pretrain/task.js';
import type { PairBatch, Voxels } from '../../../src/data/loader/types.js';
import { useBackend } from '../../helpers/backends.js';

const VOXEL = 0.1;
const BASE = loadConfigObject(
  new URL('../../../configs/pretrain/synthetic-small.yaml', import.meta.url).pathname,
);

/** Item 0: aug = R·world + t with R a +90° turn about x; item 1: a plain shift. Row-major 3×4. */
const AFFINE = [
  [1, 0, 0, 0.3, 0, 0, -1, -0.2, 0, 1, 0, 0.5],
  [1, 0, 0, -1, 0, 1, 0, 2, 0, 0, 1, 0],
];
/** World position of an item's voxel (centre (c + ½)·voxel in the augmented frame), inverted by hand. */
function world(item: number, c: number[]): number[] {
  const a = [0, 1, 2].map((k) => (c[k] + 0.5) * VOXEL);
  const m = AFFINE[item];
  const d = [a[0] - m[3], a[1] - m[7], a[2] - m[11]];
  // R is orthonormal: R⁻¹ = Rᵀ
  return [0, 1, 2].map((k) => m[k] * d[0] + m[4 + k] * d[1] + m[8 + k] * d[2]);
}

const COORDS0 = [
  [
    [0, 0, 0],
    [0, 3, 1],
    [5, 1, 0],
    [2, 8, 2],
    [1, 1, 6],
  ],
  [
    [0, 0, 0],
    [0, 0, 3],
    [1, 0, 0],
    [4, 4, 1],
  ],
];

function voxels(items: number[][][]): Voxels {
  const rows = items.flatMap((list, b) => list.map((c) => [b, ...c]));
  const offsets = [0];
  for (const list of items) offsets.push(offsets[offsets.length - 1] + list.length);
  return {
    coords: Int32Array.from(rows.flat()),
    feats: new Float32Array(rows.length * 3).fill(1),
    featDim: 3,
    offsets: Int32Array.from(offsets),
    affine: Float64Array.from(AFFINE.flat()),
    affineExact: Uint8Array.from([1, 1]),
  };
}

function batch(corr: number[]): PairBatch {
  return {
    kind: 'pairs',
    epoch: 0,
    index: 0,
    batchSize: 2,
    sceneNames: ['s0', 's1'],
    view0: voxels(COORDS0),
    // view 1: the same voxels, shifted by one voxel in x
    view1: voxels(COORDS0.map((list) => list.map(([x, y, z]) => [x + 1, y, z]))),
    corr: Int32Array.from(corr),
    corrOffsets: Int32Array.from([0, 5, corr.length / 2]),
  };
}

const ONE_TO_ONE = [0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8];

function task(loss: Record<string, unknown>): PretrainTask {
  return new PretrainTask(pretrainConfigSchema.parse({ ...BASE, loss }), VOXEL);
}

function rows(t: tf.Tensor2D): number[][] {
  const d = t.shape[1];
  const v = t.dataSync();
  return Array.from({ length: t.shape[0] }, (_, i) => Array.from(v.subarray(i * d, i * d + d)));
}

const dot = (a: number[], b: number[]) => a.reduce((s, v, i) => s + v * b[i], 0);

test('ShapeContext through PretrainTask.loss = brute force over two scenes, un-augmented centres', async () => {
  await useBackend('wasm');
  const tau = 0.4;
  const [r1, r2] = [0.05, 0.5];
  const t = task({ type: 'shape-context', npos: 64, temperature: tau, partitions: 4, r1, r2 });
  const b = batch(ONE_TO_ONE);
  const [f0, f1] = t.embed(b, true).map(rows);
  const res = t.loss(b, 3);
  // partitions by the rule: d ≤ r1 or rel_z = 0 → none; else (d > r2) · 2 + (rel_z < 0)
  const scenes = [
    { rows: [0, 1, 2, 3, 4], pos: COORDS0[0].map((c) => world(0, c)) },
    { rows: [5, 6, 7, 8], pos: COORDS0[1].map((c) => world(1, c)) },
  ];
  // the turn about x matters: scene 0's world heights are not its augmented heights
  assert.ok(scenes[0].pos[3][2] < -0.9 && Math.abs(scenes[0].pos[4][2] - (6 + 0.5) * VOXEL) > 0.5);
  let want = 0;
  const used = new Set<number>();
  for (const s of scenes) {
    const n = s.rows.length;
    for (let p = 0; p < 4; p++) {
      let ce = 0;
      for (let i = 0; i < n; i++) {
        const q = s.rows[i];
        const pos = dot(f0[q], f1[q]) / tau;
        let sum = Math.exp(pos);
        for (let j = 0; j < n; j++) {
          if (j === i) continue;
          const rel = [0, 1, 2].map((k) => s.pos[j][k] - s.pos[i][k]);
          const d = Math.hypot(...rel);
          if (d <= r1 || rel[2] === 0) continue;
          const part = (d > r2 ? 2 : 0) + (rel[2] < 0 ? 1 : 0);
          used.add(part);
          if (part === p) sum += Math.exp(dot(f0[q], f1[s.rows[j]]) / tau);
        }
        ce += Math.log(sum) - pos;
      }
      want += ce / n;
    }
  }
  want /= 4 * scenes.length;
  assert.equal(used.size, 4, 'all four partitions occur');
  const got = res.loss.dataSync()[0];
  assert.ok(Math.abs(got - want) < 1e-4, `${got} vs ${want}`);
  assert.equal(res.metrics.matches, 9);
  assert.equal(res.metrics.voxels, 18);
  t.params.dispose();
});

test('hardest-contrastive through PretrainTask.loss = brute force (all pairs, all rows as candidates)', async () => {
  await useBackend('wasm');
  const opts = { npos: 64, negCandidates: 64, posMargin: 0.1, negMargin: 1.4 };
  const t = task({ type: 'hardest-contrastive', ...opts });
  const corr = [...ONE_TO_ONE, 1, 2, 6, 5];
  const b = batch(corr);
  const [f0, f1] = t.embed(b, true).map(rows);
  const res = t.loss(b, 0);
  const pairs = Array.from({ length: corr.length / 2 }, (_, i) => [corr[2 * i], corr[2 * i + 1]]);
  const isPos = (a: number, c: number) => pairs.some(([x, y]) => x === a && y === c);
  const dist = (a: number[], c: number[]) => Math.sqrt(a.reduce((s, v, i) => s + (v - c[i]) ** 2, 0) + 1e-7);
  let pos = 0;
  const neg = [0, 0];
  const kept = [0, 0];
  for (const [i, j] of pairs) {
    pos += Math.max(0, f0[i].reduce((s, v, k) => s + (v - f1[j][k]) ** 2, 0) - opts.posMargin);
    const d01 = f1.map((c) => dist(f0[i], c));
    const h01 = d01.indexOf(Math.min(...d01));
    if (!isPos(i, h01)) {
      neg[0] += Math.max(0, opts.negMargin - d01[h01]) ** 2;
      kept[0]++;
    }
    const d10 = f0.map((c) => dist(f1[j], c));
    const h10 = d10.indexOf(Math.min(...d10));
    if (!isPos(h10, j)) {
      neg[1] += Math.max(0, opts.negMargin - d10[h10]) ** 2;
      kept[1]++;
    }
  }
  const want = pos / pairs.length + 0.5 * neg.reduce((s, v, k) => s + (kept[k] ? v / kept[k] : 0), 0);
  const got = res.loss.dataSync()[0];
  assert.ok(Math.abs(got - want) < 1e-4, `${got} vs ${want}`);
  assert.equal(res.metrics.matches, 11);
  t.params.dispose();
});
