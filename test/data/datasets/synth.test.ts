// synth as a data-prepare source: names, splits, and cache contents equal to generateScene's.
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { synthDriver, synthToLabelMap } from '../../../src/data/datasets/synth.js';
import { loadLabelMap } from '../../../src/data/datasets/label-maps.js';
import { generateScene } from '../../../src/data/synth/scene.js';
import { prepareDataset } from '../../../src/data/prepared/prepare.js';
import { openPreparedDataset } from '../../../src/data/prepared/dataset.js';

describe('synth source', () => {
  const out = mkdtempSync(join(tmpdir(), 'prep-synth-'));
  after(() => rmSync(out, { recursive: true, force: true }));

  test('plan: names by seed, the last ⌊N/5⌋ scenes are val', () => {
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
    assert.equal(synthDriver.plan({ scenes: 2, classes: 'scannet20' }).labelMap.name, 'scannet20');
    assert.throws(() => synthDriver.plan({}), /--scenes N is required/);
  });

  test('--classes scannet20: synthetic ids mapped by name, classes ScanNet20 lacks ignored', async () => {
    // ScanNet20 order: … 14 refrigerator, 15 shower curtain, 16 toilet, 17 sink, 18 bathtub, 19 otherfurniture
    const lut = synthToLabelMap(loadLabelMap('scannet20'));
    const expect = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 16, 17, 18, 19, -1, -1, -1, -1, -1];
    assert.deepEqual([...lut], expect);
    const dir = join(out, 'as-scannet20');
    await prepareDataset({
      type: 'synth',
      source: { scenes: 1, seed: 3, pointsPerM2: 150, classes: 'scannet20' },
      out: dir,
    });
    const s = openPreparedDataset(dir).readScene('synth_00003');
    const g = generateScene({ seed: 3, pointsPerM2: 150 });
    const gl = g.cloud.labels!;
    assert.equal(s.cloud.labels!.length, gl.length);
    let mapped = 0;
    for (let i = 0; i < gl.length; i++) {
      assert.equal(s.cloud.labels![i], gl[i] < 0 ? -1 : expect[gl[i]]);
      if (s.cloud.labels![i] >= 0) mapped++;
    }
    assert.ok(mapped > 0 && mapped < gl.length, 'some points keep a class, the ceiling and props do not');
    for (const b of s.boxes) assert.ok(b.label >= 0 && b.label < 20 && b.label !== 15);
    assert.equal(openPreparedDataset(dir).manifest.classes.length, 20);
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
