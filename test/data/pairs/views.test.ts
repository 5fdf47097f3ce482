import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { sampleCameraPose, scanViews, roomBoundsOf } from '../../../src/data/pairs/views.js';
import { Rng } from '../../../src/core/rng.js';
import { roomCloud, ROOM } from './helpers/box-room.js';

describe('virtual cameras in a room', () => {
  test('poses: inside the room away from the walls, eye height 1.2–1.8 m, pitch 0–30° down, every heading', () => {
    const rand = Rng.keyed(5, 'poses').rand();
    const quadrants = new Set<number>();
    for (let t = 0; t < 300; t++) {
      const m = sampleCameraPose(ROOM, rand);
      const [x, y, z] = [m[3], m[7], m[11]];
      assert.ok(x >= 0.5 && x <= 4.5 && y >= 0.5 && y <= 3.5, `eye ${x},${y}`);
      assert.ok(z >= 1.2 && z <= 1.8, `height ${z}`);
      // forward axis = third column of the rotation
      const [fx, fy, fz] = [m[2], m[6], m[10]];
      const pitch = (Math.asin(-fz) * 180) / Math.PI;
      assert.ok(pitch >= -1e-9 && pitch <= 30 + 1e-9, `pitch ${pitch}`);
      quadrants.add((fx >= 0 ? 1 : 0) + (fy >= 0 ? 2 : 0));
    }
    assert.equal(quadrants.size, 4);
  });

  test('room bounds of a scan are its 1st–99th percentile box', () => {
    const c = roomCloud(0.05);
    const r = roomBoundsOf(c.positions);
    for (let d = 0; d < 3; d++) {
      assert.ok(Math.abs(r.min[d] - ROOM.min[d]) < 0.05, `min ${d}: ${r.min[d]}`);
      assert.ok(Math.abs(r.max[d] - ROOM.max[d]) < 0.05, `max ${d}: ${r.max[d]}`);
    }
  });

  test('views never contain the floor hidden under the closed table block', () => {
    const cloud = roomCloud(0.02);
    const views = scanViews(cloud, ROOM, Rng.keyed(1, 'room').rand(), { count: 10, storeVoxel: 0 });
    assert.equal(views.length, 10);
    let floorSeen = 0;
    for (const v of views) {
      const p = v.positions;
      for (let i = 0; i < p.length; i += 3) {
        const under = p[i + 2] === 0 && p[i] > 1.55 && p[i] < 2.95 && p[i + 1] > 1.55 && p[i + 1] < 2.45;
        assert.ok(!under, `view ${v.id} sees the floor under the table at ${p[i]}, ${p[i + 1]}`);
        if (p[i + 2] === 0) floorSeen++;
      }
      assert.equal(v.colors?.length, p.length);
    }
    assert.ok(floorSeen > 1000, 'the open floor is visible');
  });
});
