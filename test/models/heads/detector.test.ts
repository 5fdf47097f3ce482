/**
 * The detector end to end on small random voxel sets: output shapes, no tensor leaks, boxes
 * mapped back through each item's affine (a translated copy of a scene gives the same boxes in
 * the original frame), and items of one batch detected independently of each other.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import {
  buildDetector,
  candidates,
  forwardDetector,
  voterExtents,
} from '../../../src/models/heads/detector.js';
import { architectureSchema } from '../../../src/models/build.js';
import { detHeadSchema } from '../../../src/models/heads/detection-head.js';
import { detectBoxes, type DecodeOptions } from '../../../src/models/heads/decode.js';
import type { DetBox } from '../../../src/eval/detection-boxes.js';
import { rng, useBackend } from '../../helpers/backends.js';

const VS = 0.25;
const ALL: DecodeOptions = { perClass: true, minScore: 0, nmsIou: 0.25, maxBoxes: null };

/** A scene of unique voxels (x, y, z) in a 24×24×8 grid. */
function sceneVoxels(seed: number, n: number): Int32Array {
  const r = rng(seed);
  const seen = new Set<number>();
  const out: number[] = [];
  while (out.length < n * 3) {
    const x = Math.floor(r() * 24);
    const y = Math.floor(r() * 24);
    const z = Math.floor(r() * 8);
    const k = (x * 24 + y) * 8 + z;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(x, y, z);
  }
  return Int32Array.from(out);
}

function batchOf(scenes: Int32Array[], shifts: number[][]) {
  const m = scenes.reduce((s, v) => s + v.length / 3, 0);
  const coords = new Int32Array(m * 4);
  const offsets = new Int32Array(scenes.length + 1);
  const affine = new Float64Array(scenes.length * 12);
  let row = 0;
  scenes.forEach((v, b) => {
    for (let i = 0; i < v.length / 3; i++, row++) {
      coords[row * 4] = b;
      for (let d = 0; d < 3; d++) coords[row * 4 + 1 + d] = v[i * 3 + d] + shifts[b][d];
    }
    offsets[b + 1] = row;
    affine.set([1, 0, 0, shifts[b][0] * VS, 0, 1, 0, shifts[b][1] * VS, 0, 0, 1, shifts[b][2] * VS], b * 12);
  });
  // features are a function of the voxel's unshifted position, so a copy of a scene has the same ones
  const feats = new Float32Array(m * 3);
  row = 0;
  scenes.forEach((v) => {
    for (let i = 0; i < v.length / 3; i++, row++)
      for (let k = 0; k < 3; k++)
        feats[row * 3 + k] = Math.sin(v[i * 3] * (1.3 + k) + v[i * 3 + 1] * 0.7 - v[i * 3 + 2] * k);
  });
  return { coords, feats, featDim: 3, offsets, affine };
}

function makeDetector() {
  return buildDetector(
    architectureSchema.parse({ backbone: 'Res16UNet14A-w4', inChannels: 3, outChannels: 1 }),
    detHeadSchema.parse({ hidden: 16, proposals: 12, nsample: 4, radius: 0.6, objectnessThreshold: 0 }),
    [3, 5, 8],
    VS,
    7,
  );
}

/** Order-free comparison (near-equal scores may swap places between two runs). */
function assertSameBoxes(a0: DetBox[], b0: DetBox[], what: string) {
  assert.equal(a0.length, b0.length, `${what}: box count`);
  const key = (x: DetBox) => [x.label, ...x.center.map((v) => Math.round(v * 100))];
  const cmp = (x: DetBox, y: DetBox) => {
    const [kx, ky] = [key(x), key(y)];
    for (let i = 0; i < kx.length; i++) if (kx[i] !== ky[i]) return kx[i] - ky[i];
    return 0;
  };
  const a = [...a0].sort(cmp);
  const b = [...b0].sort(cmp);
  a.forEach((x, i) => {
    const y = b[i];
    assert.equal(x.label, y.label, `${what}: label ${i}`);
    assert.ok(
      Math.abs(x.score - y.score) < 1e-4,
      `${what}: score ${i}: ${x.score} vs ${y.score} (${x.label} ${y.label})`,
    );
    // 0.3 mm: float32 sums in another order (batch layout) move votes by ~1e-4 m; a box in the
    // wrong frame would be off by whole voxels
    for (let d = 0; d < 3; d++) {
      assert.ok(
        Math.abs(x.center[d] - y.center[d]) < 3e-4,
        `${what}: centre ${i}: ${x.center} vs ${y.center}, ${x.score} ${y.score}`,
      );
      assert.ok(Math.abs(x.size[d] - y.size[d]) < 3e-4, `${what}: size ${i}`);
    }
  });
}

test('forward pass shapes; grouping stays inside each scene; no tensor leaks', async () => {
  await useBackend('wasm');
  const det = makeDetector();
  const s0 = sceneVoxels(1, 300);
  const s1 = sceneVoxels(2, 200);
  const batch = batchOf(
    [s0, s1],
    [
      [0, 0, 0],
      [0, 0, 0],
    ],
  );
  const before = tf.memory().numTensors;
  tf.tidy(() => {
    const pass = forwardDetector(det, batch, { training: true });
    assert.deepEqual(pass.seeds.classLogits.shape, [500, 3]);
    assert.deepEqual(pass.votes.shape, [500, 3]);
    const p = pass.groups.centres.length;
    assert.equal(p, 24);
    assert.deepEqual(pass.proposals.classLogits.shape, [p, 3]);
    assert.deepEqual(pass.proposals.objectness.shape, [p, 2]);
    assert.equal(pass.groups.members.length, p * 4);
    pass.groups.members.forEach((m, i) => {
      const item = pass.proposalItem[Math.floor(i / 4)];
      assert.ok(m >= batch.offsets[item] && m < batch.offsets[item + 1], 'member from another scene');
    });
  });
  detectBoxes(det, batch, ALL);
  assert.equal(tf.memory().numTensors, before);
  det.params.dispose();
});

test('detectBoxes: a translated copy gives the same boxes in the original frame; items are independent', async () => {
  await useBackend('wasm');
  const det = makeDetector();
  const s0 = sceneVoxels(3, 250);
  const s1 = sceneVoxels(4, 180);
  const [a] = detectBoxes(det, batchOf([s0], [[0, 0, 0]]), ALL);
  assert.ok(a.length > 5, `only ${a.length} boxes: the comparison would be weak`);
  const [moved] = detectBoxes(det, batchOf([s0], [[16, -32, 16]]), ALL);
  assertSameBoxes(moved, a, 'translated');
  const [b] = detectBoxes(det, batchOf([s1], [[0, 0, 0]]), ALL);
  const both = detectBoxes(
    det,
    batchOf(
      [s0, s1],
      [
        [0, 0, 0],
        [5, 5, 0],
      ],
    ),
    ALL,
  );
  assertSameBoxes(both[0], a, 'item 0 of 2');
  assertSameBoxes(both[1], b, 'item 1 of 2');
  // the viewer setting: one box per proposal at most, highest class only
  const view = detectBoxes(det, batchOf([s0], [[0, 0, 0]]), { ...ALL, perClass: false, maxBoxes: 5 })[0];
  assert.ok(view.length <= 5 && view.length > 0);
  for (let i = 1; i < view.length; i++) assert.ok(view[i - 1].score >= view[i].score);
  det.params.dispose();
});

test('candidates: rows at or above the threshold or forced, topped up with the most object-like', () => {
  const obj = Float32Array.of(0.9, 0.1, 0.5, 0.3, 0.7, 0.2, 0.6, 0.05);
  const force = Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 1);
  // rows 2..7: ≥ 0.5 → 2, 4, 6; forced 7
  assert.deepEqual(Array.from(candidates(obj, 2, 8, 0.5, 0, force)), [2, 4, 6, 7]);
  // at least 5: add the best remaining (row 3 at 0.3) → in row order
  assert.deepEqual(Array.from(candidates(obj, 2, 8, 0.5, 5, force)), [2, 3, 4, 6, 7]);
  // no row passes: the top 2 by objectness
  assert.deepEqual(Array.from(candidates(obj, 0, 8, 0.95, 2)), [0, 4]);
  // more wanted than rows: all of them
  assert.deepEqual(Array.from(candidates(obj, 0, 3, 0.95, 10)), [0, 1, 2]);
});

test('detached proposals: proposal losses train only the proposal layers (else they reach the backbone)', async () => {
  await useBackend('wasm');
  const batch = batchOf([sceneVoxels(5, 200)], [[0, 0, 0]]);
  for (const detachProposals of [true, false]) {
    const det = buildDetector(
      architectureSchema.parse({ backbone: 'Res16UNet14A-w4', inChannels: 3, outChannels: 1 }),
      detHeadSchema.parse({ hidden: 8, proposals: 6, nsample: 4, objectnessThreshold: 0, detachProposals }),
      [3, 5],
      VS,
      1,
    );
    const vars = det.params.trainable();
    const names = new Map(det.params.entries().map(([n, v]) => [v.name, n]));
    const reached = tf.tidy(() => {
      const { grads } = tf.variableGrads(() => {
        const p = forwardDetector(det, batch, { training: true }).proposals;
        return tf.addN([p.objectness, p.center, p.logSize, p.classLogits].map((t) => tf.sum(t))) as tf.Scalar;
      }, vars);
      return Object.keys(grads).map((k) => names.get(k)!);
    });
    const backbone = reached.filter((n) => !n.startsWith('head.'));
    const seedLayers = reached.filter((n) => n.startsWith('head.seed.'));
    assert.ok(
      reached.some((n) => n.startsWith('head.proposal.member_fc')),
      'proposal layers train',
    );
    if (detachProposals) assert.deepEqual([...backbone, ...seedLayers], []);
    else
      assert.ok(backbone.length > 10 && seedLayers.length > 0, `${backbone.length} backbone tensors reached`);
    det.params.dispose();
  }
});

test('voterExtents: bounding box (± half a voxel) of the candidates voting within the radius', () => {
  const r = rng(8);
  const n = 120;
  const positions = Float32Array.from({ length: n * 3 }, () => r() * 4);
  // two objects: rows < 60 vote near (1, 1, 1), the others near (3, 3, 1); row 7 is not a candidate
  const votes = Float32Array.from(
    { length: n * 3 },
    (_, k) => (Math.floor(k / 3) < 60 ? 1 : k % 3 === 2 ? 1 : 3) + (r() - 0.5) * 0.2,
  );
  const cand = Int32Array.from({ length: n }, (_, i) => i).filter((i) => i !== 7);
  const centres = Int32Array.of(3, 90);
  const ext = voterExtents(positions, votes, cand, centres, 0.3, 0.05);
  centres.forEach((c, k) => {
    const voters = Array.from(cand).filter(
      (q) => Math.hypot(...[0, 1, 2].map((d) => votes[q * 3 + d] - votes[c * 3 + d])) <= 0.3,
    );
    assert.ok(voters.length > 30 && !voters.includes(7));
    for (let d = 0; d < 3; d++) {
      const v = voters.map((q) => positions[q * 3 + d]);
      assert.ok(Math.abs(ext[k * 3 + d] - (Math.max(...v) - Math.min(...v) + 0.05)) < 1e-5);
    }
  });
});
