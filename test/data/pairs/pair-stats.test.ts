// Pair-folder statistics from a hand-written manifest: nearest-rank quantiles, per-scene counts,
// matched fraction against the smaller view.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pairStats, quantiles } from '../../../src/data/pairs/pair-stats.js';
import type { PairsManifest } from '../../../src/data/pairs/manifest.js';

test('quantiles: nearest rank on the sorted sample', () => {
  assert.deepEqual(quantiles([5, 1, 4, 2, 3, 6, 7, 8, 9, 10, 11]), { p10: 2, p50: 6, p90: 10 });
  assert.deepEqual(quantiles([]), { p10: 0, p50: 0, p90: 0 });
});

test('pairStats: pairs per scene, overlap, points per view, matches, matched fraction', () => {
  const entry = (scene: string, overlap: number, points: [number, number], correspondences: number) => ({
    file: `${scene}/x.pair`,
    scene,
    views: ['0', '1'] as [string, string],
    overlap,
    points,
    correspondences,
    bytes: 1,
  });
  const m = {
    settings: { from: 'scans' },
    scenes: [
      { name: 'a', pairs: 2 },
      { name: 'b', pairs: 1 },
    ],
    pairs: [
      entry('a', 0.5, [100, 200], 150),
      entry('a', 0.3, [300, 50], 100),
      entry('b', 0.9, [400, 400], 800),
    ],
  } as unknown as PairsManifest;
  const s = pairStats(m);
  assert.equal(s.from, 'scans');
  assert.equal(s.pairs, 3);
  assert.deepEqual(s.pairsPerScene, { p10: 1, p50: 2, p90: 2 });
  assert.deepEqual(s.overlap, { p10: 0.3, p50: 0.5, p90: 0.9 });
  // views 50 100 200 300 400 400: ranks round(0.1·5) = 1 → 100, round(0.5·5) = 3 → 300, round(0.9·5) = 5 → 400
  assert.deepEqual(s.pointsPerView, { p10: 100, p50: 300, p90: 400 });
  // 150/100 = 1.5, 100/50 = 2, 800/400 = 2
  assert.deepEqual(s.matchedFraction, { p10: 1.5, p50: 2, p90: 2 });
  assert.deepEqual(s.correspondences, { p10: 100, p50: 150, p90: 800 });
});
