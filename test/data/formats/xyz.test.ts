/**
 * Text rows (S3DIS-style "x y z r g b [label]"), format detection and parsePointCloud dispatch.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  detectFormat,
  parsePointCloud,
  parseXyz,
  writePcd,
  writePly,
} from '../../../src/data/formats/index.js';
import { sameArray, text, throwsFormat } from './fixtures.js';

describe('parseXyz', () => {
  test('x y z r g b label with tabs, commas, comments and blank lines', () => {
    const d = parseXyz(text('# S3DIS-like\n1.5\t-2 3 10 20 30 4\n\n0,0.25,-1e-2, 255 ,0,7, -1\r\n'), {
      file: 'r.txt',
    });
    assert.equal(d.columns, 7);
    assert.equal(d.layout, 'x y z r g b label');
    sameArray(d.cloud.positions, new Float32Array([1.5, -2, 3, 0, 0.25, -0.01]), 'positions');
    sameArray(d.cloud.colors, new Uint8Array([10, 20, 30, 255, 0, 7]), 'colors');
    sameArray(d.cloud.labels, new Int32Array([4, -1]), 'labels');
  });

  test('layouts by column count', () => {
    assert.equal(parseXyz(text('1 2 3\n')).cloud.colors, undefined);
    sameArray(parseXyz(text('1 2 3 9\n')).cloud.labels, new Int32Array([9]), '4 columns: label');
    const six = parseXyz(text('1 2 3 4 5 6\n')).cloud;
    sameArray(six.colors, new Uint8Array([4, 5, 6]), '6 columns: rgb');
    assert.equal(six.labels, undefined);
    assert.equal(parseXyz(text('')).cloud.positions.length, 0);
  });

  test('bad rows name the line', () => {
    let e = throwsFormat(
      () => parseXyz(text('1 2 3 4 5\n'), { file: 'a.txt' }),
      /5 values per row; expected 3/,
    );
    assert.equal(e.line, 1);
    e = throwsFormat(() => parseXyz(text('1 2 3 4 5 6\n1 2 3 4 5\n')), /row has 5 values, expected 6/);
    assert.equal(e.line, 2);
    throwsFormat(() => parseXyz(text('1 2 3\n1 2 3 4\n')), /unexpected extra value '4'/);
    throwsFormat(
      () => parseXyz(text('1 2 3 256 0 0\n')),
      /colour value '256' in column 4 is not an integer 0..255/,
    );
    throwsFormat(() => parseXyz(text('1 2 3 0.5 0 0\n')), /not an integer 0..255/);
    e = throwsFormat(() => parseXyz(text('1 2 3\n4 \x10 6\n')), /expected a number in column 2/);
    assert.equal(e.line, 2);
    throwsFormat(() => parseXyz(text('1 2 3 1.5\n')), /label '1.5' in column 4 is not an integer/);
  });

  test('non-finite rows: error by default, drop or keep on request', () => {
    const src = text('1 2 3 1\nnan 0 0 2\n4 5 6 3\n');
    throwsFormat(
      () => parseXyz(src, { file: 'n.xyz' }),
      /1 of 3 rows have non-finite coordinates \(first: point 1/,
    );
    const d = parseXyz(src, { nonFinite: 'drop' });
    sameArray(d.cloud.positions, new Float32Array([1, 2, 3, 4, 5, 6]), 'dropped');
    sameArray(d.cloud.labels, new Int32Array([1, 3]), 'labels follow');
    assert.equal(parseXyz(src, { nonFinite: 'keep' }).cloud.positions.length, 9);
  });
});

describe('detectFormat / parsePointCloud', () => {
  const cloud = { positions: new Float32Array([1, 2, 3, 4, 5, 6]), labels: new Int32Array([7, 8]) };

  test('by extension, else by magic', () => {
    const ply = writePly(cloud);
    const pcd = writePcd(cloud);
    assert.equal(detectFormat(ply, 'a.PLY'), 'ply');
    assert.equal(detectFormat(pcd, 'a.pcd'), 'pcd');
    assert.equal(detectFormat(text('1 2 3'), 'a.xyz'), 'xyz');
    assert.equal(detectFormat(ply, 'noext'), 'ply');
    assert.equal(detectFormat(pcd, 'blob.bin'), 'pcd');
    assert.equal(detectFormat(text('-1 2 3'), 'rows'), 'xyz');
    throwsFormat(
      () => detectFormat(new Uint8Array([0x89, 0x50]), 'x.png'),
      /unknown point-cloud format: extension '.png'/,
    );
  });

  test('every format gives the same PointCloud', () => {
    for (const [bytes, name] of [
      [writePly(cloud), 'c.ply'],
      [writePcd(cloud, { data: 'ascii' }), 'c.pcd'],
      [text('1 2 3 7\n4 5 6 8\n'), 'c.txt'],
    ] as const) {
      const c = parsePointCloud(bytes, name);
      sameArray(c.positions, cloud.positions, `${name} positions`);
      sameArray(c.labels, cloud.labels, `${name} labels`);
    }
    // An ArrayBuffer works as well as a Uint8Array view.
    const b = writePly(cloud);
    sameArray(
      parsePointCloud(b.buffer.slice(0) as ArrayBuffer, 'c.ply').positions,
      cloud.positions,
      'ArrayBuffer',
    );
  });

  test('a mislabelled file fails with the parser of its extension', () => {
    throwsFormat(
      () => parsePointCloud(writePcd(cloud), 'scan.ply'),
      /^scan\.ply: line 1: byte 0: not a PLY file/,
    );
  });
});
