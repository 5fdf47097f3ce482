/**
 * Seeded fuzzing of every parser: byte flips, truncations, insertions and header edits of small
 * files built in code and of the real files in ../shared/data. Each case must either parse into
 * a consistent PointCloud or throw FormatError — any other exception, or a slow case, fails.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FormatError, parsePointCloud, writePcd, writePly } from '../../../src/data/formats/index.js';
import type { NonFinitePolicy } from '../../../src/data/formats/index.js';
import type { PointCloud } from '../../../src/geometry/point-cloud.js';
import { SHARED, rng, sharedBytes, text } from './fixtures.js';
import { requireShared } from '../../helpers/requires.js';

interface Seed {
  name: string;
  bytes: Uint8Array;
  /** Cases to run on this seed. */
  cases: number;
}

const POLICIES: NonFinitePolicy[] = ['error', 'drop', 'keep'];
const NUMBERS = [
  '0',
  '1',
  '-1',
  '2',
  '3',
  '255',
  '65536',
  '2147483648',
  '4294967297',
  '4000000000',
  '1e18',
  'nan',
  'abc',
  '',
];
const WORDS = [
  'uchar',
  'float',
  'double',
  'list',
  'int',
  'F',
  'U',
  'I',
  'binary',
  'ascii',
  'binary_compressed',
  'vertex',
  'face',
  'x',
  'rgb',
  'label',
];

function smallCloud(n: number, seed: number): PointCloud {
  const r = rng(seed);
  return {
    positions: new Float32Array(3 * n).map(() => (r() - 0.5) * 10),
    colors: new Uint8Array(3 * n).map(() => Math.floor(r() * 256)),
    normals: new Float32Array(3 * n).map(() => r() - 0.5),
    labels: new Int32Array(n).map(() => Math.floor(r() * 20)),
    properties: {
      intensity: new Float32Array(n).map(() => r()),
      ring: new Uint16Array(n).map(() => Math.floor(r() * 64)),
    },
  };
}

function meshPly(format: 'ascii' | 'binary_little_endian' | 'binary_big_endian'): Uint8Array {
  const head = `ply\nformat ${format} 1.0\nelement vertex 4\nproperty float x\nproperty float y\nproperty float z\nproperty uchar red\nproperty uchar green\nproperty uchar blue\nelement face 2\nproperty list uchar int vertex_indices\nend_header\n`;
  const rows = [
    [0, 0, 0, 255, 0, 0],
    [1, 0, 0, 0, 255, 0],
    [0, 1, 0, 0, 0, 255],
    [0, 0, 1, 9, 9, 9],
  ];
  const faces = [
    [0, 1, 2],
    [0, 2, 3],
  ];
  if (format === 'ascii')
    return text(
      head +
        rows.map((r) => r.join(' ')).join('\n') +
        '\n' +
        faces.map((f) => `3 ${f.join(' ')}`).join('\n') +
        '\n',
    );
  const le = format === 'binary_little_endian';
  const body = new DataView(new ArrayBuffer(4 * 15 + 2 * 13));
  let o = 0;
  for (const r of rows) {
    for (let k = 0; k < 3; k++, o += 4) body.setFloat32(o, r[k], le);
    for (let k = 3; k < 6; k++, o++) body.setUint8(o, r[k]);
  }
  for (const f of faces) {
    body.setUint8(o++, 3);
    for (const v of f) {
      body.setInt32(o, v, le);
      o += 4;
    }
  }
  const h = text(head);
  const out = new Uint8Array(h.length + body.byteLength);
  out.set(h);
  out.set(new Uint8Array(body.buffer), h.length);
  return out;
}

/** A shared file as a seed; none when it is absent locally (requireShared fails the run in CI). */
function shared(rel: string, cases: number): Seed[] {
  return requireShared(SHARED + rel)
    ? []
    : [{ name: rel.replace(/^.*\//, ''), bytes: sharedBytes(rel), cases }];
}

/** Where the text header ends (PLY end_header / PCD DATA line), or a small prefix for text rows. */
function headerEnd(b: Uint8Array): number {
  const s = new TextDecoder('latin1').decode(b.subarray(0, Math.min(b.length, 4096)));
  for (const marker of ['end_header\n', '\nDATA ']) {
    const i = s.indexOf(marker);
    if (i >= 0) return s.indexOf('\n', i + 1) + 1 || s.length;
  }
  return Math.min(b.length, 64);
}

function editHeader(b: Uint8Array, r: () => number): Uint8Array {
  const end = headerEnd(b);
  const lines = new TextDecoder('latin1').decode(b.subarray(0, end)).split('\n');
  const i = Math.floor(r() * Math.max(1, lines.length - 1));
  const pick = <T>(a: T[]) => a[Math.floor(r() * a.length)];
  const op = Math.floor(r() * 5);
  if (op === 0) {
    const toks = lines[i].split(' ');
    toks[Math.floor(r() * toks.length)] = pick(r() < 0.6 ? NUMBERS : WORDS);
    lines[i] = toks.join(' ');
  } else if (op === 1) lines.splice(i, 1);
  else if (op === 2) lines.splice(i, 0, lines[i]);
  else if (op === 3) {
    const j = Math.floor(r() * Math.max(1, lines.length - 1));
    [lines[i], lines[j]] = [lines[j], lines[i]];
  } else lines[i] = lines[i].toUpperCase();
  const head = Uint8Array.from(lines.join('\n'), (c) => c.charCodeAt(0) & 255);
  const out = new Uint8Array(head.length + b.length - end);
  out.set(head);
  out.set(b.subarray(end), head.length);
  return out;
}

function mutate(src: Uint8Array, r: () => number): { bytes: Uint8Array; what: string } {
  const what: string[] = [];
  let b = src;
  const rounds = r() < 0.3 ? 2 : 1;
  for (let k = 0; k < rounds; k++) {
    const op = Math.floor(r() * 4);
    if (op === 0) {
      b = b.slice();
      const flips = 1 + Math.floor(r() * 8);
      // A third of the flips hit the header, a third the data after it, a third anywhere.
      const h = Math.min(headerEnd(b), b.length);
      const zone = Math.floor(r() * 3);
      const [lo, hi] = zone === 0 ? [0, h] : zone === 1 ? [h, b.length] : [0, b.length];
      if (hi > lo)
        for (let f = 0; f < flips; f++) b[lo + Math.floor(r() * (hi - lo))] = Math.floor(r() * 256);
      what.push(`flip ${flips}`);
    } else if (op === 1) {
      const at = Math.floor(r() * b.length);
      b = b.slice(0, at);
      what.push(`truncate ${at}`);
    } else if (op === 2) {
      b = editHeader(b, r);
      what.push('header edit');
    } else {
      const at = Math.floor(r() * b.length);
      const ins = new Uint8Array(1 + Math.floor(r() * 16)).map(() => Math.floor(r() * 256));
      const out = new Uint8Array(b.length + ins.length);
      out.set(b.subarray(0, at));
      out.set(ins, at);
      out.set(b.subarray(at), at + ins.length);
      b = out;
      what.push(`insert ${ins.length} at ${at}`);
    }
  }
  return { bytes: b, what: what.join(' + ') };
}

function checkCloud(c: PointCloud, where: string): void {
  const n = c.positions.length / 3;
  assert.ok(Number.isInteger(n), `${where}: positions length`);
  if (c.colors) assert.equal(c.colors.length, 3 * n, `${where}: colors length`);
  if (c.normals) assert.equal(c.normals.length, 3 * n, `${where}: normals length`);
  if (c.labels) assert.equal(c.labels.length, n, `${where}: labels length`);
  if (c.instances) assert.equal(c.instances.length, n, `${where}: instances length`);
  for (const [k, v] of Object.entries(c.properties ?? {}))
    assert.equal(v.length, n, `${where}: property ${k} length`);
}

function fuzz(
  format: string,
  fileName: string,
  seeds: Seed[],
  seed: number,
): { parsed: number; rejected: number } {
  const r = rng(seed);
  let parsed = 0;
  let rejected = 0;
  for (const s of seeds) {
    for (let c = 0; c < s.cases; c++) {
      const { bytes, what } = mutate(s.bytes, r);
      const policy = POLICIES[Math.floor(r() * 3)];
      const where = `${format} seed ${seed}, ${s.name} case ${c} (${what}, nonFinite ${policy})`;
      const t0 = performance.now();
      try {
        checkCloud(parsePointCloud(bytes, fileName, { nonFinite: policy }), where);
        parsed++;
      } catch (e) {
        if (!(e instanceof FormatError)) assert.fail(`${where}: threw ${(e as Error)?.stack ?? String(e)}`);
        assert.ok(e.message.startsWith(`${fileName}: `), `${where}: message names the file: ${e.message}`);
        rejected++;
      }
      assert.ok(performance.now() - t0 < 3000, `${where}: took ${performance.now() - t0} ms`);
    }
  }
  return { parsed, rejected };
}

describe('fuzzing (seeded; parse or FormatError, never anything else)', () => {
  test('PLY: ascii / binary LE / binary BE fixtures with faces, writer output, ScanNet and 3DMatch files', (t) => {
    const seeds: Seed[] = [
      { name: 'mesh ascii', bytes: meshPly('ascii'), cases: 100 },
      { name: 'mesh le', bytes: meshPly('binary_little_endian'), cases: 100 },
      { name: 'mesh be', bytes: meshPly('binary_big_endian'), cases: 80 },
      { name: 'writer ascii', bytes: writePly(smallCloud(20, 1), { format: 'ascii' }), cases: 60 },
      { name: 'writer le', bytes: writePly(smallCloud(20, 2)), cases: 60 },
      ...shared('3dmatch-pair/src.ply', 25),
      ...shared('scannet/scans/scene0000_00/scene0000_00_vh_clean_2.labels.ply', 15),
    ];
    const res = fuzz('ply', 'fuzz.ply', seeds, 101);
    t.diagnostic(`PLY: ${res.parsed} parsed, ${res.rejected} rejected with FormatError`);
    assert.ok(res.rejected > 50 && res.parsed > 20, 'the mutations exercise both outcomes');
  });

  test('PCD: ascii / binary / binary_compressed fixtures, PCL room scan and mOSD frame', (t) => {
    const seeds: Seed[] = [
      { name: 'ascii', bytes: writePcd(smallCloud(12, 3), { data: 'ascii' }), cases: 110 },
      { name: 'binary', bytes: writePcd(smallCloud(12, 4), { data: 'binary' }), cases: 100 },
      { name: 'compressed', bytes: writePcd(smallCloud(40, 5), { data: 'binary_compressed' }), cases: 120 },
      ...shared('pcd/room_scan1.pcd', 15),
      ...shared('pcd/test55.pcd', 8),
    ];
    const res = fuzz('pcd', 'fuzz.pcd', seeds, 202);
    t.diagnostic(`PCD: ${res.parsed} parsed, ${res.rejected} rejected with FormatError`);
    assert.ok(res.rejected > 50 && res.parsed > 20, 'the mutations exercise both outcomes');
  });

  test('text rows', (t) => {
    const rows = Array.from(
      { length: 30 },
      (_, i) => `${i * 0.5} ${-i} ${i / 7} ${i % 256} 3 4 ${i % 13}`,
    ).join('\n');
    const seeds: Seed[] = [
      { name: 'xyzrgbl', bytes: text(`# comment\n${rows}\n`), cases: 200 },
      { name: 'xyz', bytes: text('1 2 3\n4,5,6\n7\t8\t9\n'), cases: 100 },
    ];
    const res = fuzz('xyz', 'fuzz.txt', seeds, 303);
    t.diagnostic(`text: ${res.parsed} parsed, ${res.rejected} rejected with FormatError`);
    assert.ok(res.rejected > 30 && res.parsed > 20, 'the mutations exercise both outcomes');
  });
});
