import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { generateScene, type SynthScene } from '../../../src/data/synth/scene.js';
import { L, ROOM_TYPES, SYNTH_LABEL_MAP, NUM_SYNTH_CLASSES } from '../../../src/data/synth/classes.js';
import { blocksOverlap } from '../../../src/data/synth/world.js';
import { distanceToSurface, surfaceNormal } from './oracle.js';

const STUFF = new Set<number>([L.wall, L.floor, L.ceiling]);

function points(s: SynthScene, i: number): [number, number, number] {
  const p = s.cloud.positions;
  return [p[3 * i], p[3 * i + 1], p[3 * i + 2]];
}

describe('generateScene: determinism', () => {
  test('same seed → byte-identical arrays and boxes; different seeds differ', () => {
    const a = generateScene({ seed: 12, pointsPerM2: 300 });
    const b = generateScene({ seed: 12, pointsPerM2: 300 });
    const c = generateScene({ seed: 13, pointsPerM2: 300 });
    for (const k of ['positions', 'colors', 'normals', 'labels', 'instances'] as const) {
      const x = a.cloud[k]!;
      assert.deepEqual(
        Buffer.from(x.buffer, x.byteOffset, x.byteLength),
        Buffer.from(b.cloud[k]!.buffer, b.cloud[k]!.byteOffset, b.cloud[k]!.byteLength),
        k,
      );
    }
    assert.deepEqual(a.boxes, b.boxes);
    assert.equal(a.name, b.name);
    assert.notDeepEqual(a.cloud.positions.slice(0, 300), c.cloud.positions.slice(0, 300));
  });

  test('the layout depends on the seed only, not on density, noise or the ceiling', () => {
    const a = generateScene({ seed: 21, roomType: 'office', pointsPerM2: 400, noise: 0 });
    const b = generateScene({
      seed: 21,
      roomType: 'office',
      pointsPerM2: 900,
      noise: 0.01,
      ceiling: !a.surfaces.some((s) => s.label === L.ceiling),
    });
    assert.deepEqual(a.objects, b.objects);
    assert.deepEqual(a.room, b.room);
    // Same surfaces apart from the ceiling (whose slab shifts the solid ids).
    const strip = (x: SynthScene) =>
      x.surfaces.filter((q) => q.label !== L.ceiling).map((q) => ({ ...q, solid: 0 }));
    assert.deepEqual(strip(a), strip(b));
  });

  test('bad options are rejected with a message naming the option', () => {
    assert.throws(() => generateScene({ seed: 1.5 }), /seed must be a non-negative integer/);
    assert.throws(() => generateScene({ seed: -3 }), /seed must be a non-negative integer/);
    assert.throws(() => generateScene({ seed: 1, pointsPerM2: 0 }), /pointsPerM2/);
    assert.throws(() => generateScene({ seed: 1, noise: -1 }), /noise/);
    assert.throws(() => generateScene({ seed: 1, roomType: 'garage' as never }), /roomType must be one of/);
  });
});

describe('generateScene: content', () => {
  test('every class of the label map appears over 30 scenes (6 per room type); room types get their fixtures', () => {
    const seen = new Set<number>();
    const kinds: Record<string, Set<string>> = {};
    for (let i = 0; i < 30; i++) {
      const roomType = ROOM_TYPES[i % ROOM_TYPES.length];
      const s = generateScene({ seed: 1000 + i, roomType, pointsPerM2: 60, ceiling: i % 2 === 0 });
      for (const l of s.cloud.labels!) seen.add(l);
      kinds[roomType] ??= new Set();
      for (const o of s.objects) kinds[roomType].add(SYNTH_LABEL_MAP.classes[o.label].name);
    }
    const missing = SYNTH_LABEL_MAP.classes.filter((c) => !seen.has(c.id)).map((c) => c.name);
    assert.deepEqual(missing, []);
    assert.equal(seen.size, NUM_SYNTH_CLASSES);
    for (const name of ['bed', 'nightstand', 'curtain'])
      assert.ok(kinds.bedroom.has(name), `bedroom: ${name}`);
    for (const name of ['desk', 'chair', 'monitor']) assert.ok(kinds.office.has(name), `office: ${name}`);
    for (const name of ['sofa', 'table']) assert.ok(kinds.livingroom.has(name), `livingroom: ${name}`);
    for (const name of ['counter', 'sink', 'refrigerator', 'cabinet'])
      assert.ok(kinds.kitchen.has(name), `kitchen: ${name}`);
    for (const name of ['toilet', 'sink']) assert.ok(kinds.bathroom.has(name), `bathroom: ${name}`);
  });

  // One clean (noise-free) scene per room type, with each point's source surface.
  const scenes = ROOM_TYPES.map((roomType, i) =>
    generateScene({ seed: 77 + i, roomType, pointsPerM2: 1500, noise: 0, surfaceIds: true }),
  );

  test('points lie on their surfaces, normals are unit and match the surface, all inside the room', () => {
    for (const s of scenes) {
      const sid = s.cloud.properties!.surface as Int32Array;
      const N = s.cloud.normals!;
      const [x1, y1, z1] = s.room.max;
      for (let i = 0; i < sid.length; i++) {
        const surf = s.surfaces[sid[i]];
        const [x, y, z] = points(s, i);
        if (distanceToSurface(surf, x, y, z) > 2e-5) assert.fail(`${s.name}: point ${i} is off its surface`);
        const len = Math.hypot(N[3 * i], N[3 * i + 1], N[3 * i + 2]);
        if (Math.abs(len - 1) > 1e-5) assert.fail(`${s.name}: normal ${i} has length ${len}`);
        const o = surfaceNormal(surf, x, y);
        if (o[0] * N[3 * i] + o[1] * N[3 * i + 1] + o[2] * N[3 * i + 2] < 0.9999)
          assert.fail(`${s.name}: normal ${i}`);
        if (x < -1e-5 || y < -1e-5 || z < -1e-5 || x > x1 + 1e-5 || y > y1 + 1e-5 || z > z1 + 1e-5) {
          assert.fail(`${s.name}: point ${i} (${x}, ${y}, ${z}) outside the room`);
        }
        if (s.cloud.labels![i] !== surf.label || s.cloud.instances![i] !== surf.instance)
          assert.fail(`${s.name}: labels of ${i}`);
      }
    }
  });

  test('each instance has one label; stuff has no instance, things always have one', () => {
    for (const s of scenes) {
      const label = new Map<number, number>();
      const { labels, instances } = s.cloud;
      for (let i = 0; i < labels!.length; i++) {
        const l = labels![i];
        const k = instances![i];
        if (STUFF.has(l) !== (k === -1)) assert.fail(`${s.name}: point ${i} label ${l} instance ${k}`);
        if (k < 0) continue;
        if (label.has(k) && label.get(k) !== l)
          assert.fail(`${s.name}: instance ${k} has labels ${label.get(k)} and ${l}`);
        label.set(k, l);
        if (s.objects[k].label !== l) assert.fail(`${s.name}: instance ${k} listed as ${s.objects[k].label}`);
      }
    }
  });

  test('boxes: one per sampled detection-class instance, equal to the bounds of its points (contain all, touch every face)', () => {
    for (const s of scenes) {
      const lo = new Map<number, number[]>();
      const hi = new Map<number, number[]>();
      s.cloud.instances!.forEach((k, i) => {
        if (k < 0) return;
        const p = points(s, i);
        const a = lo.get(k) ?? lo.set(k, [...p]).get(k)!;
        const b = hi.get(k) ?? hi.set(k, [...p]).get(k)!;
        for (let d = 0; d < 3; d++) {
          a[d] = Math.min(a[d], p[d]);
          b[d] = Math.max(b[d], p[d]);
        }
      });
      const expected = [...lo.keys()]
        .filter((k) => SYNTH_LABEL_MAP.classes[s.objects[k].label].detection)
        .sort((a, b) => a - b);
      assert.deepEqual(
        s.boxes.map((b) => b.instance).sort((a, b) => a - b),
        expected,
        `${s.name}: boxed instances`,
      );
      for (const b of s.boxes) {
        assert.equal(b.label, s.objects[b.instance].label);
        for (let d = 0; d < 3; d++) {
          assert.ok(
            Math.abs(b.center[d] - b.size[d] / 2 - lo.get(b.instance)![d]) < 1e-6,
            `${s.name}: box ${b.instance} min ${d}`,
          );
          assert.ok(
            Math.abs(b.center[d] + b.size[d] / 2 - hi.get(b.instance)![d]) < 1e-6,
            `${s.name}: box ${b.instance} max ${d}`,
          );
        }
      }
    }
  });

  test('noise: within 6σ of the clean points, same boxes, ≥ 99% of each instance inside its box grown by 3σ', () => {
    const clean = scenes[1];
    const noisy = generateScene({ seed: 78, roomType: 'office', pointsPerM2: 1500, noise: 0.008 });
    assert.equal(noisy.cloud.positions.length, clean.cloud.positions.length);
    assert.deepEqual(noisy.boxes, clean.boxes);
    for (const b of noisy.boxes) {
      let n = 0;
      let inside = 0;
      noisy.cloud.instances!.forEach((k, i) => {
        if (k !== b.instance) return;
        n++;
        const p = points(noisy, i);
        if (p.every((v, d) => Math.abs(v - b.center[d]) <= b.size[d] / 2 + 3 * 0.008)) inside++;
      });
      assert.ok(
        inside >= 0.99 * n,
        `${noisy.name}: ${noisy.objects[b.instance].kind} #${b.instance}: ${inside}/${n} inside`,
      );
    }
    let s2 = 0;
    for (let i = 0; i < clean.cloud.positions.length; i++) {
      const d = noisy.cloud.positions[i] - clean.cloud.positions[i];
      s2 += d * d;
      if (Math.abs(d) > 6 * 0.008) assert.fail(`coordinate ${i} moved by ${d}`);
    }
    const sigma = Math.sqrt(s2 / clean.cloud.positions.length);
    assert.ok(Math.abs(sigma - 0.008) < 0.0002, `σ ${sigma}`);
  });

  test('floor density matches the requested points/m² where the floor is unoccluded', () => {
    for (const s of scenes) {
      const cell = 0.5;
      const nx = Math.floor(s.room.max[0] / cell);
      const ny = Math.floor(s.room.max[1] / cell);
      const counts = new Int32Array(nx * ny);
      s.cloud.labels!.forEach((l, i) => {
        if (l !== L.floor) return;
        const [x, y] = points(s, i);
        const cx = Math.floor(x / cell);
        const cy = Math.floor(y / cell);
        if (cx < nx && cy < ny) counts[cx * ny + cy]++;
      });
      const sorted = [...counts].sort((a, b) => a - b);
      // Free cells hold 1500 · 0.25 = 375 points on average (Poisson σ ≈ 19); the 80th percentile is a free cell.
      const p80 = sorted[Math.floor(sorted.length * 0.8)];
      assert.ok(Math.abs(p80 - 375) < 40, `${s.name}: 80th-percentile floor cell has ${p80} points`);
      assert.ok(
        sorted[sorted.length - 1] < 375 + 6 * 19.4,
        `${s.name}: densest cell ${sorted[sorted.length - 1]}`,
      );
    }
  });

  test('furniture does not interpenetrate (solids of different objects overlap by < 5 mm)', () => {
    for (const s of scenes) {
      const solids = s.solids.filter((b) => b.instance >= 0 && s.objects[b.instance].label !== L.curtain);
      for (let i = 0; i < solids.length; i++) {
        for (let j = i + 1; j < solids.length; j++) {
          if (solids[i].instance === solids[j].instance) continue;
          if (blocksOverlap(solids[i], solids[j], 0.005)) {
            const [a, b] = [s.objects[solids[i].instance].kind, s.objects[solids[j].instance].kind];
            assert.fail(
              `${s.name}: ${a} #${solids[i].instance} and ${b} #${solids[j].instance} interpenetrate`,
            );
          }
        }
      }
    }
  });
});
