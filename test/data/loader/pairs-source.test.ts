import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generatePairs } from '../../../src/data/pairs/generate.js';
import { openPairDataset } from '../../../src/data/pairs/reader.js';
import { pairSource } from '../../../src/data/loader/sources.js';
import { createLoader } from '../../../src/data/loader/loader.js';
import { parseLoaderConfig } from '../../../src/data/loader/config.js';
import { applyAffine, invertAffine } from '../../../src/core/affine.js';
import type { Batch } from '../../../src/data/loader/types.js';

describe('loader on a `data pairs` folder', () => {
  let dir = '';
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pc-loader-pairs-'));
    await generatePairs({ from: 'synth', scenes: 1, out: dir, viewsPerScene: 6, pointsPerM2: 300, seed: 3 });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('the pair source yields the stored views and correspondences', async () => {
    const ds = openPairDataset(dir);
    const src = pairSource(dir);
    assert.ok(ds.size > 0);
    assert.equal(src.size, ds.size);
    const p = ds.read(0);
    const s = await src.read(0);
    assert.deepEqual(s.corr, p.corr);
    assert.deepEqual(s.view1.positions, p.view1.positions);
    assert.equal(s.name, `${p.scene}:${p.view0.id}-${p.view1.id}`);
  });

  test('PointContrast recipe: matched voxels coincide in the world after undoing each view; worker = in-thread', async () => {
    const config = {
      voxelSize: 0.025,
      batchSize: 2,
      features: 'ones' as const,
      featureJitter: { sigma: 0.01, p: 0.95 },
      transforms: 'pointcontrast-pair',
      epochs: 1,
    };
    const settings = openPairDataset(dir).manifest.settings;
    const r = settings.voxel * settings.radiusVoxels;
    const collect = async (workers: number) => {
      const loader = await createLoader({
        source: { type: 'pairs', dir },
        config: parseLoaderConfig({ ...config, workers }),
      });
      const out: Batch[] = [];
      try {
        for await (const b of loader) out.push(b);
      } finally {
        await loader.close();
      }
      return out;
    };
    const batches = await collect(0);
    let checked = 0;
    for (const b of batches) {
      assert.ok(b.kind === 'pairs');
      for (let item = 0; item < b.batchSize; item++) {
        const inv0 = invertAffine(b.view0.affine.subarray(item * 12, item * 12 + 12));
        const inv1 = invertAffine(b.view1.affine.subarray(item * 12, item * 12 + 12));
        for (let q = b.corrOffsets[item]; q < b.corrOffsets[item + 1]; q++) {
          const c = (coords: Int32Array, row: number) =>
            Float32Array.from([1, 2, 3], (d) => (coords[row * 4 + d] + 0.5) * 0.025);
          const w0 = applyAffine(inv0, c(b.view0.coords, b.corr[q * 2]));
          const w1 = applyAffine(inv1, c(b.view1.coords, b.corr[q * 2 + 1]));
          assert.ok(
            Math.hypot(w0[0] - w1[0], w0[1] - w1[1], w0[2] - w1[2]) <= r + Math.sqrt(3) * 0.025 + 1e-5,
          );
          checked++;
        }
      }
    }
    assert.ok(checked > 100, `${checked} correspondences checked`);
    assert.deepEqual(await collect(1), batches);
  });
});
