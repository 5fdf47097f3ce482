import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { intrinsicsFromFov } from '../../src/geometry/camera.js';
import { splatDepth, visiblePoints } from '../../src/geometry/depth-buffer.js';
import { identity4 } from '../../src/geometry/rigid.js';

/**
 * A square wall of points at depth 2 in front of an identity camera (x, y = −0.4975 + s·i, off the
 * pixel-rounding ties), followed by probe points.
 */
function scene(
  spacing: number,
  count: number,
  probes: number[][],
): { positions: Float32Array; wall: number } {
  const pts: number[] = [];
  for (let i = 0; i < count; i++) {
    for (let j = 0; j < count; j++) pts.push(-0.4975 + i * spacing, -0.4975 + j * spacing, 2);
  }
  const wall = pts.length / 3;
  for (const p of probes) pts.push(...p);
  return { positions: Float32Array.from(pts), wall };
}

describe('depth-buffer visibility', () => {
  const k = intrinsicsFromFov(64, 48, 90); // f = 32 px, cx = 31.5, cy = 23.5

  test('a point behind a wall is hidden, points in front of or beside it are visible', () => {
    const probes = [
      [0, 0, 3], // behind the wall: hidden
      [0.2, -0.1, 2.5], // behind the wall: hidden
      [0, 0, 1.5], // in front of the wall: visible
      [2, 0, 3], // beside the wall (projects outside it): visible
      [0, 0, -1], // behind the camera: not visible
      [0.1, 0.1, 2.01], // 1 cm behind the wall surface: within tolerance, visible
      [30, 0, 3], // outside the image: not visible
    ];
    const { positions, wall } = scene(0.01, 100, probes);
    const vis = new Set(visiblePoints(positions, k, identity4(), { splatRadius: 0.01 }));
    assert.deepEqual(
      probes.map((_, i) => vis.has(wall + i)),
      [false, false, true, true, false, true, false],
    );
  });

  test('every point of an unoccluded wall is visible', () => {
    const { positions, wall } = scene(0.01, 100, []);
    assert.equal(visiblePoints(positions, k, identity4(), { splatRadius: 0.01 }).length, wall);
  });

  test('splatted depth covers exactly the wall projection at depth 2', () => {
    const depth = splatDepth(scene(0.01, 100, []).positions, k, identity4(), { splatRadius: 0.01 });
    // u = 31.5 + 16x ∈ [23.54, 39.38] → columns 24..39; v = 23.5 + 16y → rows 16..31
    for (let v = 0; v < 48; v++) {
      for (let u = 0; u < 64; u++) {
        const inside = u >= 24 && u <= 39 && v >= 16 && v <= 31;
        assert.equal(depth[v * 64 + u], inside ? 2 : Infinity, `pixel ${u},${v}`);
      }
    }
  });

  test('the world-space splat radius closes holes of a sparse wall', () => {
    // 10 cm spacing at 2 m = 1.6 px between points: a point behind shows through the gaps unless splats fill them
    const behind = [-0.046875, -0.046875, 3]; // projects to pixel (31, 23), which no wall point hits
    const { positions, wall } = scene(0.1, 10, [behind]);
    const tiny = visiblePoints(positions, k, identity4(), { splatRadius: 0.001 });
    const wide = visiblePoints(positions, k, identity4(), { splatRadius: 0.08 });
    assert.equal(tiny.includes(wall), true);
    assert.equal(wide.includes(wall), false);
    assert.equal(wide.length, wall);
  });
});
