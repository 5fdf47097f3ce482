/**
 * The scan-like generator options: defaults bit-identical to the generator before them (golden
 * FNV-1a digests computed with the previous generator), the virtual capture keeps a subset of the
 * clean cloud and removes exactly what a camera at eye height cannot see (upward-facing surfaces
 * above it, downward-facing ones below it), minimum-spacing thinning against brute force, and
 * boxes that bound the kept points.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { generateScene, type SynthScene } from '../../../src/data/synth/index.js';
import { thinToSpacing } from '../../../src/data/synth/capture.js';
import { scannerPoses } from '../../../src/data/synth/scanner.js';
import { knnSelf } from '../../../src/geometry/knn.js';

function digest(s: SynthScene): string {
  let h = 0x811c9dc5;
  const eat = (b: Uint8Array) => {
    for (let i = 0; i < b.length; i++) h = Math.imul(h ^ b[i], 0x01000193) >>> 0;
  };
  const c = s.cloud;
  for (const a of [c.positions, c.colors!, c.normals!, c.labels!, c.instances!])
    eat(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  eat(new TextEncoder().encode(JSON.stringify(s.boxes)));
  return h.toString(16);
}

describe('generator defaults are unchanged', () => {
  test('seeds 5000 and 5003 give the digests of the generator before the scan options', () => {
    // computed with the generator at commit c649801 (before scanner / minSpacing existed)
    assert.equal(digest(generateScene({ seed: 5000 })), '16256885');
    assert.equal(digest(generateScene({ seed: 5003 })), '112e4a46');
    assert.equal(digest(generateScene({ seed: 5003, scanner: false, minSpacing: 0 })), '112e4a46');
    // and before furniture variety (off unless asked for)
    assert.equal(digest(generateScene({ seed: 5000, variety: false })), '16256885');
  });
});

describe('virtual capture (scanner)', () => {
  const seed = 5005; // a living room with a ceiling
  const clean = generateScene({ seed, noise: 0 });
  const scanned = generateScene({ seed, noise: 0, scanner: true });
  const eye = 1.5;

  test('keeps a subset of the clean cloud, in order', () => {
    const a = clean.cloud.positions;
    const b = scanned.cloud.positions;
    assert.ok(b.length < a.length);
    let j = 0;
    for (let i = 0; i < b.length / 3; i++) {
      while (
        j < a.length / 3 &&
        (a[j * 3] !== b[i * 3] || a[j * 3 + 1] !== b[i * 3 + 1] || a[j * 3 + 2] !== b[i * 3 + 2])
      )
        j++;
      assert.ok(j < a.length / 3, `point ${i} of the scan is not in the clean cloud`);
      j++;
    }
  });

  test('no upward-facing point above eye height, no downward-facing point below it', () => {
    const count = (s: SynthScene) => {
      const p = s.cloud.positions;
      const n = s.cloud.normals!;
      let up = 0;
      let down = 0;
      for (let i = 0; i < p.length / 3; i++) {
        if (n[i * 3 + 2] > 0.5 && p[i * 3 + 2] > eye + 0.05) up++;
        if (n[i * 3 + 2] < -0.5 && p[i * 3 + 2] < eye - 0.05) down++;
      }
      return { up, down };
    };
    const before = count(clean);
    const after = count(scanned);
    assert.ok(before.up > 100 && before.down > 100, `the room has both kinds: ${JSON.stringify(before)}`);
    assert.deepEqual(after, { up: 0, down: 0 });
  });

  test('camera poses sit at eye height, one lap per pitch', () => {
    const poses = scannerPoses(clean.room, { frames: 5, pitchesDeg: [30, 0, 10] });
    assert.equal(poses.length, 15);
    for (const p of poses) assert.ok(Math.abs(p[11] - eye) < 1e-9);
  });

  test('boxes bound the kept points of their instance exactly', () => {
    const s = generateScene({ seed, scanner: true, noise: 0 });
    const p = s.cloud.positions;
    for (const b of s.boxes) {
      const lo = [Infinity, Infinity, Infinity];
      const hi = [-Infinity, -Infinity, -Infinity];
      for (let i = 0; i < p.length / 3; i++) {
        if (s.cloud.instances![i] !== b.instance) continue;
        for (let c = 0; c < 3; c++) {
          lo[c] = Math.min(lo[c], p[i * 3 + c]);
          hi[c] = Math.max(hi[c], p[i * 3 + c]);
        }
      }
      for (let c = 0; c < 3; c++) {
        assert.ok(Math.abs(b.center[c] - b.size[c] / 2 - lo[c]) < 1e-6);
        assert.ok(Math.abs(b.center[c] + b.size[c] / 2 - hi[c]) < 1e-6);
      }
    }
  });
});

describe('minimum-spacing thinning', () => {
  test('hand case on a line: 0, 1, 2, 3 cm at 1.5 cm keeps 0 and 2 cm', () => {
    const p = Float32Array.from([0, 0, 0, 0.01, 0, 0, 0.02, 0, 0, 0.03, 0, 0]);
    assert.deepEqual(Array.from(thinToSpacing(p, 0.015, new Uint8Array(4).fill(1))), [1, 0, 1, 0]);
  });

  test('a thinned room: kept points are ≥ the spacing apart, every dropped one is closer to a kept one', () => {
    const full = generateScene({ seed: 5003, noise: 0 });
    const thin = generateScene({ seed: 5003, noise: 0, minSpacing: 0.02 });
    const nn = knnSelf(thin.cloud.positions, 1);
    for (let i = 0; i < nn.distances.length; i++)
      assert.ok(nn.distances[i] >= 0.02 - 1e-6, `point ${i}: ${nn.distances[i]}`);
    // maximality, brute force over the first 300 clean points
    const a = full.cloud.positions;
    const b = thin.cloud.positions;
    for (let i = 0; i < 300; i++) {
      let d = Infinity;
      for (let j = 0; j < b.length / 3; j++)
        d = Math.min(
          d,
          Math.hypot(a[i * 3] - b[j * 3], a[i * 3 + 1] - b[j * 3 + 1], a[i * 3 + 2] - b[j * 3 + 2]),
        );
      assert.ok(d < 0.02, `clean point ${i} is ${d} m from the thinned cloud`);
    }
  });

  test('rejects a negative spacing', () => {
    assert.throws(
      () => generateScene({ seed: 1, minSpacing: -1 }),
      /minSpacing must be a non-negative number/,
    );
  });
});
