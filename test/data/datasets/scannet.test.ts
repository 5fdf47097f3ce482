// ScanNet scans → prepared scenes: the shared real scans (README counts) and a made-up scan with
// faces, axisAlignment, a missing .labels.ply and a label disagreement.
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadScanNetScene, scannetDriver } from '../../../src/data/datasets/scannet.js';
import { loadLabelMap } from '../../../src/data/datasets/label-maps.js';
import { parseAggregation, parseScanNetTsv } from '../../../src/data/datasets/scannet-meta.js';
import type { PreparedScene } from '../../../src/data/prepared/codec.js';
import { requireShared } from '../../helpers/requires.js';

const ROOT = new URL('../../../../shared/data/scannet/', import.meta.url).pathname;
const skip = requireShared(ROOT);
const TSV = join(ROOT, 'scannetv2-labels.combined.tsv');

/** Brute force: every box holds all its instance's points and is their exact min/max. */
function checkBoxes(s: PreparedScene): void {
  const p = s.cloud.positions;
  for (const b of s.boxes) {
    const lo = [Infinity, Infinity, Infinity];
    const hi = [-Infinity, -Infinity, -Infinity];
    for (let i = 0; i < s.cloud.instances!.length; i++) {
      if (s.cloud.instances![i] !== b.instance) continue;
      for (let a = 0; a < 3; a++) {
        const v = p[i * 3 + a];
        assert.ok(
          Math.abs(v - b.center[a]) <= b.size[a] / 2 + 1e-6,
          `instance ${b.instance} point ${i} outside its box`,
        );
        lo[a] = Math.min(lo[a], v);
        hi[a] = Math.max(hi[a], v);
      }
    }
    for (let a = 0; a < 3; a++) {
      assert.ok(
        Math.abs(b.center[a] - b.size[a] / 2 - lo[a]) < 1e-6 &&
          Math.abs(b.center[a] + b.size[a] / 2 - hi[a]) < 1e-6,
      );
    }
  }
}

describe('ScanNet shared scans', { skip }, () => {
  const map = loadLabelMap('scannet20');
  // ScanNet20 train-id histograms from ../shared/data/README.md §1 (ids 0..19).
  const cases = [
    {
      name: 'scene0000_00',
      points: 81369,
      groups: 67,
      hist: [
        13899, 10234, 9809, 2954, 0, 5099, 4479, 1414, 824, 0, 0, 462, 1897, 5519, 1404, 0, 454, 362, 0, 642,
      ],
      ignored: 17560 + 4357,
    },
    {
      name: 'scene0000_01',
      points: 80583,
      groups: 72,
      hist: [
        14094, 10237, 13457, 2417, 0, 5197, 0, 1251, 1712, 0, 0, 2745, 1857, 6037, 1341, 0, 460, 654, 0, 1755,
      ],
      ignored: 13515 + 3854,
    },
  ];
  for (const c of cases) {
    test(`${c.name}: ${c.points} points, the README's ScanNet20 histogram, ${c.groups} instances, boxes`, () => {
      const s = loadScanNetScene(c.name, join(ROOT, 'scans', c.name), map, TSV);
      assert.equal(s.cloud.positions.length / 3, c.points);
      const hist = new Array(20).fill(0);
      let ignored = 0;
      for (const l of s.cloud.labels!) {
        if (l >= 0) hist[l]++;
        else ignored++;
      }
      assert.deepEqual(hist, c.hist);
      assert.equal(ignored, c.ignored);
      assert.equal(
        hist.reduce((a, b) => a + b),
        c.name === 'scene0000_00' ? 59452 : 63214,
      );
      assert.equal(new Set(s.cloud.instances!.filter((k) => k >= 0)).size, c.groups);
      assert.equal(s.meta!.instanceLabelMismatches, 0, 'aggregation classes agree with .labels.ply');
      assert.equal(s.cloud.normals, undefined, 'no faces → no normals');
      // Independent count of boxes: segGroups whose TSV nyu40 id is one of the 18 detection classes.
      const tsv = parseScanNetTsv(readFileSync(TSV, 'utf8'), TSV);
      const groups = parseAggregation(
        readFileSync(join(ROOT, 'scans', c.name, `${c.name}.aggregation.json`), 'utf8'),
        'a',
      );
      const det = new Set([3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 16, 24, 28, 33, 34, 36, 39]);
      assert.equal(s.boxes.length, groups.filter((g) => det.has(tsv.get(g.label)!.nyu40)).length);
      assert.ok(s.boxes.every((b) => b.label >= 2 && map.classes[b.label].detection));
      checkBoxes(s);
    });
  }

  test('scan colour comes from _vh_clean_2.ply, not the palette colours of .labels.ply', () => {
    const s = loadScanNetScene('scene0000_00', join(ROOT, 'scans', 'scene0000_00'), map, TSV);
    const palette = new Set(map.classes.map((c) => c.color.join()));
    let paletteLike = 0;
    for (let i = 0; i < 1000; i++)
      if (palette.has([...s.cloud.colors!.slice(i * 3, i * 3 + 3)].join())) paletteLike++;
    assert.ok(paletteLike < 100, `${paletteLike} of 1000 colours are palette colours`);
  });

  test('plan: all scans default to train, --val moves one, the TSV is found at the root', () => {
    const p = scannetDriver.plan({ root: ROOT, val: ['scene0000_01'] });
    assert.deepEqual(
      p.tasks.map((t) => [t.name, t.split]),
      [
        ['scene0000_00', 'train'],
        ['scene0000_01', 'val'],
      ],
    );
    assert.equal(p.tasks[0].src.tsv, TSV);
  });
});

describe('ScanNet made-up scan', () => {
  const root = mkdtempSync(join(tmpdir(), 'scannet-'));
  after(() => rmSync(root, { recursive: true, force: true }));
  const name = 'scene0001_00';
  const dir = join(root, 'scans', name);
  mkdirSync(dir, { recursive: true });
  const verts = ['0 0 0', '1 0 0', '1 1 0', '0 1 0', '0 0 1'];
  const ply = (labels?: number[]) =>
    [
      'ply',
      'format ascii 1.0',
      `element vertex ${verts.length}`,
      'property float x',
      'property float y',
      'property float z',
      'property uchar red',
      'property uchar green',
      'property uchar blue',
      ...(labels ? ['property ushort label'] : []),
      'element face 2',
      'property list uchar int vertex_indices',
      'end_header',
      ...verts.map((v, i) => `${v} ${i * 10} 20 30${labels ? ` ${labels[i]}` : ''}`),
      '4 0 1 2 3',
      '3 0 4 1',
      '',
    ].join('\n');
  writeFileSync(join(dir, `${name}_vh_clean_2.ply`), ply());
  writeFileSync(
    join(dir, `${name}_vh_clean_2.0.010000.segs.json`),
    JSON.stringify({ segIndices: [7, 7, 7, 9, 8] }),
  );
  writeFileSync(
    join(dir, `${name}.aggregation.json`),
    JSON.stringify({ segGroups: [{ id: 0, objectId: 4, segments: [7, 8], label: 'couch' }] }),
  );
  writeFileSync(join(root, 'scannetv2-labels.combined.tsv'), 'id\traw_category\tnyu40id\r\n9\tcouch\t6\r\n');
  // 90° about z, then +10 in x: (x, y, z) → (10 - y, x, z).
  writeFileSync(join(dir, `${name}.txt`), 'axisAlignment = 0 -1 0 10 1 0 0 0 0 0 1 0 0 0 0 1\n');
  const map = loadLabelMap('scannet20');

  test('axisAlignment applied to points, normals and boxes; normals from faces; labels from the aggregation', () => {
    const s = loadScanNetScene(name, dir, map, join(root, 'scannetv2-labels.combined.tsv'));
    assert.deepEqual([...s.cloud.positions], [10, 0, 0, 10, 1, 0, 9, 1, 0, 9, 0, 0, 10, 0, 1]);
    // Vertex 3 only touches the square (+z); vertex 4 only the side triangle (0,4,1): (0,0,1)×(1,0,0) = +y → aligned -x.
    assert.deepEqual([...s.cloud.normals!.slice(9, 15)], [0, 0, 1, -1, 0, 0]);
    assert.deepEqual([...s.cloud.instances!], [5, 5, 5, -1, 5]);
    assert.deepEqual([...s.cloud.labels!], [5, 5, 5, -1, 5]); // couch → nyu40 6 sofa → train id 5
    assert.deepEqual(s.boxes, [{ label: 5, instance: 5, center: [9.5, 0.5, 0.5], size: [1, 1, 1] }]);
    assert.equal(s.meta!.axisAligned, true);
    assert.equal(s.meta!.faces, 3);
  });

  test('.labels.ply labels win, disagreements with the aggregation are counted', () => {
    writeFileSync(join(dir, `${name}_vh_clean_2.labels.ply`), ply([6, 6, 3, 0, 6]));
    const s = loadScanNetScene(name, dir, map, join(root, 'scannetv2-labels.combined.tsv'));
    assert.deepEqual([...s.cloud.labels!], [5, 5, 2, -1, 5]);
    assert.equal(s.meta!.instanceLabelMismatches, 1);
    assert.equal(s.meta!.firstMismatchVertex, 2);
    rmSync(join(dir, `${name}_vh_clean_2.labels.ply`));
  });

  test('errors name the file: missing TSV category, wrong segs length', () => {
    writeFileSync(join(root, 'bad.tsv'), 'id\traw_category\tnyu40id\n1\tchair\t5\n');
    assert.throws(
      () => loadScanNetScene(name, dir, map, join(root, 'bad.tsv')),
      new RegExp(
        `${name}\\.aggregation\\.json: key 'segGroups\\[0\\]\\.label': category 'couch' is not in the label TSV`,
      ),
    );
    const segs = join(dir, `${name}_vh_clean_2.0.010000.segs.json`);
    const keep = readFileSync(segs);
    writeFileSync(segs, JSON.stringify({ segIndices: [1, 2] }));
    assert.throws(
      () => loadScanNetScene(name, dir, map, join(root, 'bad.tsv')),
      /segs\.json: key 'segIndices': 2 entries, the mesh has 5/,
    );
    writeFileSync(segs, keep);
  });
});
