import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSource, synthSource } from '../../../src/data/loader/sources.js';
import { createLoader } from '../../../src/data/loader/loader.js';
import { parseLoaderConfig } from '../../../src/data/loader/config.js';
import { generateScene } from '../../../src/data/synth/scene.js';
import { prepareDataset } from '../../../src/data/prepared/prepare.js';

describe('loader sources', () => {
  test('synth: scene i is generateScene(seed + i); the cache returns the same sample', async () => {
    const src = synthSource(3, 40, { pointsPerM2: 150 }, true);
    assert.equal(src.size, 3);
    const s = await src.read(2);
    const ref = generateScene({ seed: 42, pointsPerM2: 150 });
    assert.equal(s.name, ref.name);
    assert.deepEqual(s.cloud.positions, ref.cloud.positions);
    assert.equal(s.boxes?.length, ref.boxes.length);
    assert.equal(await src.read(2), s);
    assert.throws(() => synthSource(0), /scenes must be a positive integer/);
  });

  test('prepared: a synthetic dataset prepared to disk reads back as the same scenes, split-aware', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pc-loader-'));
    try {
      await prepareDataset({
        type: 'synth',
        source: { scenes: 2, seed: 5, pointsPerM2: 120 },
        out: dir,
        workers: 1,
      });
      const src = await openSource({ type: 'prepared', dir });
      assert.equal(src.size, 2);
      const s = await src.read(1);
      assert.ok(src.kind === 'scenes' && 'cloud' in s);
      const ref = generateScene({ seed: 6, pointsPerM2: 120 });
      assert.equal(s.cloud.positions.length, ref.cloud.positions.length);
      assert.deepEqual(Array.from(s.cloud.labels!), Array.from(ref.cloud.labels!));
      await assert.rejects(openSource({ type: 'prepared', dir, split: 'nope' }), /no split 'nope'/);
      const loader = await createLoader({
        source: { type: 'prepared', dir },
        config: parseLoaderConfig({
          voxelSize: 0.05,
          batchSize: 2,
          epochs: 1,
          workers: 0,
          transforms: 'scannet-seg',
        }),
      });
      const b = await loader.next();
      assert.ok(b && b.kind === 'scenes' && b.labels && b.boxes);
      assert.deepEqual(b.sceneNames.slice().sort(), [generateScene({ seed: 5 }).name, ref.name].sort());
      assert.equal(await loader.next(), null);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
