import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  backProjectDepth,
  intrinsicsFromFov,
  projectPoints,
  type Intrinsics,
} from '../../src/geometry/camera.js';
import {
  identity4,
  invertRigid,
  lookAt,
  multiply4,
  rigidError,
  transformPoints,
} from '../../src/geometry/rigid.js';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('rigid transforms', () => {
  test('invertRigid(m)·m is the identity and lookAt is orthonormal', () => {
    const m = lookAt([1, 2, 1.5], [4, -1, 0.7]);
    assert.ok(rigidError(m) < 1e-12);
    const p = multiply4(invertRigid(m), m);
    const id = identity4();
    for (let i = 0; i < 16; i++) assert.ok(Math.abs(p[i] - id[i]) < 1e-12, `entry ${i}: ${p[i]}`);
  });

  test('lookAt uses OpenCV axes: x right, y down, z forward (z-up world)', () => {
    // camera at height 1.5 looking along +x: right is −y, down is −z
    const pose = lookAt([0, 0, 1.5], [5, 0, 1.5]);
    const cam = transformPoints(Float32Array.from([3, 0, 1.5, 3, -1, 1.5, 3, 0, 2.5]), invertRigid(pose));
    assert.deepEqual(
      Array.from(cam).map((v) => Math.round(v * 1e6) / 1e6),
      [0, 0, 3, 1, 0, 3, 0, -1, 3],
    );
  });
});

describe('pinhole camera', () => {
  test('hand-computed back-projection (ScanNet formula, mm depth)', () => {
    const k: Intrinsics = { width: 100, height: 80, fx: 100, fy: 50, cx: 50, cy: 40 };
    const depth = new Uint16Array(100 * 80);
    depth[40 * 100 + 60] = 2000; // u=60, v=40
    depth[10 * 100 + 0] = 500; // u=0, v=10
    const pose = identity4();
    pose[3] = 1;
    pose[7] = 2;
    pose[11] = 3;
    const { positions, pixels } = backProjectDepth(depth, k, pose);
    assert.deepEqual(Array.from(pixels), [10 * 100, 40 * 100 + 60]);
    const expected = [((0 - 50) * 0.5) / 100 + 1, ((10 - 40) * 0.5) / 50 + 2, 0.5 + 3, 1.2, 2, 5];
    positions.forEach((v, i) =>
      assert.ok(Math.abs(v - expected[i]) < 1e-6, `coord ${i}: ${v} vs ${expected[i]}`),
    );
  });

  test('project → back-project round trip through a rotated, translated camera', () => {
    const k = intrinsicsFromFov(64, 48, 70);
    const pose = lookAt([0.3, -0.2, 1.4], [2, 1, 0.9]);
    const w2c = invertRigid(pose);
    const r = rng(7);
    const depth = new Float32Array(64 * 48);
    const truth: number[] = [];
    for (let t = 0; t < 200; t++) {
      const p = Math.floor(r() * depth.length);
      if (depth[p] > 0) continue;
      depth[p] = 0.5 + 4 * r();
      truth.push(p);
    }
    truth.sort((a, b) => a - b);
    const { positions, pixels } = backProjectDepth(depth, k, pose, { depthScale: 1 });
    assert.deepEqual(Array.from(pixels), truth);
    const uvz = projectPoints(positions, k, w2c);
    for (let i = 0; i < truth.length; i++) {
      const p = truth[i];
      assert.ok(Math.abs(uvz[i * 3] - (p % 64)) < 1e-3, `u of pixel ${p}`);
      assert.ok(Math.abs(uvz[i * 3 + 1] - Math.floor(p / 64)) < 1e-3, `v of pixel ${p}`);
      assert.ok(Math.abs(uvz[i * 3 + 2] - depth[p]) < 1e-5, `z of pixel ${p}`);
    }
  });

  test('depth range filter and size mismatch error', () => {
    const k = intrinsicsFromFov(4, 2, 90);
    const depth = Uint16Array.from([0, 100, 1000, 5000, 9000, 0, 0, 1]);
    const { pixels } = backProjectDepth(depth, k, identity4(), { minDepth: 0.5, maxDepth: 6 });
    assert.deepEqual(Array.from(pixels), [2, 3]);
    assert.throws(() => backProjectDepth(new Uint16Array(7), k, identity4()), /7 pixels, intrinsics say 4×2/);
  });
});
