/**
 * PLY codec on fixtures built in code: a big-endian file assembled byte by byte with DataView
 * and the same data written by hand as ascii parse to the hand-written values; writer round
 * trips are exact for every property type; bad files fail with the right line / byte offset.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  encodePly,
  parsePly,
  plyElement,
  plyToPointCloud,
  writePly,
  type PlyData,
} from '../../../src/data/formats/index.js';
import type { PointCloud } from '../../../src/geometry/point-cloud.js';
import { concat, rng, sameArray, text, throwsFormat } from './fixtures.js';

const HEADER = (format: string) =>
  [
    'ply',
    `format ${format} 1.0`,
    'comment all eight types, two aliases, a list and a skipped element',
    'element vertex 2',
    'property float x',
    'property float32 y',
    'property float z',
    'property char c',
    'property uchar uc',
    'property short s',
    'property ushort us',
    'property int i',
    'property uint32 ui',
    'property double d',
    'element face 1',
    'property list uchar int vertex_indices',
    'element edge 1',
    'property int a',
    'property int b',
    'end_header',
    '',
  ].join('\n');

/** The fixture's values, in the types the header declares. */
const EXPECTED = {
  x: new Float32Array([1.5, 0]),
  y: new Float32Array([-2.25, 0.5]),
  z: new Float32Array([3, -0.001]),
  c: new Int8Array([-128, 127]),
  uc: new Uint8Array([255, 0]),
  s: new Int16Array([-32768, 32767]),
  us: new Uint16Array([65535, 0]),
  i: new Int32Array([-2147483648, 2147483647]),
  ui: new Uint32Array([4294967295, 0]),
  d: new Float64Array([0.1, -1e300]),
};

function bigEndianFixture(): Uint8Array {
  const head = text(HEADER('binary_big_endian'));
  const body = new Uint8Array(2 * 35 + (1 + 12) + 8);
  const dv = new DataView(body.buffer);
  let o = 0;
  for (let r = 0; r < 2; r++) {
    dv.setFloat32(o, EXPECTED.x[r]);
    dv.setFloat32(o + 4, EXPECTED.y[r]);
    dv.setFloat32(o + 8, EXPECTED.z[r]);
    dv.setInt8(o + 12, EXPECTED.c[r]);
    dv.setUint8(o + 13, EXPECTED.uc[r]);
    dv.setInt16(o + 14, EXPECTED.s[r]);
    dv.setUint16(o + 16, EXPECTED.us[r]);
    dv.setInt32(o + 18, EXPECTED.i[r]);
    dv.setUint32(o + 22, EXPECTED.ui[r]);
    dv.setFloat64(o + 26, EXPECTED.d[r]);
    o += 34;
  }
  // 34 bytes per vertex (4+4+4+1+1+2+2+4+4+8); the buffer has one spare byte per row → trim below.
  dv.setUint8(o, 3);
  dv.setInt32(o + 1, 0);
  dv.setInt32(o + 5, 1);
  dv.setInt32(o + 9, 0);
  dv.setInt32(o + 13, 7);
  dv.setInt32(o + 17, -7);
  return concat(head, body.subarray(0, o + 21));
}

const ASCII_BODY =
  '1.5 -2.25 3 -128 255 -32768 65535 -2147483648 4294967295 0.1\n' +
  '0 0.5 -0.001 127 0 32767 0 2147483647 0 -1e300\n' +
  '3 0 1 0\n' +
  '7 -7\n';

function checkFixture(ply: PlyData): void {
  const v = plyElement(ply, 'vertex')!;
  for (const [name, want] of Object.entries(EXPECTED)) sameArray(v.columns[name], want, name);
  const face = plyElement(ply, 'face')!;
  sameArray(face.lists.vertex_indices.offsets, new Uint32Array([0, 3]), 'face offsets');
  sameArray(face.lists.vertex_indices.values, new Int32Array([0, 1, 0]), 'face indices');
  const edge = plyElement(ply, 'edge')!;
  sameArray(edge.columns.a, new Int32Array([7]), 'edge a');
  sameArray(edge.columns.b, new Int32Array([-7]), 'edge b');
  assert.deepEqual(ply.header.comments, ['all eight types, two aliases, a list and a skipped element']);
  const ui = v.properties.find((p) => p.name === 'ui');
  assert.equal(ui?.kind === 'scalar' ? ui.declared : undefined, 'uint32', 'declared alias kept');
}

describe('parsePly on hand-built fixtures', () => {
  test('big-endian fixture (DataView) gives the hand-written values of every type', () => {
    checkFixture(parsePly(bigEndianFixture(), { file: 'be.ply' }));
  });

  test('the same data as ascii gives identical arrays', () => {
    checkFixture(parsePly(text(HEADER('ascii') + ASCII_BODY), { file: 'a.ply' }));
  });

  test('encodePly re-encodes the parsed elements exactly in all three encodings', () => {
    const ply = parsePly(bigEndianFixture());
    for (const format of ['binary_little_endian', 'binary_big_endian', 'ascii'] as const) {
      const bytes = encodePly(ply.elements, { format, comments: ply.header.comments });
      checkFixture(parsePly(bytes, { file: format }));
    }
    // The big-endian re-encoding is byte-identical to the hand-built file.
    assert.deepEqual(
      encodePly(ply.elements, { format: 'binary_big_endian', comments: ply.header.comments }),
      bigEndianFixture(),
    );
  });

  test("elements: 'vertex' walks but does not store the other elements", () => {
    const ply = parsePly(bigEndianFixture(), { elements: 'vertex' });
    assert.equal(plyElement(ply, 'face')!.skipped, true);
    assert.deepEqual(plyElement(ply, 'face')!.lists, {});
    sameArray(plyElement(ply, 'vertex')!.columns.d, EXPECTED.d, 'd');
  });

  test('CRLF headers and blank lines in the header are accepted', () => {
    const src =
      'ply\r\nformat ascii 1.0\r\n\r\nelement vertex 1\r\nproperty float x\r\nproperty float y\r\nproperty float z\r\nend_header\r\n1 2 3\r\n';
    const c = plyToPointCloud(parsePly(text(src)));
    sameArray(c.positions, new Float32Array([1, 2, 3]), 'positions');
  });
});

function cloudWithEveryType(n: number, seed: number): PointCloud {
  const r = rng(seed);
  const fill = <T extends { length: number; [i: number]: number }>(a: T, f: () => number): T => {
    for (let i = 0; i < a.length; i++) a[i] = f();
    return a;
  };
  const props = {
    i8: fill(new Int8Array(n), () => Math.floor(r() * 256) - 128),
    u8: fill(new Uint8Array(n), () => Math.floor(r() * 256)),
    i16: fill(new Int16Array(n), () => Math.floor(r() * 65536) - 32768),
    u16: fill(new Uint16Array(n), () => Math.floor(r() * 65536)),
    i32: fill(new Int32Array(n), () => Math.floor(r() * 4294967296) - 2147483648),
    u32: fill(new Uint32Array(n), () => Math.floor(r() * 4294967296)),
    f32: fill(new Float32Array(n), () => (r() - 0.5) * 1e6),
    f64: fill(new Float64Array(n), () => (r() - 0.5) * Math.pow(10, Math.floor(r() * 40) - 20)),
  };
  props.i8[0] = -128;
  props.u32[0] = 4294967295;
  props.f64[1] = -0;
  return {
    positions: fill(new Float32Array(3 * n), () => (r() - 0.5) * 20),
    colors: fill(new Uint8Array(3 * n), () => Math.floor(r() * 256)),
    normals: fill(new Float32Array(3 * n), () => r() * 2 - 1),
    labels: fill(new Int32Array(n), () => Math.floor(r() * 41) - 1),
    instances: fill(new Int32Array(n), () => Math.floor(r() * 100) - 1),
    properties: props,
  };
}

function sameCloud(a: PointCloud, b: PointCloud): void {
  sameArray(a.positions, b.positions, 'positions');
  sameArray(a.colors, b.colors, 'colors');
  sameArray(a.normals, b.normals, 'normals');
  sameArray(a.labels, b.labels, 'labels');
  sameArray(a.instances, b.instances, 'instances');
  assert.deepEqual(Object.keys(a.properties ?? {}), Object.keys(b.properties ?? {}));
  for (const k of Object.keys(a.properties ?? {})) sameArray(a.properties![k], b.properties![k], k);
}

describe('writePly', () => {
  test('write → read gives identical arrays for every property type, in all encodings', () => {
    const cloud = cloudWithEveryType(500, 5);
    for (const format of ['binary_little_endian', 'binary_big_endian', 'ascii'] as const) {
      const back = plyToPointCloud(parsePly(writePly(cloud, { format }), { file: format }));
      sameCloud(back, cloud);
    }
  });

  test('header: interchange layout, comments, types from the arrays or overrides', () => {
    const cloud: PointCloud = {
      positions: new Float32Array([0, 0, 0, 1, 2, 3]),
      colors: new Uint8Array([1, 2, 3, 4, 5, 6]),
      instances: new Int32Array([-1, 4]),
      properties: {
        pred: new Int16Array([3, -1]),
        confidence: new Float32Array([0.5, 0.25]),
        gt: new Int32Array([3, 7]),
      },
    };
    const bytes = writePly(cloud, { comments: ['made by pointcontrast'], propertyTypes: { gt: 'short' } });
    const want = [
      'ply',
      'format binary_little_endian 1.0',
      'comment made by pointcontrast',
      'element vertex 2',
      'property float x',
      'property float y',
      'property float z',
      'property uchar red',
      'property uchar green',
      'property uchar blue',
      'property short pred',
      'property float confidence',
      'property short gt',
      'property int instance',
      'end_header',
      '',
    ].join('\n');
    assert.equal(new TextDecoder().decode(bytes.subarray(0, want.length)), want);
    // 2 × (12 + 3 + 2 + 4 + 2 + 4) = 54 bytes of data.
    assert.equal(bytes.length, want.length + 54);
    const back = plyToPointCloud(parsePly(bytes));
    sameArray(back.properties!.gt, new Int16Array([3, 7]), 'gt as short');
    sameArray(back.instances, new Int32Array([-1, 4]), 'instances');
  });

  test('an override that cannot hold a value is refused', () => {
    const cloud: PointCloud = { positions: new Float32Array(6), labels: new Int32Array([1, 70000]) };
    assert.throws(
      () => writePly(cloud, { propertyTypes: { label: 'ushort' } }),
      /'label' value 70000 \(point 1\) does not fit PLY type 'ushort'/,
    );
  });
});

describe('parsePly rejects bad files with line / byte positions', () => {
  const asciiHead = (lines: string[]) =>
    text(['ply', 'format ascii 1.0', ...lines, 'end_header', ''].join('\n'));
  const xyz = ['element vertex 2', 'property float x', 'property float y', 'property float z'];

  test('header errors name the line', () => {
    throwsFormat(
      () => parsePly(text('plx\nformat ascii 1.0\nend_header\n'), { file: 'm.ply' }),
      /^m\.ply: line 1: byte 0: not a PLY file/,
    );
    let e = throwsFormat(() => parsePly(asciiHead(['elemnt vertex 1'])), /unknown header keyword 'elemnt'/);
    assert.equal(e.line, 3);
    e = throwsFormat(
      () => parsePly(asciiHead(['element vertex 1', 'property flaot x'])),
      /unknown PLY property type 'flaot'/,
    );
    assert.equal(e.line, 4);
    throwsFormat(() => parsePly(asciiHead(['property float x'])), /'property' before any 'element'/);
    throwsFormat(() => parsePly(text('ply\nformat binary 1.0\nend_header\n')), /unknown PLY format 'binary'/);
    throwsFormat(
      () => parsePly(text('ply\nformat ascii 2.0\nend_header\n')),
      /unsupported PLY version '2.0'/,
    );
    throwsFormat(() => parsePly(asciiHead(['element vertex -3'])), /expected 'element <name> <count>'/);
    throwsFormat(
      () => parsePly(asciiHead(['element vertex 1', 'property list float int v'])),
      /list count type must be an integer type/,
    );
    throwsFormat(() => parsePly(asciiHead([...xyz, 'property float x'])), /duplicate property 'x'/);
    throwsFormat(
      () => parsePly(text('ply\nformat ascii 1.0\nelement vertex 1\nproperty float x\n')),
      /no 'end_header' line/,
    );
  });

  test('binary size mismatches name the byte offset', () => {
    const head = text(
      [
        'ply',
        'format binary_little_endian 1.0',
        ...xyz.map((l) => l.replace('2', '10')),
        'end_header',
        '',
      ].join('\n'),
    );
    const e = throwsFormat(
      () => parsePly(concat(head, new Uint8Array(100)), { file: 't.ply' }),
      /10 rows × 12 bytes = 120 bytes, but only 100 bytes are left/,
    );
    assert.equal(e.offset, head.length);
    const huge = text(
      [
        'ply',
        'format binary_little_endian 1.0',
        'element vertex 4000000000',
        'property double x',
        'end_header',
        '',
      ].join('\n'),
    );
    throwsFormat(() => parsePly(concat(huge, new Uint8Array(64))), /4000000000 rows × 8 bytes/);
    const extra = throwsFormat(
      () => parsePly(concat(head, new Uint8Array(120), text('junk'))),
      /4 bytes of extra data after the last element/,
    );
    assert.equal(extra.offset, head.length + 120);
    // Zero / newline padding after the data is fine.
    assert.equal(parsePly(concat(head, new Uint8Array(120), new Uint8Array([0, 0, 10]))).vertexCount, 10);
    const lists = text(
      [
        'ply',
        'format binary_little_endian 1.0',
        'element face 2',
        'property list uchar int vertex_indices',
        'end_header',
        '',
      ].join('\n'),
    );
    throwsFormat(
      () => parsePly(concat(lists, new Uint8Array([1, 0, 0, 0, 0, 200, 0]))),
      /row 1 of 2 runs past the end/,
    );
  });

  test('ascii errors name the line', () => {
    let e = throwsFormat(
      () => parsePly(concat(asciiHead(xyz), text('1 2 3\n4 abc 6\n'))),
      /expected a number for 'y' of vertex 1, found 'abc'/,
    );
    assert.equal(e.line, 9, 'header is lines 1-7, the rows are lines 8-9');
    e = throwsFormat(
      () => parsePly(concat(asciiHead(xyz), text('1.0 2.0 3.0\n4.0 5.0\n'))),
      /expected 2 'vertex' rows, the file ends in row 1/,
    );
    throwsFormat(
      () => parsePly(concat(asciiHead(xyz), text('1 2 3\n4 5 6\n7\n'))),
      /extra data '7' after the last element/,
    );
    const uc = asciiHead(['element vertex 1', 'property uchar v']);
    throwsFormat(() => parsePly(concat(uc, text('256\n'))), /value '256' of 'v' \(vertex 0\) is not a uint8/);
    throwsFormat(() => parsePly(concat(uc, text('1.5\n'))), /not a uint8/);
    throwsFormat(
      () => parsePly(concat(asciiHead(['element vertex 100000', 'property float x']), text('1\n'))),
      /declares 100000 rows of 1 values, which need at least 199999 bytes, only 2 are left/,
    );
  });

  test('face indices must refer to existing vertices', () => {
    const src = [
      'element vertex 2',
      'property float x',
      'property float y',
      'property float z',
      'element face 1',
      'property list uchar int vertex_indices',
    ];
    throwsFormat(
      () => parsePly(concat(asciiHead(src), text('0 0 0\n1 1 1\n3 0 1 2\n'))),
      /face 0 refers to vertex 2, but there are only 2 vertices/,
    );
  });
});

describe('non-finite coordinates', () => {
  const head = [
    'ply',
    'format ascii 1.0',
    'element vertex 4',
    'property float x',
    'property float y',
    'property float z',
    'property uchar q',
    'element face 2',
    'property list uchar int vertex_indices',
    'end_header',
    '',
  ].join('\n');
  const body = '0 0 0 10\nnan 1 1 11\n2 2 2 12\n3 inf 3 13\n3 0 2 3\n3 0 1 2\n';
  const src = text(head + body);

  test("default 'error' reports how many and the first index", () => {
    const e = throwsFormat(
      () => parsePly(src, { file: 'n.ply' }),
      /2 of 4 vertices have non-finite coordinates \(first: vertex 1, x=NaN, y=1, z=1\)/,
    );
    assert.equal(e.file, 'n.ply');
  });

  test("'drop' removes them, renumbers faces and drops the faces that used them", () => {
    const ply = parsePly(src, { nonFinite: 'drop' });
    assert.deepEqual(ply.nonFinite, { count: 2, firstIndex: 1, dropped: true });
    assert.equal(ply.vertexCount, 2);
    const v = plyElement(ply, 'vertex')!;
    sameArray(v.columns.x, new Float32Array([0, 2]), 'x');
    sameArray(v.columns.q, new Uint8Array([10, 12]), 'q');
    const f = plyElement(ply, 'face')!;
    assert.equal(f.count, 0, 'both faces used vertex 1 or 3');
    const keepFace = parsePly(
      text(
        head.replace('element face 2', 'element face 1') +
          body.split('\n').slice(0, 4).join('\n') +
          '\n3 0 2 0\n',
      ),
      { nonFinite: 'drop' },
    );
    sameArray(
      plyElement(keepFace, 'face')!.lists.vertex_indices.values,
      new Int32Array([0, 1, 0]),
      'renumbered',
    );
  });

  test("'keep' keeps them", () => {
    const c = plyToPointCloud(parsePly(src, { nonFinite: 'keep' }));
    assert.equal(c.positions.length, 12);
    assert.ok(Number.isNaN(c.positions[3]));
    assert.equal(c.positions[10], Infinity);
  });
});

// Its parse time is measured by `pointcontrast bench formats` (1M-point binary PLY by default).
test('a 1M-vertex binary PLY parses into typed arrays of the right values at both ends', () => {
  const n = 1_000_000;
  const positions = new Float32Array(3 * n);
  for (let i = 0; i < 3 * n; i++) positions[i] = (i % 1000) * 0.01;
  const labels = new Int32Array(n).map((_, i) => i % 41);
  const bytes = writePly(
    { positions, colors: new Uint8Array(3 * n).fill(7), labels },
    { propertyTypes: { label: 'ushort' } },
  );
  const cloud = plyToPointCloud(parsePly(bytes));
  assert.ok(cloud.positions instanceof Float32Array && cloud.labels instanceof Int32Array);
  assert.equal(cloud.positions.length, 3 * n);
  assert.equal(cloud.positions[0], 0);
  assert.equal(cloud.positions[3 * n - 1], Math.fround(((3 * n - 1) % 1000) * 0.01));
  assert.equal(cloud.colors![3 * n - 1], 7);
  assert.equal(cloud.labels![n - 1], (n - 1) % 41);
});
