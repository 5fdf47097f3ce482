// `prepareDataset` on the shared ScanNet scans: manifest numbers from ../shared/data/README.md,
// the reader, re-run skipping, a truncated scene redone.
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareDataset } from '../../../src/data/prepared/prepare.js';
import { openPreparedDataset } from '../../../src/data/prepared/dataset.js';
import { requireShared } from '../../helpers/requires.js';

const ROOT = new URL('../../../../shared/data/scannet/', import.meta.url).pathname;
const skip = requireShared(ROOT);

describe('prepare scannet (shared scans)', { skip }, () => {
  const out = mkdtempSync(join(tmpdir(), 'prep-scannet-'));
  after(() => rmSync(out, { recursive: true, force: true }));

  test('two scenes, README point counts and ScanNet20 histograms, 67 / 72 instances', async () => {
    const r = await prepareDataset({ type: 'scannet', source: { root: ROOT, val: ['scene0000_01'] }, out });
    const m = r.manifest;
    assert.deepEqual(
      m.scenes.map((s) => [s.name, s.split, s.points, s.instances, s.ignored]),
      [
        ['scene0000_00', 'train', 81369, 67, 17560 + 4357],
        ['scene0000_01', 'val', 80583, 72, 13515 + 3854],
      ],
    );
    assert.deepEqual(
      m.scenes[0].histogram,
      [13899, 10234, 9809, 2954, 0, 5099, 4479, 1414, 824, 0, 0, 462, 1897, 5519, 1404, 0, 454, 362, 0, 642],
    );
    assert.equal(
      m.scenes[1].histogram.reduce((a, b) => a + b),
      63214,
    );
    assert.equal(m.points.total, 81369 + 80583);
    assert.equal(m.labelMap.name, 'scannet20');
    assert.equal(m.classes[13].name, 'curtain');
    assert.equal(m.scenes[0].notes?.instanceLabelMismatches, 0);
    const ds = openPreparedDataset(out);
    const s = ds.readScene('scene0000_01');
    assert.equal(s.cloud.positions.length, 80583 * 3);
    assert.equal(s.boxes.length, m.scenes[1].boxes);
  });

  test('re-run skips both; a truncated file is detected and redone', async () => {
    const f = join(out, 'scene0000_00.bin');
    const size = statSync(f).size;
    truncateSync(f, size - 1000);
    const r = await prepareDataset({ type: 'scannet', source: { root: ROOT, val: ['scene0000_01'] }, out });
    assert.equal(r.skipped, 1);
    assert.equal(r.prepared, 1);
    assert.equal(
      r.redone[0].reason,
      `${f}: byte ${size - 1000}: truncated: file has ${size - 1000} bytes, header says ${size}`,
    );
    assert.equal(statSync(f).size, size);
    const again = await prepareDataset({
      type: 'scannet',
      source: { root: ROOT, val: ['scene0000_01'] },
      out,
    });
    assert.equal(again.skipped, 2);
    assert.equal(again.prepared, 0);
  });
});
