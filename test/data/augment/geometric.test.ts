import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { applyAffine } from '../../../src/core/affine.js';
import { bounds, pivotOf } from '../../../src/data/augment/state.js';
import { close, randomCloud, run } from './helpers.js';

const PI = Math.PI;
const square = () => ({ positions: Float32Array.of(1, 0, 0, 0, 1, 0, -1, 0, 2, 0, -1, 0) });

describe('rotate', () => {
  test('a 90° rotation about z at the origin maps known points', () => {
    const s = run(square(), [{ type: 'rotate', axis: 'z', range: [PI / 2, PI / 2], center: 'origin' }]);
    close(s.cloud.positions, [0, 1, 0, -1, 0, 0, 0, -1, 2, 1, 0, 0], 1e-6);
    assert.ok(s.affineExact);
    close(s.affine, [0, -1, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0], 1e-12);
  });

  test('a 90° rotation about x about the mean keeps the mean', () => {
    const c = { positions: Float32Array.of(0, 0, 0, 2, 0, 0, 2, 2, 0, 0, 2, 4) }; // mean (1, 1, 1)
    const s = run(c, [{ type: 'rotate', axis: 'x', range: [PI / 2, PI / 2] }]);
    // (x, y, z) → (x, 1 − (z − 1), 1 + (y − 1))
    close(s.cloud.positions, [0, 2, 0, 2, 2, 0, 2, 2, 2, 0, -2, 2], 1e-6);
    close(pivotOf(s.cloud.positions, 'mean'), [1, 1, 1], 1e-6);
  });

  test('normals rotate with the points and stay unit length', () => {
    const c = { positions: Float32Array.of(0, 0, 0), normals: Float32Array.of(1, 0, 0) };
    const s = run(c, [{ type: 'rotate', axis: 'z', range: [PI / 2, PI / 2] }]);
    close(s.cloud.normals!, [0, 1, 0], 1e-7);
  });

  test('random-axis rotation (PointContrast) preserves pairwise distances and angles are in range', () => {
    const c = randomCloud(50, 3);
    for (let seed = 0; seed < 20; seed++) {
      const s = run(c, [{ type: 'rotate', axis: 'random', range: [-PI, PI] }], seed);
      const a = c.positions;
      const b = s.cloud.positions;
      for (let i = 0; i < 49; i++) {
        const d0 = Math.hypot(
          a[i * 3] - a[i * 3 + 3],
          a[i * 3 + 1] - a[i * 3 + 4],
          a[i * 3 + 2] - a[i * 3 + 5],
        );
        const d1 = Math.hypot(
          b[i * 3] - b[i * 3 + 3],
          b[i * 3 + 1] - b[i * 3 + 4],
          b[i * 3 + 2] - b[i * 3 + 5],
        );
        assert.ok(Math.abs(d0 - d1) < 1e-5);
      }
      // proper rotation: trace = 1 + 2 cos θ gives |θ| ≤ π, det = +1
      const m = s.affine;
      const det =
        m[0] * (m[5] * m[10] - m[6] * m[9]) -
        m[1] * (m[4] * m[10] - m[6] * m[8]) +
        m[2] * (m[4] * m[9] - m[5] * m[8]);
      assert.ok(Math.abs(det - 1) < 1e-9);
    }
  });

  test('rotate-xyz with small x/y ranges tilts z by at most |x| + |y| (the z rotation may sit between them)', () => {
    let maxTilt = 0;
    for (let seed = 0; seed < 50; seed++) {
      const s = run(
        { positions: Float32Array.of(0, 0, 1) },
        [
          {
            type: 'rotate-xyz',
            x: [-PI / 64, PI / 64],
            y: [-PI / 64, PI / 64],
            z: [-PI, PI],
            center: 'origin',
          },
        ],
        seed,
      );
      const tilt = Math.acos(Math.min(1, s.cloud.positions[2]));
      assert.ok(tilt <= (2 * PI) / 64 + 1e-6, `tilt ${tilt}`);
      maxTilt = Math.max(maxTilt, tilt);
    }
    assert.ok(maxTilt > PI / 128, 'x/y tilts were drawn');
  });

  test('rotate-xyz composes in a random order: different orders give different matrices', () => {
    const mats = new Set<string>();
    for (let seed = 0; seed < 40; seed++) {
      const s = run(
        { positions: Float32Array.of(0, 0, 0) },
        [{ type: 'rotate-xyz', x: [0.5, 0.5], y: [0.5, 0.5], z: [0.5, 0.5], center: 'origin' }],
        seed,
      );
      mats.add(Array.from(s.affine, (v) => v.toFixed(6)).join());
    }
    assert.equal(mats.size, 6); // 3! orders of three fixed rotations
  });
});

describe('scale, flip, translate, center', () => {
  test('scale about the origin multiplies coordinates by s ∈ range', () => {
    const s = run(square(), [{ type: 'scale', range: [2, 2], center: 'origin' }]);
    close(s.cloud.positions, [2, 0, 0, 0, 2, 0, -2, 0, 4, 0, -2, 0]);
    for (let seed = 0; seed < 30; seed++) {
      const t = run(
        { positions: Float32Array.of(1, 1, 1) },
        [{ type: 'scale', range: [0.9, 1.1], center: 'origin' }],
        seed,
      );
      const v = t.cloud.positions;
      assert.ok(v[0] >= 0.9 - 1e-6 && v[0] <= 1.1 + 1e-6 && v[0] === v[1] && v[1] === v[2]);
    }
  });

  test('anisotropic scale keeps normals perpendicular to the scaled surface', () => {
    // plane x + y = 1 with normal (1,1,0)/√2; scale x by 2, y by 1 → plane x/2 + y = 1, normal ∝ (1/2, 1, 0)
    const c = {
      positions: Float32Array.of(1, 0, 0, 0, 1, 0),
      normals: Float32Array.of(Math.SQRT1_2, Math.SQRT1_2, 0, Math.SQRT1_2, Math.SQRT1_2, 0),
    };
    let found = false;
    for (let seed = 0; seed < 200 && !found; seed++) {
      const s = run(c, [{ type: 'scale', range: [0.5, 2], anisotropic: true, center: 'origin' }], seed);
      const sx = s.affine[0];
      const sy = s.affine[5];
      const n = s.cloud.normals!;
      const ex = 1 / sx;
      const ey = 1 / sy;
      const l = Math.hypot(ex, ey);
      close(n.subarray(0, 3), [ex / l, ey / l, 0], 1e-6);
      found = Math.abs(sx - sy) > 0.5;
    }
    assert.ok(found);
  });

  test('flip mirrors x about the chosen pivot and negates the normal', () => {
    const c = { positions: Float32Array.of(1, 2, 3, 3, 2, 3), normals: Float32Array.of(1, 0, 0, 0, 1, 0) };
    const s = run(c, [{ type: 'flip', axes: ['x'], pAxis: 1 }]); // mean x = 2
    close(s.cloud.positions, [3, 2, 3, 1, 2, 3]);
    close(s.cloud.normals!, [-1, 0, 0, 0, 1, 0]);
    const o = run(c, [{ type: 'flip', axes: ['x', 'y'], pAxis: 1, center: 'origin' }]);
    close(o.cloud.positions, [-1, -2, 3, -3, -2, 3]);
  });

  test('flip frequencies: applied with p, each axis with pAxis', () => {
    let fx = 0;
    let fy = 0;
    let both = 0;
    const n = 4000;
    for (let seed = 0; seed < n; seed++) {
      const s = run(
        { positions: Float32Array.of(1, 1, 1) },
        [{ type: 'flip', p: 0.95, center: 'origin' }],
        seed,
      );
      const x = s.cloud.positions[0] < 0;
      const y = s.cloud.positions[1] < 0;
      fx += +x;
      fy += +y;
      both += +(x && y);
    }
    assert.ok(Math.abs(fx / n - 0.475) < 0.03, `x ${fx / n}`);
    assert.ok(Math.abs(fy / n - 0.475) < 0.03, `y ${fy / n}`);
    assert.ok(Math.abs(both / n - 0.2375) < 0.03, `both ${both / n}`);
  });

  test('translate stays in range per axis', () => {
    for (let seed = 0; seed < 30; seed++) {
      const s = run(
        { positions: Float32Array.of(0, 0, 0) },
        [{ type: 'translate', x: [-0.2, 0.2], y: [1, 2] }],
        seed,
      );
      const [x, y, z] = s.cloud.positions;
      assert.ok(x >= -0.2 && x <= 0.2 && y >= 1 && y <= 2 && z === 0);
      close(s.affine, [1, 0, 0, x, 0, 1, 0, y, 0, 0, 1, 0], 1e-6);
    }
  });

  test('center: mean to origin, and bbox-floor puts the bbox centre at x=y=0 and the floor at z=0', () => {
    const c = { positions: Float32Array.of(0, 0, 1, 4, 2, 3, 2, 10, 2) };
    close(pivotOf(run(c, [{ type: 'center' }]).cloud.positions, 'mean'), [0, 0, 0], 1e-6);
    const [lo, hi] = bounds(run(c, [{ type: 'center', pivot: 'bbox-floor' }]).cloud.positions);
    close([lo[0] + hi[0], lo[1] + hi[1], lo[2]], [0, 0, 0], 1e-6);
  });
});

describe('jitter and the recorded affine', () => {
  test('coordinate jitter is clipped and has the requested σ', () => {
    const n = 20_000;
    const c = { positions: new Float32Array(n * 3) };
    const s = run(c, [{ type: 'jitter', sigma: 0.01, clip: 0.02 }]);
    let s2 = 0;
    let atClip = 0;
    for (const v of s.cloud.positions) {
      assert.ok(Math.abs(v) <= 0.02 + 1e-7);
      s2 += v * v;
      if (Math.abs(v) > 0.02 - 1e-7) atClip++;
    }
    // clipped N(0, 0.01²) at 2σ: E[x²] = σ²·(P(|z|<2) − 2·2·φ(2)) + clip²·P(|z|>2)
    const inner = 0.9545 - 4 * 0.05399;
    const expected = 1e-4 * inner + 4e-4 * 0.0455;
    assert.ok(Math.abs(s2 / (n * 3) - expected) / expected < 0.05);
    assert.ok(Math.abs(atClip / (n * 3) - 0.0455) < 0.006);
    assert.equal(s.affineExact, false);
  });

  test('a chain of affine steps: the recorded affine maps the input onto the output', () => {
    const c = randomCloud(200, 5);
    const items = [
      { type: 'center', pivot: 'bbox-floor' },
      { type: 'rotate-xyz', x: [-0.1, 0.1], y: [-0.1, 0.1], z: [-PI, PI] },
      { type: 'scale', range: [0.8, 1.2], anisotropic: true },
      { type: 'flip' },
      { type: 'translate', x: [-1, 1], y: [-1, 1], z: [-1, 1] },
    ];
    for (let seed = 0; seed < 10; seed++) {
      const s = run(c, items, seed);
      assert.ok(s.affineExact);
      close(applyAffine(s.affine, c.positions), s.cloud.positions, 1e-5);
    }
  });
});
