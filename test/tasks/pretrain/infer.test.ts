import { test } from 'node:test';
import assert from 'node:assert/strict';
import { invertRigid, lookAt, rigidError, transformPoints } from '../../../src/geometry/rigid.js';
import { pairYaw, presentPair, type PairViews } from '../../../src/tasks/pretrain/infer.js';

function worldPair(): PairViews {
  const n = 50;
  const positions = new Float32Array(n * 3);
  for (let i = 0; i < n; i++) {
    positions[i * 3] = 1 + (i % 7) * 0.3;
    positions[i * 3 + 1] = 2 - (i % 5) * 0.2;
    positions[i * 3 + 2] = (i % 3) * 0.5;
  }
  return {
    view0: { positions, pose: lookAt([0, 0, 1.5], [2, 1, 0.5]) },
    view1: { positions: positions.slice(0, 30), pose: lookAt([4, 3, 1.2], [1.5, 1.5, 0.3]) },
  };
}

function maxDiff(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

test('camera frame: each view in its own camera frame; srcToRef is the relative pose', () => {
  const p = worldPair();
  const { src, ref, srcToRef } = presentPair(p, 0, 'camera');
  assert.ok(rigidError(srcToRef) < 1e-9);
  // The source's world points, expressed in view 1's camera frame.
  const expected = transformPoints(p.view0.positions, invertRigid(p.view1.pose));
  assert.ok(maxDiff(transformPoints(src.positions, srcToRef), expected) < 1e-4);
  assert.ok(maxDiff(ref.positions, transformPoints(p.view1.positions, invertRigid(p.view1.pose))) < 1e-6);
  // Camera frames are not the world frame (z forward, not up).
  assert.ok(maxDiff(src.positions, p.view0.positions) > 0.5);
});

test('gravity frame: reference stays in the world frame, source turned by the pair yaw about its centroid', () => {
  const p = worldPair();
  for (const i of [0, 1, 7]) {
    const { src, ref, srcToRef } = presentPair(p, i, 'gravity');
    assert.ok(rigidError(srcToRef) < 1e-9);
    assert.deepEqual(ref.positions, p.view1.positions);
    assert.ok(maxDiff(transformPoints(src.positions, srcToRef), p.view0.positions) < 1e-4);
    const n = src.positions.length / 3;
    const c = [0, 0, 0];
    const cs = [0, 0, 0];
    for (let k = 0; k < n; k++) {
      for (let d = 0; d < 3; d++) {
        c[d] += p.view0.positions[k * 3 + d] / n;
        cs[d] += src.positions[k * 3 + d] / n;
      }
      // Yaw keeps heights.
      assert.ok(Math.abs(src.positions[k * 3 + 2] - p.view0.positions[k * 3 + 2]) < 1e-5);
    }
    for (let d = 0; d < 3; d++) assert.ok(Math.abs(c[d] - cs[d]) < 1e-4);
    // The first point's bearing from the centroid turned by exactly pairYaw(i).
    const a0 = Math.atan2(p.view0.positions[1] - c[1], p.view0.positions[0] - c[0]);
    const a1 = Math.atan2(src.positions[1] - c[1], src.positions[0] - c[0]);
    const turn = (((a1 - a0) % (2 * Math.PI)) + 2 * Math.PI) % (2 * Math.PI);
    assert.ok(Math.abs(turn - pairYaw(i)) < 1e-4, `pair ${i}: turned ${turn}, yaw ${pairYaw(i)}`);
  }
  // The yaws differ from pair to pair and stay in [0, 2π).
  const yaws = Array.from({ length: 20 }, (_, i) => pairYaw(i));
  assert.equal(new Set(yaws.map((y) => y.toFixed(6))).size, 20);
  assert.ok(yaws.every((y) => y >= 0 && y < 2 * Math.PI));
});
