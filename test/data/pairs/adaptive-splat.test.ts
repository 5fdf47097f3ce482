/**
 * The adaptive splat radius of the virtual views: per-point radii from the local spacing (hand
 * grids), per-point radii equal to a constant reproduce the fixed radius exactly, and a sparse
 * front surface that a fixed small splat lets the back surface show through hides it completely
 * with adaptive radii (hand geometry: discs of the grid spacing cover the gaps).
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { intrinsicsFromFov } from '../../../src/geometry/camera.js';
import { visiblePoints } from '../../../src/geometry/depth-buffer.js';
import { identity4 } from '../../../src/geometry/rigid.js';
import { adaptiveSplatRadii } from '../../../src/data/pairs/views.js';
import { splatRadiusOption } from '../../../src/cli/commands/data-pairs.js';

/** A square grid of points at depth z (camera axes: x right, y down, z forward), half-size h, spacing s. */
function grid(z: number, h: number, s: number): number[] {
  const out: number[] = [];
  const n = Math.round((2 * h) / s);
  for (let i = 0; i <= n; i++) for (let j = 0; j <= n; j++) out.push(-h + i * s, -h + j * s, z);
  return out;
}

describe('adaptive splat radius', () => {
  test('radii are the 2nd-neighbour distance: 3 cm on a 3 cm grid, clamped to 1 cm on a 5 mm grid', () => {
    const coarse = adaptiveSplatRadii(Float32Array.from(grid(2, 0.3, 0.03)));
    for (const r of coarse) assert.ok(Math.abs(r - 0.03) < 1e-6, `${r}`);
    const fine = adaptiveSplatRadii(Float32Array.from(grid(2, 0.1, 0.005)));
    for (const r of fine) assert.equal(r, Math.fround(0.01));
  });

  test('per-point radii all equal to r give exactly the fixed-radius result', () => {
    const p = Float32Array.from([...grid(2, 0.5, 0.04), ...grid(3, 0.3, 0.02)]);
    const k = intrinsicsFromFov(320, 240, 60);
    const fixed = visiblePoints(p, k, identity4(), { splatRadius: 0.02 });
    const radii = new Float32Array(p.length / 3).fill(0.02);
    assert.deepEqual(visiblePoints(p, k, identity4(), { splatRadii: radii }), fixed);
    assert.throws(() => visiblePoints(p, k, identity4(), { splatRadii: new Float32Array(3) }), /3 radii for/);
  });

  test('a sparse front wall: a 1 cm splat lets the back wall through, adaptive radii hide it', () => {
    const front = grid(2, 0.8, 0.06);
    const back = grid(3, 0.3, 0.01);
    const p = Float32Array.from([...front, ...back]);
    const nFront = front.length / 3;
    const k = intrinsicsFromFov(320, 240, 60);
    const backSeen = (idx: Int32Array) => idx.filter((i) => i >= nFront).length;
    const fixed = visiblePoints(p, k, identity4(), { splatRadius: 0.01 });
    const adaptive = visiblePoints(p, k, identity4(), { splatRadii: adaptiveSplatRadii(p) });
    assert.ok(backSeen(fixed) > 1000, `fixed: ${backSeen(fixed)} back points seen`);
    assert.equal(backSeen(adaptive), 0);
    // every front point stays visible either way
    assert.equal(adaptive.length - backSeen(adaptive), nFront);
  });

  test('--splat-radius parses metres or adaptive', () => {
    assert.equal(splatRadiusOption('adaptive'), 'adaptive');
    assert.equal(splatRadiusOption('0.03'), 0.03);
    assert.equal(splatRadiusOption(undefined), undefined);
    assert.throws(
      () => splatRadiusOption('wide'),
      /--splat-radius: expected a radius in metres > 0 or 'adaptive', got 'wide'/,
    );
  });
});
