/**
 * PCD codec on fixtures built in code: the same 4-point organized cloud (packed rgb, COUNT 3,
 * padding, a NaN pixel) as binary (DataView), binary_compressed (hand-made literal-only LZF)
 * and hand-written ascii parses to the hand-written values; writer round trips; bad headers
 * and sizes fail with line / byte positions.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  parsePcd,
  pcdField,
  pcdToPointCloud,
  writePcd,
  type PcdData,
} from '../../../src/data/formats/index.js';
import type { PointCloud } from '../../../src/geometry/point-cloud.js';
import { concat, rng, sameArray, text, throwsFormat } from './fixtures.js';

const HEAD = (data: string, version = '.7') =>
  [
    '# .PCD v0.7 - Point Cloud Data file format',
    `VERSION ${version}`,
    'FIELDS x y z rgb intensity label hist _',
    'SIZE 4 4 4 4 4 4 2 1',
    'TYPE F F F F F U I U',
    'COUNT 1 1 1 1 1 1 3 2',
    'WIDTH 2',
    'HEIGHT 2',
    'VIEWPOINT 0 0 0 1 0 0 0',
    'POINTS 4',
    `DATA ${data}`,
    '',
  ].join('\n');

const X = [1, 2, NaN, 4];
const Y = [0.5, -0.5, NaN, 0];
const Z = [-1, 0.001, NaN, 7];
const RGB = [0xff0000, 0x00ff00, 0, 0x123456];
const INTENSITY = [0.25, 100, 0, -3];
const LABEL = [0, 7, 0, 2];
const HIST = [1, 2, 3, -1, -2, -3, 0, 0, 0, 32767, -32768, 5];
const STRIDE = 6 * 4 + 3 * 2 + 2;

function binaryFixture(): Uint8Array {
  const body = new Uint8Array(4 * STRIDE);
  const dv = new DataView(body.buffer);
  for (let i = 0; i < 4; i++) {
    const o = i * STRIDE;
    dv.setFloat32(o, X[i], true);
    dv.setFloat32(o + 4, Y[i], true);
    dv.setFloat32(o + 8, Z[i], true);
    dv.setUint32(o + 12, RGB[i], true);
    dv.setFloat32(o + 16, INTENSITY[i], true);
    dv.setUint32(o + 20, LABEL[i], true);
    for (let k = 0; k < 3; k++) dv.setInt16(o + 24 + 2 * k, HIST[3 * i + k], true);
    dv.setUint8(o + 30, 0xaa); // '_' padding bytes: ignored
  }
  return concat(text(HEAD('binary')), body);
}

/** LZF with literal runs only (ctrl = run length - 1 ≤ 31): valid and independent of lzfCompress. */
function literalLzf(raw: Uint8Array): Uint8Array {
  const parts: number[] = [];
  for (let i = 0; i < raw.length; i += 32) {
    const run = raw.subarray(i, i + 32);
    parts.push(run.length - 1, ...run);
  }
  return new Uint8Array(parts);
}

function compressedFixture(): Uint8Array {
  // Field-major: all x, all y, all z, all rgb, all intensity, all label, all hist (3 per point), all _ (2 per point).
  const raw = new Uint8Array(4 * STRIDE);
  const dv = new DataView(raw.buffer);
  let o = 0;
  const put = (vals: number[], set: (o: number, v: number) => void, size: number) => {
    for (const v of vals) {
      set(o, v);
      o += size;
    }
  };
  put(X, (p, v) => dv.setFloat32(p, v, true), 4);
  put(Y, (p, v) => dv.setFloat32(p, v, true), 4);
  put(Z, (p, v) => dv.setFloat32(p, v, true), 4);
  put(RGB, (p, v) => dv.setUint32(p, v, true), 4);
  put(INTENSITY, (p, v) => dv.setFloat32(p, v, true), 4);
  put(LABEL, (p, v) => dv.setUint32(p, v, true), 4);
  put(HIST, (p, v) => dv.setInt16(p, v, true), 2);
  const lzf = literalLzf(raw);
  const sizes = new Uint8Array(8);
  new DataView(sizes.buffer).setUint32(0, lzf.length, true);
  new DataView(sizes.buffer).setUint32(4, raw.length, true);
  return concat(text(HEAD('binary_compressed')), sizes, lzf, new Uint8Array(100)); // PCL leaves zero padding
}

function asciiFixture(): Uint8Array {
  const f = new Float32Array(1);
  new Uint32Array(f.buffer)[0] = RGB[1];
  const rows = [
    `1 0.5 -1 ${RGB[0]} 0.25 0 1 2 3 0 0`,
    `2 -0.5 0.001 ${String(f[0])} 100 7 -1 -2 -3 0 0`, // rgb as the float whose bits are the colour (old PCL)
    'nan nan nan 0 0 0 0 0 0 0 0',
    `4 0 7 ${RGB[3]} -3 2 32767 -32768 5 0 0`,
  ];
  return text(HEAD('ascii') + rows.join('\n') + '\n');
}

function checkFixture(pcd: PcdData, dropped: boolean): void {
  const keep = dropped ? [0, 1, 3] : [0, 1, 2, 3];
  assert.equal(pcd.header.width, 2);
  assert.equal(pcd.header.height, 2);
  assert.equal(pcd.points, keep.length);
  assert.deepEqual(pcd.nonFinite, { count: 1, firstIndex: 2, dropped });
  const pick = (a: number[], per = 1) => keep.flatMap((i) => a.slice(i * per, i * per + per));
  sameArray(pcdField(pcd, 'x')!.values, new Float32Array(pick(X)), 'x');
  sameArray(pcdField(pcd, 'rgb')!.values, new Uint32Array(pick(RGB)), 'rgb bits');
  sameArray(pcdField(pcd, 'label')!.values, new Uint32Array(pick(LABEL)), 'label');
  sameArray(pcdField(pcd, 'hist')!.values, new Int16Array(pick(HIST, 3)), 'hist');
  if (dropped) sameArray(pcd.sourceIndex, new Uint32Array([0, 1, 3]), 'sourceIndex');
  const c = pcdToPointCloud(pcd);
  sameArray(c.positions, new Float32Array(keep.flatMap((i) => [X[i], Y[i], Z[i]])), 'positions');
  sameArray(
    c.colors,
    new Uint8Array(keep.flatMap((i) => [RGB[i] >> 16, (RGB[i] >> 8) & 255, RGB[i] & 255])),
    'colors',
  );
  sameArray(c.labels, new Int32Array(pick(LABEL)), 'labels');
  sameArray(c.properties!.intensity, new Float32Array(pick(INTENSITY)), 'intensity');
  sameArray(c.properties!.hist_1, new Int16Array(keep.map((i) => HIST[3 * i + 1])), 'hist_1');
  assert.deepEqual(Object.keys(c.properties!), ['intensity', 'hist_0', 'hist_1', 'hist_2']);
}

describe('parsePcd on hand-built fixtures', () => {
  test('binary (DataView): NaN pixel dropped by default, count and indices reported', () => {
    checkFixture(parsePcd(binaryFixture(), { file: 'b.pcd' }), true);
  });
  test('binary_compressed (literal-only LZF, zero padding after it) gives the same', () => {
    checkFixture(parsePcd(compressedFixture(), { file: 'c.pcd' }), true);
  });
  test('ascii (integer and float-bit packed rgb, nan) gives the same', () => {
    checkFixture(parsePcd(asciiFixture(), { file: 'a.pcd' }), true);
  });
  test("nonFinite 'keep' keeps the organized grid, 'error' names the first bad point", () => {
    for (const f of [binaryFixture(), compressedFixture(), asciiFixture()]) {
      checkFixture(parsePcd(f, { nonFinite: 'keep' }), false);
      throwsFormat(
        () => parsePcd(f, { file: 'n.pcd', nonFinite: 'error' }),
        /^n\.pcd: 1 of 4 points have non-finite coordinates \(first: point 2, x=NaN/,
      );
    }
  });
  test('VERSION 0.7, COLUMNS, missing COUNT/HEIGHT/POINTS, CRLF', () => {
    const src =
      'VERSION 0.7\r\nCOLUMNS x y z\r\nSIZE 4 4 4\r\nTYPE F F F\r\nWIDTH 2\r\nDATA ascii\r\n1 2 3\r\n4 5 6\r\n';
    const pcd = parsePcd(text(src));
    assert.equal(pcd.points, 2);
    sameArray(pcdToPointCloud(pcd).positions, new Float32Array([1, 2, 3, 4, 5, 6]), 'positions');
  });
});

describe('writePcd', () => {
  test('write → read is exact in all three encodings (rgb, normals, labels, instances, extra types)', () => {
    const r = rng(9);
    const n = 300;
    const cloud: PointCloud = {
      positions: new Float32Array(3 * n).map(() => (r() - 0.5) * 100),
      colors: new Uint8Array(3 * n).map(() => Math.floor(r() * 256)),
      normals: new Float32Array(3 * n).map(() => r() - 0.5),
      labels: new Int32Array(n).map(() => Math.floor(r() * 20) - 1),
      instances: new Int32Array(n).map(() => Math.floor(r() * 9) - 1),
      properties: {
        intensity: new Float32Array(n).map(() => r()),
        ring: new Uint16Array(n).map(() => Math.floor(r() * 64)),
        time: new Float64Array(n).map(() => r() * 1e9),
        flag: new Int8Array(n).map(() => Math.floor(r() * 256) - 128),
      },
    };
    for (const data of ['ascii', 'binary', 'binary_compressed'] as const) {
      const back = pcdToPointCloud(parsePcd(writePcd(cloud, { data }), { file: data }));
      sameArray(back.positions, cloud.positions, `${data} positions`);
      sameArray(back.colors, cloud.colors, `${data} colors`);
      sameArray(back.normals, cloud.normals, `${data} normals`);
      sameArray(back.labels, cloud.labels, `${data} labels`);
      sameArray(back.instances, cloud.instances, `${data} instances`);
      for (const k of Object.keys(cloud.properties!))
        sameArray(back.properties![k], cloud.properties![k], `${data} ${k}`);
    }
  });
  test('organized dimensions are written to WIDTH/HEIGHT', () => {
    const pcd = parsePcd(
      writePcd({ positions: new Float32Array(18) }, { width: 3, height: 2, data: 'binary' }),
    );
    assert.equal(pcd.header.width, 3);
    assert.equal(pcd.header.height, 2);
    assert.equal(pcd.header.version, '0.7');
  });
});

describe('parsePcd rejects bad files with line / byte positions', () => {
  const base = [
    'VERSION .7',
    'FIELDS x y z',
    'SIZE 4 4 4',
    'TYPE F F F',
    'COUNT 1 1 1',
    'WIDTH 2',
    'HEIGHT 1',
    'POINTS 2',
  ];
  const pcd = (lines: string[], data = 'ascii', body = '') =>
    text([...lines, `DATA ${data}`, ''].join('\n') + body);
  const swap = (i: number, line: string) => base.map((l, k) => (k === i ? line : l));

  test('header errors name the line', () => {
    let e = throwsFormat(() => parsePcd(pcd(swap(2, 'SIZE 4 4'))), /SIZE has 2 entries but FIELDS has 3/);
    assert.equal(e.line, 3);
    e = throwsFormat(
      () => parsePcd(pcd([...base.slice(0, 5), 'FOO 1', ...base.slice(5)])),
      /unknown header keyword 'FOO'/,
    );
    assert.equal(e.line, 6);
    throwsFormat(
      () => parsePcd(pcd(swap(3, 'TYPE F X F'))),
      /TYPE of field 'y' is 'X' \(expected I, U or F\)/,
    );
    throwsFormat(() => parsePcd(pcd(swap(2, 'SIZE 4 2 4'))), /field 'y' has unsupported TYPE F with SIZE 2/);
    throwsFormat(() => parsePcd(pcd(swap(7, 'POINTS 3'))), /POINTS 3 does not equal WIDTH × HEIGHT = 2 × 1/);
    throwsFormat(() => parsePcd(pcd(swap(0, 'VERSION 2.0'))), /unsupported VERSION '2.0'/);
    throwsFormat(() => parsePcd(pcd(base.slice(2))), /missing FIELDS line/);
    throwsFormat(
      () => parsePcd(pcd(base, 'binary_lzf')),
      /DATA 'binary_lzf': expected ascii, binary or binary_compressed/,
    );
    throwsFormat(() => parsePcd(pcd(swap(1, 'FIELDS x y x'))), /duplicate field 'x'/);
    throwsFormat(() => parsePcd(text('hello world\n')), /not a PCD file/);
    throwsFormat(() => parsePcd(text(base.join('\n'))), /no DATA line/);
    throwsFormat(
      () => parsePcd(pcd(swap(5, 'WIDTH -2'))),
      /WIDTH: expected a non-negative integer, found '-2'/,
    );
  });

  test('binary and compressed size checks happen before allocation and name the offset', () => {
    const head = pcd(base, 'binary');
    const e = throwsFormat(
      () => parsePcd(concat(head, new Uint8Array(20))),
      /2 points × 12 bytes = 24 bytes expected after the header, only 20/,
    );
    assert.equal(e.offset, head.length);
    throwsFormat(
      () => parsePcd(concat(head, new Uint8Array(24), text('xx'))),
      /2 bytes of extra data after 2 points/,
    );
    const huge = pcd(
      swap(5, 'WIDTH 2000000000').map((l) => (l.startsWith('POINTS') ? 'POINTS 2000000000' : l)),
      'binary',
    );
    throwsFormat(
      () => parsePcd(concat(huge, new Uint8Array(64))),
      /2000000000 points × 12 bytes = 24000000000 bytes/,
    );
    const chead = pcd(base, 'binary_compressed');
    const sizes = (c: number, u: number) => {
      const b = new Uint8Array(8);
      new DataView(b.buffer).setUint32(0, c, true);
      new DataView(b.buffer).setUint32(4, u, true);
      return b;
    };
    throwsFormat(
      () => parsePcd(concat(chead, sizes(3, 25))),
      /uncompressed size 25 does not match 2 points × 12 bytes = 24/,
    );
    throwsFormat(
      () => parsePcd(concat(chead, sizes(30, 24), new Uint8Array(10))),
      /compressed size 30 bytes, only 10 bytes are left/,
    );
    throwsFormat(
      () => parsePcd(concat(chead, new Uint8Array(4))),
      /expected the compressed and uncompressed sizes/,
    );
    const bomb = pcd(
      swap(5, 'WIDTH 100000000').map((l) => (l.startsWith('POINTS') ? 'POINTS 100000000' : l)),
      'binary_compressed',
    );
    throwsFormat(
      () => parsePcd(concat(bomb, sizes(4, 1200000000), new Uint8Array(4))),
      /impossible for 4 bytes of LZF data/,
    );
    const corrupt = throwsFormat(
      () => parsePcd(concat(chead, sizes(2, 24), new Uint8Array([32, 0]))),
      /corrupt LZF data/,
    );
    assert.equal(corrupt.offset, chead.length + 8);
  });

  test('ascii row errors name the line', () => {
    let e = throwsFormat(
      () => parsePcd(pcd(base, 'ascii', '1.0 2.0 3.0\n4.0 5.0\n')),
      /point 1 has too few values: expected 3 per line/,
    );
    assert.equal(e.line, 11);
    e = throwsFormat(() => parsePcd(pcd(base, 'ascii', '1 2 3 9\n4 5 6\n')), /unexpected extra value '9'/);
    assert.equal(e.line, 10);
    throwsFormat(() => parsePcd(pcd(base, 'ascii', '1 2 3\n      \n')), /expected 2 points, found 1/);
    throwsFormat(
      () => parsePcd(pcd(base, 'ascii', '1 2 3\n4 5 6\n7 8 9\n')),
      /extra data after the 2 points/,
    );
    throwsFormat(
      () => parsePcd(pcd(base, 'ascii', '1 2 3\n4 five 6\n')),
      /expected a number for field 'y' of point 1, found 'five'/,
    );
    const u8 = ['FIELDS v', 'SIZE 1', 'TYPE U', 'WIDTH 1', 'POINTS 1'];
    throwsFormat(
      () => parsePcd(pcd(u8, 'ascii', '300\n')),
      /value '300' of field 'v' \(point 0\) is not a valid U1/,
    );
    throwsFormat(
      () => parsePcd(pcd(base, 'ascii', '1 2 3\n')),
      /2 points of 3 values need at least 11 bytes, only 6/,
    );
  });
});
