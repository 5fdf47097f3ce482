import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { sampleSurfaces, surfaceArea } from '../../../src/data/synth/sample.js';
import {
  aabbBlock,
  ShapeBuilder,
  type SceneSolid,
  type SynthSurface,
} from '../../../src/data/synth/shape.js';
import { TEXTURE } from '../../../src/data/synth/materials.js';
import { distanceToSurface, surfaceNormal } from './oracle.js';

const GREY = { color: [200, 200, 200] as [number, number, number], texture: TEXTURE.plain };

function scene(g: ShapeBuilder): { surfaces: SynthSurface[]; solids: SceneSolid[] } {
  return {
    surfaces: g.shape.surfaces.map((s) => ({ ...s, instance: 0 })),
    solids: g.shape.solids.map((b) => ({ ...b, instance: 0 })),
  };
}

describe('sampleSurfaces', () => {
  test('area-weighted count: a 2 m × 1.5 m rectangle at 1000 /m² gets exactly 3000 points', () => {
    const g = new ShapeBuilder(1);
    g.quad([0, 0, 0], [2, 0, 0], [0, 1.5, 0], GREY);
    const { surfaces, solids } = scene(g);
    assert.equal(surfaceArea(surfaces[0]), 3);
    const c = sampleSurfaces(surfaces, solids, { pointsPerM2: 1000, noise: 0, seed: 1 });
    assert.equal(c.positions.length / 3, 3000);
    assert.ok(c.labels!.every((l) => l === 1));
  });

  test('areas of frusta and annuli match the closed forms', () => {
    const g = new ShapeBuilder(0);
    g.cyl(0, 0, 0, 1, 0.5, 0.1, GREY);
    g.disk(0, 0, 0, 0.2, 0.4, true, GREY);
    const [side, top, bottom, ring] = g.shape.surfaces;
    assert.ok(Math.abs(surfaceArea(side) - Math.PI * 0.6 * Math.hypot(0.4, 1)) < 1e-12);
    assert.ok(Math.abs(surfaceArea(top) - Math.PI * 0.01) < 1e-12);
    assert.ok(Math.abs(surfaceArea(bottom) - Math.PI * 0.25) < 1e-12);
    assert.ok(Math.abs(surfaceArea(ring) - Math.PI * (0.16 - 0.04)) < 1e-12);
  });

  test('points lie on their surface with its normal; frustum and disk sampling is uniform by area', () => {
    const g = new ShapeBuilder(0);
    g.cyl(1, 2, 0.5, 1.5, 0.5, 0.1, GREY);
    g.vessel({ cx: 3, cy: 0, z0: 0, z1: 0.4, r0: 0.2, r1: 0.3 }, 0.02, GREY);
    g.box(-1, -1, 0.2, 0.6, 0.4, 0.3, GREY, { rz: 0.7 });
    const { surfaces, solids } = scene(g);
    const c = sampleSurfaces(surfaces, solids, {
      pointsPerM2: 12000,
      noise: 0,
      seed: 3,
      surfaceIds: true,
      contactEps: 0,
    });
    const sid = c.properties!.surface as Int32Array;
    const n = sid.length;
    let lower = 0;
    let side = 0;
    let inner = 0;
    let innerDisk = 0;
    for (let i = 0; i < n; i++) {
      const s = surfaces[sid[i]];
      const [x, y, z] = [c.positions[3 * i], c.positions[3 * i + 1], c.positions[3 * i + 2]];
      if (distanceToSurface(s, x, y, z) > 1e-5) assert.fail(`point ${i} off surface ${sid[i]}`);
      const nn = surfaceNormal(s, x, y);
      const dot = nn[0] * c.normals![3 * i] + nn[1] * c.normals![3 * i + 1] + nn[2] * c.normals![3 * i + 2];
      if (!(dot > 0.9999)) assert.fail(`normal of point ${i} (surface ${s.kind}) dot ${dot}`);
      // Surfaces: 0-2 cylinder side/top/bottom; 3-7 vessel outer, inner (inward), rim, inner bottom, outer bottom.
      if (sid[i] === 0) {
        side++;
        if (z < 1.0) lower++;
      }
      if (sid[i] === 4) inner++;
      if (
        sid[i] === 6 &&
        s.kind === 'disk' &&
        Math.hypot(x - s.center[0], y - s.center[1]) < s.r1 / Math.SQRT2
      )
        innerDisk++;
    }
    // Lower half of the frustum (r 0.5 → 0.3) holds (0.5 + 0.3) / (2 · 0.6) = 2/3 of its area.
    assert.ok(Math.abs(lower / side - 2 / 3) < 0.02, `lower fraction ${lower / side}`);
    assert.ok(inner > 700, `the vessel interior is sampled (${inner})`);
    const bottom = sid.filter((k) => k === 6).length;
    assert.ok(bottom > 600, `inner bottom points ${bottom}`);
    assert.ok(Math.abs(innerDisk / bottom - 0.5) < 0.05, `disk inner-area fraction ${innerDisk / bottom}`);
  });

  test('occlusion: nothing is sampled where a box stands on the floor; the box bottom is hidden', () => {
    const g = new ShapeBuilder(1);
    const slab = g.occluder(aabbBlock(-1, -1, -0.2, 3, 3, 0));
    g.quad([0, 0, 0], [2, 0, 0], [0, 2, 0], GREY, slab);
    g.label = 2;
    g.box(1, 1, 0, 0.5, 0.5, 0.5, GREY);
    const { surfaces, solids } = scene(g);
    const c = sampleSurfaces(surfaces, solids, { pointsPerM2: 4000, noise: 0, seed: 5 });
    let floor = 0;
    let bottom = 0;
    for (let i = 0; i < c.labels!.length; i++) {
      const [x, y, z] = [c.positions[3 * i], c.positions[3 * i + 1], c.positions[3 * i + 2]];
      if (c.labels![i] === 1) {
        floor++;
        assert.ok(
          !(Math.abs(x - 1) < 0.248 && Math.abs(y - 1) < 0.248),
          `floor point under the box at ${x},${y}`,
        );
      } else if (z < 1e-9) bottom++;
    }
    assert.equal(bottom, 0);
    // Visible floor = 4 − 0.25 (minus a 2 mm contact band): 3.75 m² · 4000 = 15000 ± binomial noise.
    const expected = 4000 * (4 - 0.504 * 0.504);
    assert.ok(Math.abs(floor - expected) < 4 * Math.sqrt(expected), `floor points ${floor} vs ${expected}`);
  });

  test('noise is Gaussian with the requested σ and leaves the sampled points unchanged otherwise', () => {
    const g = new ShapeBuilder(0);
    g.quad([0, 0, 0], [2, 0, 0], [0, 2, 0], GREY);
    const { surfaces, solids } = scene(g);
    const clean = sampleSurfaces(surfaces, solids, { pointsPerM2: 5000, noise: 0, seed: 8 });
    const noisy = sampleSurfaces(surfaces, solids, { pointsPerM2: 5000, noise: 0.01, seed: 8 });
    assert.equal(noisy.positions.length, clean.positions.length);
    assert.ok(
      Buffer.from(noisy.colors!).equals(Buffer.from(clean.colors!)),
      'colours do not depend on noise',
    );
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < clean.positions.length; i++) {
      const d = noisy.positions[i] - clean.positions[i];
      s += d;
      s2 += d * d;
    }
    const n = clean.positions.length;
    assert.ok(Math.abs(s / n) < 1e-4, `mean ${s / n}`);
    assert.ok(Math.abs(Math.sqrt(s2 / n) - 0.01) < 0.0003, `σ ${Math.sqrt(s2 / n)}`);
  });

  test('colour: Lambert shading of a plain material (ambient 0.62 + 0.38 n·l), tiles have ≈5% grout', () => {
    const g = new ShapeBuilder(0);
    g.quad([0, 0, 0], [1, 0, 0], [0, 1, 0], GREY);
    g.quad([0, 0, 0], [1, 0, 0], [0, 0, 1], GREY);
    g.quad([5, 0, 0], [3, 0, 0], [0, 3, 0], {
      color: [100, 100, 100],
      texture: TEXTURE.tiles,
      scale: 0.3,
      color2: [250, 0, 0],
    });
    const { surfaces, solids } = scene(g);
    const c = sampleSurfaces(surfaces, solids, {
      pointsPerM2: 3000,
      noise: 0,
      seed: 2,
      light: [0, 0, 1],
      colorNoise: 0,
      surfaceIds: true,
    });
    const sid = c.properties!.surface as Int32Array;
    let grout = 0;
    let tiles = 0;
    for (let i = 0; i < sid.length; i++) {
      const rgb = [c.colors![3 * i], c.colors![3 * i + 1], c.colors![3 * i + 2]];
      if (sid[i] === 0) assert.deepEqual(rgb, [200, 200, 200]);
      if (sid[i] === 1) assert.deepEqual(rgb, [124, 124, 124]);
      if (sid[i] === 2) {
        tiles++;
        if (rgb[0] === 250 && rgb[1] === 0) grout++;
      }
    }
    // Grout lines are 2.5% of the period in each direction: 1 − 0.975² = 4.94% of the area.
    assert.ok(Math.abs(grout / tiles - 0.0494) < 0.006, `grout fraction ${grout / tiles}`);
  });

  test('same seed, same bytes', () => {
    const g = new ShapeBuilder(0);
    g.cyl(0, 0, 0, 1, 0.3, 0.3, { color: [120, 80, 40], texture: TEXTURE.wood });
    const { surfaces, solids } = scene(g);
    const a = sampleSurfaces(surfaces, solids, { pointsPerM2: 2000, noise: 0.005, seed: 11 });
    const b = sampleSurfaces(surfaces, solids, { pointsPerM2: 2000, noise: 0.005, seed: 11 });
    assert.deepEqual(a, b);
  });
});
