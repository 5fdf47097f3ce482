/**
 * Scene statistics on hand-built clouds (grid planes with known holes, tilts and noise; known
 * colours, labels and instances), the roughness against a brute-force oracle, and on the real
 * ScanNet fixture against the figures measured independently (SciPy) in
 * ../shared/reference/real-transfer.md §0 and the vertex counts of ../shared/data/README.md.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { Rng } from '../../src/core/rng.js';
import { quantileOf } from '../../src/core/quantile.js';
import { colorStats, holeShares, objectCount, sceneStats } from '../../src/data/scene-stats.js';
import { loadStatsInput, parseSynthSeeds } from '../../src/bench/scene-stats.js';

/** Points on a horizontal 1 cm grid over [0, w] × [0, d] at height z (cell centres), minus a rectangle hole. */
function floorGrid(w: number, d: number, z: number, hole?: [number, number, number, number]): number[] {
  const out: number[] = [];
  for (let i = 0; i < Math.round(w * 100); i++) {
    for (let j = 0; j < Math.round(d * 100); j++) {
      const x = (i + 0.5) / 100;
      const y = (j + 0.5) / 100;
      if (hole && x > hole[0] && x < hole[2] && y > hole[1] && y < hole[3]) continue;
      out.push(x, y, z);
    }
  }
  return out;
}

const near = (a: number, b: number, tol: number, what: string) =>
  assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b}`);

describe('scene statistics on hand-built clouds', () => {
  test('a 1 cm grid plane: 25 points per 5 cm cell = 10,000 /m², spacing 1 cm, flat, horizontal', () => {
    const s = sceneStats({ positions: Float32Array.from(floorGrid(2, 2, 0.025)) });
    assert.equal(s.points, 40000);
    near(s.pointsPerCell, 25, 1e-9, 'points per cell');
    near(s.pointsPerM2, 10000, 1e-6, 'points per m²');
    for (const q of [s.spacing.p10, s.spacing.p50, s.spacing.p90]) near(q, 0.01, 1e-6, 'spacing');
    near(s.roughnessP25, 0, 1e-6, 'roughness');
    assert.deepEqual(s.normals, { horizontal: 1, vertical: 0, oblique: 0 });
    assert.equal(s.color, null);
    assert.equal(s.classes, null);
    assert.equal(s.objects, null);
  });

  test('a plane tilted 45° is all oblique, a wall all vertical', () => {
    const g = floorGrid(1, 1, 0);
    const tilted = new Float32Array(g.length);
    const wall = new Float32Array(g.length);
    for (let i = 0; i < g.length; i += 3) {
      tilted.set([g[i], g[i + 1] * Math.SQRT1_2, g[i + 1] * Math.SQRT1_2], i);
      wall.set([g[i], 0, g[i + 1]], i);
    }
    assert.deepEqual(sceneStats({ positions: tilted }).normals, { horizontal: 0, vertical: 0, oblique: 1 });
    assert.deepEqual(sceneStats({ positions: wall }).normals, { horizontal: 0, vertical: 1, oblique: 0 });
  });

  test('holes: a 0.5 × 0.5 m gap in the floor is 25 of 400 cells; one full wall of four with a 0.3 m gap', () => {
    const pts = floorGrid(2, 2, 0, [0.5, 0.5, 1.0, 1.0]);
    // wall x = 0: 1 cm grid over y ∈ [0, 2], z ∈ [0, 1.2], a gap y ∈ [1.0, 1.3], z ∈ [0.4, 0.7]
    for (let j = 0; j < 200; j++) {
      for (let h = 0; h < 120; h++) {
        const y = (j + 0.5) / 100;
        const z = (h + 0.5) / 100;
        if (y > 1.0 && y < 1.3 && z > 0.4 && z < 0.7) continue;
        pts.push(0.02, y, z);
      }
    }
    const bounds = {
      min: [0, 0, 0] as [number, number, number],
      max: [2, 2, 1.2] as [number, number, number],
    };
    const h = holeShares(Float32Array.from(pts), bounds, 0.1);
    // floor: 20 × 20 cells, 5 × 5 empty
    near(h.floor, 25 / 400, 1e-12, 'floor holes');
    // walls: heights 0.1..1.1 → 10 rows; 4 walls × 20 × 10 = 800 cells; 600 on the three bare walls,
    // less the 2 × 10 corner cells of walls y = 0 and y = 2 that the wall x = 0 lies within 0.1 m of,
    // plus the 3 × 3 cells of the gap
    near(h.walls, (600 - 20 + 9) / 800, 1e-12, 'wall holes');
  });

  test('roughness of a noisy plane equals a brute-force 16-NN plane fit, and lies below σ', () => {
    const r = new Rng(11);
    const sigma = 0.005;
    const pts = floorGrid(0.4, 0.4, 0);
    for (let i = 0; i < pts.length; i += 3) pts[i + 2] = sigma * r.normal();
    const p = Float32Array.from(pts);
    const n = p.length / 3;
    // oracle: brute-force 16 nearest, covariance, smallest eigenvalue by bisection of the characteristic polynomial
    const res: number[] = [];
    for (let i = 0; i < n; i++) {
      const d: [number, number][] = [];
      for (let j = 0; j < n; j++) {
        if (j !== i)
          d.push([
            (p[i * 3] - p[j * 3]) ** 2 +
              (p[i * 3 + 1] - p[j * 3 + 1]) ** 2 +
              (p[i * 3 + 2] - p[j * 3 + 2]) ** 2,
            j,
          ]);
      }
      d.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
      const nb = [i, ...d.slice(0, 16).map((x) => x[1])];
      const mean = [0, 1, 2].map((c) => nb.reduce((s, j) => s + p[j * 3 + c], 0) / nb.length);
      const C = [0, 1, 2].map((a) =>
        [0, 1, 2].map(
          (b) => nb.reduce((s, j) => s + (p[j * 3 + a] - mean[a]) * (p[j * 3 + b] - mean[b]), 0) / nb.length,
        ),
      );
      const det = (l: number) =>
        (C[0][0] - l) * ((C[1][1] - l) * (C[2][2] - l) - C[1][2] * C[2][1]) -
        C[0][1] * (C[1][0] * (C[2][2] - l) - C[1][2] * C[2][0]) +
        C[0][2] * (C[1][0] * C[2][1] - (C[1][1] - l) * C[2][0]);
      // the smallest root lies in [0, min diagonal]; det(C − lI) > 0 below it
      let lo = 0;
      let hi = Math.min(C[0][0], C[1][1], C[2][2]);
      for (let it = 0; it < 200; it++) {
        const mid = (lo + hi) / 2;
        if (det(mid) > 0) lo = mid;
        else hi = mid;
      }
      res.push(Math.sqrt(lo));
    }
    const s = sceneStats({ positions: p });
    near(s.roughnessP25, quantileOf(res, 0.25), 1e-7, 'roughness p25');
    assert.ok(s.roughnessP25 > 0.5 * sigma && s.roughnessP25 < sigma, `roughness ${s.roughnessP25}`);
  });

  test('colour: red and black → mean 127.5/0/0, std 127.5/0/0, saturation ½', () => {
    const c = colorStats(Uint8Array.from([255, 0, 0, 0, 0, 0]));
    assert.deepEqual(c, { mean: [127.5, 0, 0], std: [127.5, 0, 0], saturation: 0.5 });
  });

  test('objects: instances whose majority label is not wall/floor/ceiling', () => {
    const names = ['wall', 'floor', 'chair', 'ceiling'];
    // instance 0: wall (3) vs chair (1) → stuff; 1: chair; 2: unlabelled; 3: ceiling; -1 ignored
    const labels = Int32Array.from([0, 0, 0, 2, 2, -1, 3, 1]);
    const inst = Int32Array.from([0, 0, 0, 0, 1, 2, 3, -1]);
    assert.equal(objectCount(labels, inst, names), 2);
  });

  test('class shares, ceiling by label and by geometry on a floor + ceiling box', () => {
    const f = floorGrid(1, 1, 0);
    const c = floorGrid(1, 1, 2.5);
    const positions = Float32Array.from([...f, ...c]);
    const n = positions.length / 3;
    const labels = new Int32Array(n);
    labels.fill(1, 0, n / 2);
    labels.fill(2, n / 2);
    const s = sceneStats({ positions, labels }, { classNames: ['wall', 'floor', 'ceiling'] });
    assert.deepEqual(s.classes, { floor: 0.5, ceiling: 0.5 });
    assert.equal(s.ceilingShare, 0.5);
    assert.equal(s.ceilingShareGeom, 0.5);
    assert.equal(
      sceneStats({ positions, labels }, { classNames: ['wall', 'floor', 'roof'] }).ceilingShare,
      null,
    );
  });

  test('synth seed lists', () => {
    assert.deepEqual(parseSynthSeeds('synth:5000,5003-5005'), [5000, 5003, 5004, 5005]);
    assert.throws(() => parseSynthSeeds('synth:5-3'), /runs backwards/);
    assert.throws(() => parseSynthSeeds('synth:a'), /bad part 'a'/);
    assert.throws(() => loadStatsInput('no/such/file.ply'), /no such file or folder/);
  });
});

const SCAN = new URL(
  '../../../shared/data/scannet/scans/scene0000_00/scene0000_00_vh_clean_2.ply',
  import.meta.url,
);
const skip = existsSync(SCAN) ? false : `shared data not found at ${SCAN.pathname}`;

describe('scene statistics on the real ScanNet fixture', { skip }, () => {
  test('scene0000_00: spacing as measured with SciPy, class shares from the README vertex counts', () => {
    const [c] = loadStatsInput(SCAN.pathname);
    const s = sceneStats(c.cloud, { classNames: c.classNames });
    assert.equal(s.points, 81369);
    // reference/real-transfer.md §0: 1.80 / 2.91 / 4.34 cm
    near(s.spacing.p10 * 100, 1.8, 0.005, 'p10');
    near(s.spacing.p50 * 100, 2.91, 0.005, 'p50');
    near(s.spacing.p90 * 100, 4.34, 0.005, 'p90');
    // data README: wall 13,899, floor 10,234, ceiling 2,509, unannotated 4,357 of 81,369
    assert.equal(s.classes?.wall, 13899 / 81369);
    assert.equal(s.classes?.floor, 10234 / 81369);
    assert.equal(s.ceilingShare, 2509 / 81369);
    assert.equal(s.classes?.unannotated, 4357 / 81369);
  });
});
