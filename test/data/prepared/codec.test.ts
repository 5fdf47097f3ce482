// The prepared-scene codec: exact round trip, aligned zero-copy views, corrupt/truncated files named.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  decodePreparedHeader,
  decodePreparedScene,
  encodePreparedScene,
  PREAMBLE_BYTES,
  PreparedFormatError,
  type PreparedScene,
} from '../../../src/data/prepared/codec.js';

function scene(n: number, full = true): PreparedScene {
  const positions = new Float32Array(n * 3).map((_, i) => Math.fround(i * 0.37 - 5));
  const s: PreparedScene = {
    name: `scene-${n}`,
    cloud: { positions },
    boxes: [{ label: 3, instance: 1, center: [0.5, 1, 1.25], size: [1, 2, 0.5] }],
    labelSet: 'scannet20',
    meta: { source: 'unit' },
  };
  if (full) {
    s.cloud.colors = new Uint8Array(n * 3).map((_, i) => (i * 7) & 255);
    s.cloud.normals = new Float32Array(n * 3).map((_, i) => (i % 3 === 2 ? 1 : 0));
    s.cloud.labels = new Int32Array(n).map((_, i) => (i % 21) - 1);
    s.cloud.instances = new Int32Array(n).map((_, i) => (i % 5 === 0 ? -1 : i >> 3));
    s.cloud.properties = { intensity: new Uint16Array(n).map((_, i) => i * 3) };
  }
  return s;
}

describe('prepared scene codec', () => {
  test('round trip is exact for every array, header and boxes', () => {
    for (const n of [0, 1, 7, 1001]) {
      const s = scene(n);
      const bytes = encodePreparedScene(s);
      const d = decodePreparedScene(bytes.buffer as ArrayBuffer, 'x.bin');
      assert.equal(d.name, s.name);
      assert.deepEqual(d.cloud.positions, s.cloud.positions);
      assert.deepEqual(d.cloud.colors, s.cloud.colors);
      assert.deepEqual(d.cloud.normals, s.cloud.normals);
      assert.deepEqual(d.cloud.labels, s.cloud.labels);
      assert.deepEqual(d.cloud.instances, s.cloud.instances);
      assert.deepEqual(d.cloud.properties, s.cloud.properties);
      assert.deepEqual(d.boxes, s.boxes);
      assert.equal(d.labelSet, 'scannet20');
      assert.deepEqual(d.meta, { source: 'unit' });
    }
  });

  test('size is header + the documented array bytes, 16-byte aligned, views share the buffer', () => {
    const n = 1001;
    const bytes = encodePreparedScene(scene(n));
    const h = decodePreparedHeader(bytes, 'x.bin');
    assert.equal(h.byteLength, bytes.length);
    const sizes: Record<string, number> = {
      coords: 12 * n,
      colors: 3 * n,
      normals: 12 * n,
      semantic: 2 * n,
      instance: 4 * n,
      'properties.intensity': 2 * n,
    };
    assert.deepEqual(
      h.arrays.map((a) => a.name),
      Object.keys(sizes),
    );
    let end = h.arrays[0].offset;
    for (const a of h.arrays) {
      assert.equal(a.offset % 16, 0, a.name);
      assert.equal(a.offset, Math.ceil(end / 16) * 16, `${a.name} follows the previous array`);
      end = a.offset + sizes[a.name];
    }
    assert.equal(bytes.length, Math.ceil(end / 16) * 16);
    const d = decodePreparedScene(bytes.buffer as ArrayBuffer);
    assert.equal(d.cloud.positions.buffer, bytes.buffer, 'zero-copy coords');
    assert.equal(d.cloud.instances!.buffer, bytes.buffer, 'zero-copy instances');
    assert.equal(new TextDecoder().decode(bytes.subarray(0, 8)), 'PCSCENE\n');
  });

  test('optional arrays stay absent', () => {
    const d = decodePreparedScene(encodePreparedScene(scene(5, false)));
    assert.equal(d.cloud.colors, undefined);
    assert.equal(d.cloud.labels, undefined);
    assert.equal(d.cloud.positions.length, 15);
  });

  test('truncation, trailing bytes, bad magic and bad header are named with file and offset', () => {
    const bytes = encodePreparedScene(scene(100));
    const cut = bytes.slice(0, bytes.length - 10);
    assert.throws(
      () => decodePreparedScene(cut, 'a/s.bin'),
      (e: unknown) =>
        e instanceof PreparedFormatError &&
        e.file === 'a/s.bin' &&
        /a\/s\.bin: byte \d+: truncated: file has \d+ bytes, header says \d+/.test(e.message),
    );
    assert.throws(() => decodePreparedScene(bytes.slice(0, 10), 'b.bin'), /b\.bin: byte 10: truncated/);
    assert.throws(
      () => decodePreparedScene(bytes.slice(0, 40), 'b.bin'),
      /b\.bin: byte 40: truncated header/,
    );
    const longer = new Uint8Array(bytes.length + 16);
    longer.set(bytes);
    assert.throws(() => decodePreparedScene(longer, 'c.bin'), /trailing bytes/);
    const magic = bytes.slice();
    magic[2] = 0x41;
    assert.throws(
      () => decodePreparedScene(magic, 'd.bin'),
      /d\.bin: byte 2: not a pointcontrast-scene file/,
    );
    const json = bytes.slice();
    json[PREAMBLE_BYTES] = 0x5b; // '[' makes the JSON invalid
    assert.throws(() => decodePreparedScene(json, 'e.bin'), /e\.bin: byte 16: header is not valid JSON/);
  });

  test('a header whose arrays point outside the file is rejected', () => {
    const s = scene(10);
    const bytes = encodePreparedScene(s);
    const text = new TextDecoder().decode(bytes.subarray(PREAMBLE_BYTES, 400));
    const patched = text.replace('"points":10', '"points":99');
    assert.notEqual(patched, text);
    const bad = bytes.slice();
    bad.set(new TextEncoder().encode(patched), PREAMBLE_BYTES);
    assert.throws(
      () => decodePreparedScene(bad, 'f.bin'),
      /f\.bin: byte 16: header: array coords: offset \d+ outside/,
    );
  });

  test('labels that do not fit int16 are refused at encode time', () => {
    const s = scene(3);
    s.cloud.labels = new Int32Array([0, 40000, 1]);
    assert.throws(() => encodePreparedScene(s), /label 40000 at point 1 does not fit int16/);
  });
});
