import { test } from 'node:test';
import assert from 'node:assert/strict';
import { availableModes, computeBounds, defaultMode, toViewerCloud } from '../src/scenes/viewer-cloud.js';
import { fitPose } from '../src/render/camera-fit.js';
import { boxSegments } from '../src/render/box-lines.js';
import type { PointCloud } from '../../src/geometry/point-cloud.js';

function cloud(n: number): PointCloud {
  const positions = new Float32Array(n * 3);
  for (let i = 0; i < n; i++) positions.set([i, 2 * i, 0 - i], i * 3);
  return {
    positions,
    colors: Uint8Array.from({ length: n * 3 }, (_, k) => k % 251),
    labels: Int32Array.from({ length: n }, (_, i) => i % 5),
    properties: {
      pred: Int16Array.from({ length: n }, (_, i) => i % 3),
      gt: Int16Array.from({ length: n }, (_, i) => (i % 4) - 1),
      confidence: Float32Array.from({ length: n }, (_, i) => i / n),
      curvature: Float64Array.from({ length: n }, (_, i) => i * 0.5),
      instance: Int32Array.from({ length: n }, (_, i) => i % 7),
      alpha: new Uint8Array(n).fill(255),
    },
  };
}

test('toViewerCloud: roles from property names, every array shuffled by one permutation', () => {
  const n = 1000;
  const src = cloud(n);
  const c = toViewerCloud(src, 3);
  assert.equal(c.count, n);
  assert.deepEqual(Object.keys(c.scalars).sort(), ['confidence', 'curvature']);
  assert.ok(c.gt instanceof Int32Array && c.pred instanceof Int32Array && c.instance instanceof Int32Array);
  let moved = 0;
  for (let i = 0; i < n; i++) {
    const j = c.order[i];
    if (j !== i) moved++;
    assert.deepEqual([...c.positions.subarray(i * 3, i * 3 + 3)], [j, 2 * j, 0 - j]);
    assert.deepEqual([...c.colors!.subarray(i * 3, i * 3 + 3)], [...src.colors!.subarray(j * 3, j * 3 + 3)]);
    assert.equal(c.gt![i], (j % 4) - 1, 'gt property wins over labels');
    assert.equal(c.pred![i], j % 3);
    assert.equal(c.instance![i], j % 7);
    assert.equal(c.scalars.confidence[i], Math.fround(j / n));
    assert.equal(c.scalars.curvature[i], j * 0.5);
  }
  assert.ok(moved > n * 0.9);
  assert.deepEqual(c.bounds, { min: [0, 0, -(n - 1)], max: [n - 1, 2 * (n - 1), 0] });
});

test('a plain scan: labels become gt, file order kept without a seed', () => {
  const c = toViewerCloud(
    { positions: new Float32Array([1, 2, 3, 4, 5, 6]), labels: Int32Array.from([4, 9]) },
    null,
  );
  assert.deepEqual([...c.gt!], [4, 9]);
  assert.deepEqual([...c.order], [0, 1]);
  assert.deepEqual(
    availableModes(c).map((m) => m.id),
    ['gt', 'height'],
  );
  assert.equal(defaultMode(c), 'gt');
  assert.throws(
    () => toViewerCloud({ positions: new Float32Array(3), properties: { x: new Float32Array(2) } }),
    /'x' has 2 values for 1 points/,
  );
});

test('availableModes for a prediction file', () => {
  const c = toViewerCloud(cloud(10));
  assert.deepEqual(
    availableModes(c).map((m) => m.id),
    ['rgb', 'gt', 'pred', 'error', 'f:confidence', 'instance', 'height', 'f:curvature'],
  );
  assert.equal(defaultMode(c), 'pred');
});

test('computeBounds ignores NaN coordinates', () => {
  assert.deepEqual(computeBounds(new Float32Array([1, 2, 3, NaN, NaN, NaN, -1, 5, 0])), {
    min: [-1, 2, 0],
    max: [1, 5, 3],
  });
  assert.deepEqual(computeBounds(new Float32Array(0)), { min: [0, 0, 0], max: [0, 0, 0] });
});

test('fitPose keeps every corner of the box inside the view cone', () => {
  const bounds = { min: [-3, -1, 0], max: [5, 2, 3] };
  for (const view of ['iso', 'top', 'front'] as const) {
    for (const aspect of [0.5, 1, 2]) {
      const fov = 50;
      const pose = fitPose(bounds, fov, aspect, view);
      const dir = pose.target.map((t, k) => t - pose.position[k]);
      const dn = Math.hypot(...dir);
      const limit = Math.min(fov / 2, (Math.atan(Math.tan((fov * Math.PI) / 360) * aspect) * 180) / Math.PI);
      for (let corner = 0; corner < 8; corner++) {
        const p = [0, 1, 2].map((k) => ((corner >> k) & 1 ? bounds.max[k] : bounds.min[k]));
        const v = p.map((x, k) => x - pose.position[k]);
        const cos = (v[0] * dir[0] + v[1] * dir[1] + v[2] * dir[2]) / (Math.hypot(...v) * dn);
        const angle = (Math.acos(Math.min(1, cos)) * 180) / Math.PI;
        assert.ok(angle <= limit + 1e-9, `${view} aspect ${aspect} corner ${corner}: ${angle} > ${limit}`);
      }
    }
  }
  const top = fitPose(bounds, 50, 1, 'top');
  assert.ok(
    top.position[2] > 3 && Math.abs(top.position[0] - 1) < 1e-9,
    'top view looks down from above the centre',
  );
});

test('boxSegments draws the 12 edges of each box', () => {
  const { positions, colors } = boxSegments(
    [
      { center: [0, 0, 0], size: [2, 4, 6] },
      { center: [10, 0, 0], size: [1, 1, 1] },
    ],
    (i) => (i === 0 ? [255, 0, 0] : [0, 0, 255]),
  );
  assert.equal(positions.length, 2 * 24 * 3);
  const lengths: number[] = [];
  const corners = new Set<string>();
  for (let s = 0; s < 12; s++) {
    const a = positions.subarray(s * 6, s * 6 + 3);
    const b = positions.subarray(s * 6 + 3, s * 6 + 6);
    lengths.push(Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]));
    corners.add([...a].join(',')).add([...b].join(','));
  }
  assert.deepEqual(
    lengths.sort((x, y) => x - y),
    [2, 2, 2, 2, 4, 4, 4, 4, 6, 6, 6, 6],
  );
  assert.equal(corners.size, 8);
  for (const c of corners)
    assert.deepEqual(
      c.split(',').map((v) => Math.abs(Number(v))),
      [1, 2, 3],
    );
  assert.deepEqual([...colors.subarray(0, 3)], [255, 0, 0]);
  assert.deepEqual([...colors.subarray(24 * 3, 24 * 3 + 3)], [0, 0, 255]);
  assert.equal(positions[24 * 3], 9.5);
});
