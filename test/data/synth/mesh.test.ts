import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { surfaceMesh } from '../../../src/data/synth/mesh.js';
import { surfaceArea } from '../../../src/data/synth/sample.js';
import { generateScene } from '../../../src/data/synth/scene.js';
import { surfaceNormal } from './oracle.js';

describe('surfaceMesh', () => {
  const scene = generateScene({ seed: 4, roomType: 'livingroom', pointsPerM2: 50 });
  const segments = 48;
  const mesh = surfaceMesh(scene.surfaces, segments);

  test('triangle areas add up to each surface area (round ones as inscribed polygons)', () => {
    const P = mesh.positions;
    const I = mesh.indices;
    const area = new Float64Array(scene.surfaces.length);
    for (let t = 0; t < I.length / 3; t++) {
      const [a, b, c] = [I[3 * t], I[3 * t + 1], I[3 * t + 2]];
      const u = [P[3 * b] - P[3 * a], P[3 * b + 1] - P[3 * a + 1], P[3 * b + 2] - P[3 * a + 2]];
      const v = [P[3 * c] - P[3 * a], P[3 * c + 1] - P[3 * a + 1], P[3 * c + 2] - P[3 * a + 2]];
      area[mesh.surfaces[t]] +=
        0.5 * Math.hypot(u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0]);
    }
    // An inscribed regular n-gon has (n / 2π) sin(2π / n) of the circle's area (0.99715 for n = 48).
    const polygon = (segments / (2 * Math.PI)) * Math.sin((2 * Math.PI) / segments);
    scene.surfaces.forEach((s, i) => {
      const exact = surfaceArea(s);
      const tol = s.kind === 'quad' ? 1e-4 * exact + 1e-9 : 0.01 * exact + 1e-6;
      const expected = s.kind === 'disk' ? exact * polygon : exact;
      assert.ok(
        Math.abs(area[i] - expected) <= tol,
        `surface ${i} (${s.kind}): mesh ${area[i]} vs ${expected}`,
      );
    });
  });

  test('triangles wind counter-clockwise seen from the visible side and carry the surface labels', () => {
    const P = mesh.positions;
    const I = mesh.indices;
    for (let t = 0; t < I.length / 3; t++) {
      const [a, b, c] = [I[3 * t], I[3 * t + 1], I[3 * t + 2]];
      const u = [P[3 * b] - P[3 * a], P[3 * b + 1] - P[3 * a + 1], P[3 * b + 2] - P[3 * a + 2]];
      const v = [P[3 * c] - P[3 * a], P[3 * c + 1] - P[3 * a + 1], P[3 * c + 2] - P[3 * a + 2]];
      const n = [u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0]];
      const s = scene.surfaces[mesh.surfaces[t]];
      const cx = (P[3 * a] + P[3 * b] + P[3 * c]) / 3;
      const cy = (P[3 * a + 1] + P[3 * b + 1] + P[3 * c + 1]) / 3;
      const o = surfaceNormal(s, cx, cy);
      if (!(n[0] * o[0] + n[1] * o[1] + n[2] * o[2] > 0))
        assert.fail(`triangle ${t} of a ${s.kind} faces away`);
      if (mesh.labels[t] !== s.label || mesh.instances[t] !== s.instance) assert.fail(`triangle ${t} labels`);
    }
  });
});
