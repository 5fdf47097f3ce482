/**
 * The real PLY scans in ../shared/data parse to the counts, bounds and label histograms that
 * ../shared/data/README.md documents (measured there with independent readers), and survive a
 * write → read round trip unchanged.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePly, plyElement, plyToPointCloud, writePly } from '../../../src/data/formats/index.js';
import { counts, needShared, sameArray, sharedBytes } from './fixtures.js';

const SCENE = (s: string, suffix: string) => `scannet/scans/${s}/${s}_vh_clean_2${suffix}`;

describe('ScanNet _vh_clean_2.ply / .labels.ply', () => {
  const scenes = [
    {
      scene: 'scene0000_00',
      vertices: 81369,
      min: [-3.636, -3.612, -0.065],
      max: [3.405, 3.637, 2.96],
      wall: 13899,
      floor: 10234,
      cabinet: 9809,
      unannotated: 4357,
    },
    {
      scene: 'scene0000_01',
      vertices: 80583,
      min: [-3.626, -3.58, -0.052],
      max: [3.389, 3.75, 3.028],
      wall: 14094,
      floor: 10237,
      cabinet: 13457,
      unannotated: 3854,
    },
  ];
  for (const s of scenes) {
    test(`${s.scene}: vertex count, RGBA, bounds`, needShared(SCENE(s.scene, '.ply')), () => {
      const ply = parsePly(sharedBytes(SCENE(s.scene, '.ply')), { file: s.scene });
      assert.equal(ply.header.format, 'binary_little_endian');
      assert.equal(ply.vertexCount, s.vertices);
      assert.deepEqual(
        ply.elements.map((e) => [e.name, e.count]),
        [
          ['vertex', s.vertices],
          ['face', 0],
        ],
      );
      const cloud = plyToPointCloud(ply);
      assert.equal(cloud.colors!.length, 3 * s.vertices);
      assert.ok(
        cloud.properties!.alpha.every((a) => a === 255),
        'alpha is 255 everywhere',
      );
      for (let k = 0; k < 3; k++) {
        let lo = Infinity;
        let hi = -Infinity;
        for (let i = k; i < cloud.positions.length; i += 3) {
          lo = Math.min(lo, cloud.positions[i]);
          hi = Math.max(hi, cloud.positions[i]);
        }
        assert.ok(
          Math.abs(lo - s.min[k]) < 6e-4 && Math.abs(hi - s.max[k]) < 6e-4,
          `axis ${k}: ${lo}..${hi}`,
        );
      }
    });

    test(`${s.scene}: ushort label histogram`, needShared(SCENE(s.scene, '.labels.ply')), () => {
      const ply = parsePly(sharedBytes(SCENE(s.scene, '.labels.ply')));
      const label = plyElement(ply, 'vertex')!.properties.find((p) => p.name === 'label');
      assert.equal(label?.kind === 'scalar' ? label.declared : '', 'ushort');
      const cloud = plyToPointCloud(ply);
      assert.equal(cloud.labels!.length, s.vertices);
      const h = counts(cloud.labels!);
      assert.equal(h.get(1), s.wall);
      assert.equal(h.get(2), s.floor);
      assert.equal(h.get(3), s.cabinet);
      assert.equal(h.get(0), s.unannotated);
      // Same vertices as the plain file.
      const plain = plyToPointCloud(parsePly(sharedBytes(SCENE(s.scene, '.ply'))));
      sameArray(cloud.positions, plain.positions, 'positions');
    });
  }

  test(
    'scene0000_00 labels: full ScanNet20 histogram and round trip',
    needShared(SCENE('scene0000_00', '.labels.ply')),
    () => {
      const cloud = plyToPointCloud(parsePly(sharedBytes(SCENE('scene0000_00', '.labels.ply'))));
      const h = counts(cloud.labels!);
      const readme: Record<number, number> = {
        4: 2954,
        6: 5099,
        7: 4479,
        8: 1414,
        9: 824,
        12: 462,
        14: 1897,
        16: 5519,
        24: 1404,
        33: 454,
        34: 362,
        39: 642,
        15: 4173,
        18: 269,
        19: 151,
        22: 2509,
        25: 521,
        32: 558,
        38: 2049,
        40: 7330,
      };
      for (const [id, n] of Object.entries(readme)) assert.equal(h.get(Number(id)), n, `label ${id}`);
      assert.equal(h.get(5) ?? 0, 0, 'no chairs');
      const back = plyToPointCloud(parsePly(writePly(cloud, { propertyTypes: { label: 'ushort' } })));
      sameArray(back.positions, cloud.positions, 'positions');
      sameArray(back.colors, cloud.colors, 'colors');
      sameArray(back.labels, cloud.labels, 'labels');
      sameArray(back.properties!.alpha, cloud.properties!.alpha, 'alpha');
    },
  );
});

describe('3DMatch fragment pair', () => {
  const frags = [
    { file: '3dmatch-pair/src.ply', n: 15953, min: [-1.398, -1.104, 0.65], max: [1.494, 0.81, 2.978] },
    { file: '3dmatch-pair/ref.ply', n: 18977, min: [-1.35, -1.446, 0.8], max: [1.494, 0.684, 3.482] },
  ];
  for (const f of frags) {
    test(`${f.file}: ${f.n} float xyz vertices within the README bounds`, needShared(f.file), () => {
      const cloud = plyToPointCloud(parsePly(sharedBytes(f.file), { file: f.file }));
      assert.equal(cloud.positions.length, 3 * f.n);
      assert.equal(cloud.colors, undefined);
      assert.equal(cloud.properties, undefined);
      for (let k = 0; k < 3; k++) {
        let lo = Infinity;
        let hi = -Infinity;
        for (let i = k; i < cloud.positions.length; i += 3) {
          lo = Math.min(lo, cloud.positions[i]);
          hi = Math.max(hi, cloud.positions[i]);
        }
        assert.ok(
          Math.abs(lo - f.min[k]) < 6e-4 && Math.abs(hi - f.max[k]) < 6e-4,
          `axis ${k}: ${lo}..${hi}`,
        );
      }
    });
  }
});
