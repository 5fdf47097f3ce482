import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { generateScene, type SynthScene } from '../../../src/data/synth/scene.js';
import { L } from '../../../src/data/synth/classes.js';
import { blocksOverlap } from '../../../src/data/synth/world.js';
import { sectionalSofa } from '../../../src/data/synth/furniture/seating.js';
import { Rng } from '../../../src/core/rng.js';

/** Axis-aligned bounds of an instance's points: [minx, miny, minz, maxx, maxy, maxz]. */
function bounds(s: SynthScene, instance: number): number[] {
  const p = s.cloud.positions;
  const inst = s.cloud.instances!;
  const b = [Infinity, Infinity, Infinity, -Infinity, -Infinity, -Infinity];
  for (let i = 0; i < inst.length; i++) {
    if (inst[i] !== instance) continue;
    for (let k = 0; k < 3; k++) {
      b[k] = Math.min(b[k], p[3 * i + k]);
      b[k + 3] = Math.max(b[k + 3], p[3 * i + k]);
    }
  }
  return b;
}

/** Share of the 10 cm cells of an instance's plan bounds that hold none of its points. */
function emptyFootprint(s: SynthScene, instance: number): number {
  const [x0, y0, , x1, y1] = bounds(s, instance);
  const nx = Math.max(1, Math.ceil((x1 - x0) / 0.1));
  const ny = Math.max(1, Math.ceil((y1 - y0) / 0.1));
  const hit = new Uint8Array(nx * ny);
  const p = s.cloud.positions;
  const inst = s.cloud.instances!;
  for (let i = 0; i < inst.length; i++) {
    if (inst[i] !== instance) continue;
    const cx = Math.min(nx - 1, Math.floor((p[3 * i] - x0) / 0.1));
    const cy = Math.min(ny - 1, Math.floor((p[3 * i + 1] - y0) / 0.1));
    hit[cy * nx + cx] = 1;
  }
  return 1 - hit.reduce((a, v) => a + v, 0) / hit.length;
}

const ROOMS = 16;
const living = Array.from({ length: ROOMS }, (_, i) =>
  generateScene({ seed: 300 + i, roomType: 'livingroom', pointsPerM2: 400, noise: 0, variety: true }),
);
const bedrooms = Array.from({ length: ROOMS }, (_, i) =>
  generateScene({ seed: 400 + i, roomType: 'bedroom', pointsPerM2: 400, noise: 0, variety: true }),
);

describe('generateScene variety: the furniture of scanned homes', () => {
  test('off by default: the same seed without it is the plain room, with it the layout changes', () => {
    const plain = generateScene({ seed: 300, roomType: 'livingroom', pointsPerM2: 400, noise: 0 });
    const off = generateScene({
      seed: 300,
      roomType: 'livingroom',
      pointsPerM2: 400,
      noise: 0,
      variety: false,
    });
    assert.deepEqual(off.objects, plain.objects);
    assert.deepEqual(off.cloud.positions, plain.cloud.positions);
    assert.ok(!plain.objects.some((o) => o.kind === 'sectional-sofa'));
    const changed = living.filter((s, i) => {
      const p = generateScene({ seed: 300 + i, roomType: 'livingroom', pointsPerM2: 400, noise: 0 });
      return JSON.stringify(p.objects) !== JSON.stringify(s.objects);
    });
    assert.ok(changed.length >= ROOMS / 2, `${changed.length} of ${ROOMS} living rooms changed`);
  });

  test('sectional sofas: an L of 2.2–3.2 × 1.5–2.4 m with one empty corner of its bounds', () => {
    let seen = 0;
    for (const s of living) {
      for (const o of s.objects) {
        if (o.kind !== 'sectional-sofa') continue;
        assert.equal(o.label, L.sofa);
        const [x0, y0, z0, x1, y1, z1] = bounds(s, o.instance);
        if (!Number.isFinite(x0)) continue;
        seen++;
        const long = Math.max(x1 - x0, y1 - y0);
        const short = Math.min(x1 - x0, y1 - y0);
        assert.ok(long > 2.1 && long < 3.3, `${s.name}: long side ${long}`);
        assert.ok(short > 1.4 && short < 2.5, `${s.name}: short side ${short}`);
        assert.ok(z0 < 0.05 && z1 > 0.65 && z1 < 0.95, `${s.name}: height ${z0}..${z1}`);
        // the inside of the L is floor: a fifth or more of the bounds' cells get no sofa point
        const empty = emptyFootprint(s, o.instance);
        assert.ok(empty > 0.2, `${s.name}: ${(100 * empty).toFixed(0)} % of the footprint empty`);
      }
    }
    assert.ok(seen >= 3, `${seen} sectional sofas in ${ROOMS} living rooms`);
    // a straight sofa fills its bounds
    for (const s of living)
      for (const o of s.objects)
        if (o.kind === 'sofa' && Number.isFinite(bounds(s, o.instance)[0]))
          assert.ok(emptyFootprint(s, o.instance) < 0.1, `${s.name}: straight sofa`);
  });

  test("a sectional's parts stay inside its size and do not overlap one another", () => {
    for (let seed = 0; seed < 20; seed++) {
      const { model, front } = sectionalSofa(new Rng(seed));
      const solids = model.shape.solids;
      for (const b of solids) {
        assert.ok(b.z0 >= 0 && b.z1 <= model.h + 1e-9, `seed ${seed}: a part outside 0..h`);
        assert.ok(Math.abs(b.cx) + b.hx <= model.w / 2 + 1e-9, `seed ${seed}: a part outside the width`);
        assert.ok(Math.abs(b.cy) + b.hy <= model.d / 2 + 1e-9, `seed ${seed}: a part outside the depth`);
      }
      for (let i = 0; i < solids.length; i++)
        for (let j = i + 1; j < solids.length; j++)
          assert.ok(!blocksOverlap(solids[i], solids[j], 0.002), `seed ${seed}: parts ${i} and ${j} overlap`);
      // the coffee-table spot is in front of the long part, beside the forward part
      assert.ok(Math.abs(front[0]) > 0.3 && front[1] < model.d / 2 - 0.8, `seed ${seed}: front ${front}`);
    }
  });

  test('wall curtains: floor to near the ceiling, at least 0.9 m wide, against a wall and not at a window', () => {
    let seen = 0;
    for (const s of bedrooms) {
      const H = s.room.max[2];
      for (const o of s.objects) {
        if (o.label !== L.curtain) continue;
        const [x0, y0, z0, x1, y1, z1] = bounds(s, o.instance);
        if (!Number.isFinite(x0) || z0 > 0.06 || z1 < H - 0.3) continue;
        const width = Math.max(x1 - x0, y1 - y0);
        const depth = Math.min(x1 - x0, y1 - y0);
        // window curtains reach the floor too; a wall curtain has no window behind it
        const windowBehind = s.objects.some((w) => {
          if (w.label !== L.window) return false;
          const [a0, b0, , a1, b1] = bounds(s, w.instance);
          return a0 < x1 && a1 > x0 && b0 < y1 && b1 > y0;
        });
        if (windowBehind || width < 0.9) continue;
        seen++;
        assert.ok(depth < 0.3, `${s.name}: curtain ${depth} m deep`);
        const wallDist = Math.min(x0, y0, s.room.max[0] - x1, s.room.max[1] - y1);
        assert.ok(wallDist < 0.05, `${s.name}: curtain ${wallDist} m from the nearest wall`);
      }
    }
    assert.ok(seen >= 2, `${seen} wall curtains in ${ROOMS} bedrooms`);
  });

  test('more small things on the supports, and still nothing interpenetrates', () => {
    const smallCount = (rooms: SynthScene[]) =>
      rooms.reduce((n, s) => n + s.objects.filter((o) => o.label === L.otherprop).length, 0);
    const plain = Array.from({ length: ROOMS }, (_, i) =>
      generateScene({ seed: 400 + i, roomType: 'bedroom', pointsPerM2: 400, noise: 0 }),
    );
    assert.ok(
      smallCount(bedrooms) > 1.2 * smallCount(plain),
      `${smallCount(bedrooms)} vs ${smallCount(plain)}`,
    );
    for (const s of [...living, ...bedrooms]) {
      const solids = s.solids.filter((b) => b.instance >= 0 && s.objects[b.instance].label !== L.curtain);
      for (let i = 0; i < solids.length; i++)
        for (let j = i + 1; j < solids.length; j++)
          if (solids[i].instance !== solids[j].instance && blocksOverlap(solids[i], solids[j], 0.005))
            assert.fail(
              `${s.name}: ${s.objects[solids[i].instance].kind} and ${s.objects[solids[j].instance].kind} interpenetrate`,
            );
    }
  });
});
