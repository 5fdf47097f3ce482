import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { backProjectDepth, intrinsicsFromFov } from '../../src/geometry/camera.js';
import { rasterizeTriangles } from '../../src/geometry/raster.js';
import { identity4, lookAt } from '../../src/geometry/rigid.js';

describe('triangle rasterisation', () => {
  const k = intrinsicsFromFov(40, 30, 90);

  test('a fronto-parallel quad at z = 2 fills its projection; the nearer of two overlapping quads wins', () => {
    const quad = (z: number, s: number) => [-s, -s, z, s, -s, z, s, s, z, -s, -s, z, s, s, z, -s, s, z];
    const tris = Float32Array.from([...quad(2, 0.5), ...quad(1, 0.1)]);
    const { depth, triangle } = rasterizeTriangles(tris, k, identity4());
    // f = 20, cx = 19.5: the big quad covers u ∈ [19.5 − 5, 19.5 + 5] → 15..24; the small one 19.5 ± 2 → 18..21
    let big = 0;
    let small = 0;
    for (let p = 0; p < depth.length; p++) {
      if (depth[p] === 2) big++;
      else if (Math.abs(depth[p] - 1) < 1e-6) small++;
      else assert.equal(depth[p], Infinity);
      if (depth[p] !== Infinity) assert.ok(triangle[p] >= 0);
    }
    assert.equal(small, 4 * 4);
    assert.equal(big, 10 * 10 - 16);
  });

  test('back-projected pixels of a tilted plane lie on that plane', () => {
    const pose = lookAt([0, 0, 1.5], [3, 1, 0.5]);
    // floor z = 0, 10 m × 10 m
    const tris = Float32Array.from([-5, -5, 0, 5, -5, 0, 5, 5, 0, -5, -5, 0, 5, 5, 0, -5, 5, 0]);
    const inv = Array.from(pose);
    const { depth } = rasterizeTriangles(tris, k, Float64Array.from(invert(inv)));
    const { positions } = backProjectDepth(
      depth.map((d) => (Number.isFinite(d) ? d : 0)),
      k,
      pose,
      { depthScale: 1 },
    );
    assert.ok(positions.length / 3 > 200);
    for (let i = 2; i < positions.length; i += 3)
      assert.ok(Math.abs(positions[i]) < 1e-5, `z = ${positions[i]}`);
  });

  test('triangles crossing the near plane are clipped, not mirrored', () => {
    // a floor strip from behind the camera to 5 m ahead, camera looking horizontally at height 1
    const pose = lookAt([0, 0, 1], [1, 0, 1]);
    const tris = Float32Array.from([-3, -1, 0, 5, -1, 0, 5, 1, 0, -3, -1, 0, 5, 1, 0, -3, 1, 0]);
    const { depth } = rasterizeTriangles(tris, k, Float64Array.from(invert(Array.from(pose))));
    for (let v = 0; v < 30; v++) {
      for (let u = 0; u < 40; u++) {
        const d = depth[v * 40 + u];
        // above the horizon (v < cy) nothing: the floor is below the camera
        if (v < 14.5) assert.equal(d, Infinity, `pixel ${u},${v}`);
        else if (Number.isFinite(d)) assert.ok(d > 0.05 && d <= 5.0001, `pixel ${u},${v}: ${d}`);
      }
    }
  });
});

function invert(m: number[]): number[] {
  const out = new Array<number>(16).fill(0);
  for (let r = 0; r < 3; r++) {
    for (let c = 0; c < 3; c++) out[r * 4 + c] = m[c * 4 + r];
    out[r * 4 + 3] = -(m[r] * m[3] + m[4 + r] * m[7] + m[8 + r] * m[11]);
  }
  out[15] = 1;
  return out;
}
