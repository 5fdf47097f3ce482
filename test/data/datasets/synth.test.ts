// synth as a data-prepare source: names, splits, and cache contents equal to generateScene's.
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { synthDriver } from '../../../src/data/datasets/synth.js';
import { generateScene } from '../../../src/data/synth/scene.js';
import { prepareDataset } from '../../../src/data/prepared/prepare.js';
import { openPreparedDataset } from '../../../src/data/prepared/dataset.js';

describe('synth source', () => {
  const out = mkdtempSync(join(tmpdir(), 'prep-synth-'));
  after(() => rmSync(out, { recursive: true, force: true }));

  test('plan: names by seed, the last ⌊N/5⌋ scenes are val, --classes refused', () => {
    const p = synthDriver.plan({ scenes: 6, seed: 40 });
    assert.deepEqual(
      p.tasks.map((t) => `${t.name}:${t.split}`),
      [
        'synth_00040:train',
        'synth_00041:train',
        'synth_00042:train',
        'synth_00043:train',
        'synth_00044:train',
        'synth_00045:val',
      ],
    );
    assert.equal(p.labelMap.name, 'synthetic');
    assert.throws(() => synthDriver.plan({ scenes: 2, classes: 'scannet20' }), /--classes does not apply/);
    assert.throws(() => synthDriver.plan({}), /--scenes N is required/);
  });

  test('prepared scenes equal the generator output, manifest histogram adds up', async () => {
    const r = await prepareDataset({ type: 'synth', source: { scenes: 2, seed: 7, pointsPerM2: 150 }, out });
    const ds = openPreparedDataset(out);
    assert.deepEqual(ds.sceneNames(), ['synth_00007', 'synth_00008']);
    for (const [i, name] of ds.sceneNames().entries()) {
      const g = generateScene({ seed: 7 + i, pointsPerM2: 150 });
      const s = ds.readScene(name);
      assert.deepEqual(s.cloud.positions, g.cloud.positions);
      assert.deepEqual(s.cloud.colors, g.cloud.colors);
      assert.deepEqual(s.cloud.normals, g.cloud.normals);
      assert.deepEqual(s.cloud.labels, g.cloud.labels);
      assert.deepEqual(s.cloud.instances, g.cloud.instances);
      assert.deepEqual(s.boxes, g.boxes);
      assert.equal(s.meta?.notes && (s.meta.notes as { generator: string }).generator, g.name);
      const e = r.manifest.scenes[i];
      assert.equal(e.points, g.cloud.positions.length / 3);
      assert.equal(e.histogram.reduce((a, b) => a + b) + e.ignored, e.points);
    }
    assert.equal(r.manifest.classes.length, ds.manifest.palette.length);
  });
});
