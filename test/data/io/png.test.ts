import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { crc32 } from 'node:zlib';
import { PNG } from 'pngjs';
import { decodePng, encodePng, type PngImage } from '../../../src/data/io/png.js';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

/** A smooth depth map with noise, holes (0) and a step: exercises all five row filters. */
function depthImage(w: number, h: number): Uint16Array {
  const r = rng(3);
  const d = new Uint16Array(w * h);
  for (let v = 0; v < h; v++) {
    for (let u = 0; u < w; u++) {
      const base = u < w / 2 ? 1500 + 3 * u + 2 * v : 4200 - v;
      d[v * w + u] = r() < 0.05 ? 0 : base + Math.floor(r() * 4);
    }
  }
  d[0] = 65535;
  return d;
}

describe('PNG codec', () => {
  test('16-bit grayscale round trip (depth-like image with holes and the full range)', () => {
    const img: PngImage = { width: 37, height: 23, channels: 1, bitDepth: 16, data: depthImage(37, 23) };
    const back = decodePng(encodePng(img));
    assert.equal(back.width, 37);
    assert.equal(back.height, 23);
    assert.equal(back.channels, 1);
    assert.equal(back.bitDepth, 16);
    assert.ok(back.data instanceof Uint16Array);
    assert.deepEqual(back.data, img.data);
  });

  test('RGB and RGBA 8-bit, grey+alpha 16-bit round trips', () => {
    const r = rng(9);
    for (const [channels, bitDepth] of [
      [3, 8],
      [4, 8],
      [2, 16],
    ] as const) {
      const n = 19 * 11 * channels;
      const data = bitDepth === 8 ? new Uint8Array(n) : new Uint16Array(n);
      for (let i = 0; i < n; i++) data[i] = Math.floor(r() * (bitDepth === 8 ? 256 : 65536));
      const back = decodePng(encodePng({ width: 19, height: 11, channels, bitDepth, data }));
      assert.equal(back.channels, channels);
      assert.deepEqual(back.data, data);
    }
  });

  test('decodes 16-bit grey and 8-bit RGB files written by pngjs (fixtures)', () => {
    const g16 = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAUAAAADEAAAAAAuzUZnAAAAKUlEQVR4AWMAAkaG/4wMzC+Y/v8XMl597j/DPx7mjsD/ZltsHz/c3Q8AskcNxNZ2Wg8AAAAASUVORK5CYII=',
      'base64',
    );
    const g = decodePng(g16, 'g16.png');
    assert.deepEqual([g.width, g.height, g.channels, g.bitDepth], [5, 3, 1, 16]);
    assert.deepEqual(
      Array.from(g.data),
      [0, 1, 255, 256, 1000, 65535, 4660, 43981, 0, 500, 2000, 3000, 4095, 60000, 12345],
    );
    const rgb = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAQAAAACCAIAAADwyuo0AAAAI0lEQVR4AWP4z8DA8J+BgeE/l4gcs2eK0dzAVw31/3duXgsAaEYKC83/mLAAAAAASUVORK5CYII=',
      'base64',
    );
    const c = decodePng(rgb, 'rgb.png');
    assert.deepEqual([c.width, c.height, c.channels, c.bitDepth], [4, 2, 3, 8]);
    assert.deepEqual(
      Array.from(c.data),
      [255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30, 200, 100, 50, 1, 2, 3, 128, 128, 128, 254, 253, 252],
    );
  });

  test('decodes a hand-made file: stored deflate block, Sub/Up/Avg/Paeth filters, 4-bit palette', () => {
    // 3×4 palette image, 4 bits per pixel; rows are filtered by hand (bpp = 1 byte for filtering)
    const pixels = [
      [0, 1, 2],
      [3, 0, 1],
      [2, 2, 3],
      [1, 3, 0],
    ];
    const rowBytes = pixels.map((p) => [(p[0] << 4) | p[1], p[2] << 4]);
    // row 0 Sub: [b0, b1 − b0]; row 1 Up: row1 − row0; row 2 Avg: b − floor((left + up)/2); row 3 Paeth
    const raw: number[] = [];
    raw.push(1, rowBytes[0][0], (rowBytes[0][1] - rowBytes[0][0]) & 255);
    raw.push(2, (rowBytes[1][0] - rowBytes[0][0]) & 255, (rowBytes[1][1] - rowBytes[0][1]) & 255);
    raw.push(
      3,
      (rowBytes[2][0] - (rowBytes[1][0] >> 1)) & 255,
      (rowBytes[2][1] - ((rowBytes[2][0] + rowBytes[1][1]) >> 1)) & 255,
    );
    // Paeth at x=0: a=c=0 → predictor b (up); at x=1 the predictor is computed from a, b, c below
    const [a, b, c] = [rowBytes[3][0], rowBytes[2][1], rowBytes[2][0]];
    const p = a + b - c;
    const pred =
      Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c)
        ? a
        : Math.abs(p - b) <= Math.abs(p - c)
          ? b
          : c;
    raw.push(4, (rowBytes[3][0] - rowBytes[2][0]) & 255, (rowBytes[3][1] - pred) & 255);
    let s1 = 1;
    let s2 = 0;
    for (const x of raw) {
      s1 = (s1 + x) % 65521;
      s2 = (s2 + s1) % 65521;
    }
    const zlib = [
      0x78,
      0x01,
      0x01,
      raw.length,
      0,
      ~raw.length & 255,
      0xff,
      ...raw,
      s2 >> 8,
      s2 & 255,
      s1 >> 8,
      s1 & 255,
    ];
    const chunk = (type: string, body: number[]) => {
      const tb = [...Buffer.from(type, 'latin1'), ...body];
      const crc = crc32(Uint8Array.from(tb));
      return [
        0,
        0,
        body.length >> 8,
        body.length & 255,
        ...tb,
        crc >>> 24,
        (crc >>> 16) & 255,
        (crc >>> 8) & 255,
        crc & 255,
      ];
    };
    const file = Uint8Array.from([
      137,
      80,
      78,
      71,
      13,
      10,
      26,
      10,
      ...chunk('IHDR', [0, 0, 0, 3, 0, 0, 0, 4, 4, 3, 0, 0, 0]),
      ...chunk('PLTE', [0, 0, 0, 255, 0, 0, 0, 255, 0, 0, 0, 255]),
      ...chunk('tEXt', [...Buffer.from('Comment\0hand made', 'latin1')]),
      ...chunk('IDAT', zlib),
      ...chunk('IEND', []),
    ]);
    const img = decodePng(file, 'hand.png');
    const pal = [
      [0, 0, 0],
      [255, 0, 0],
      [0, 255, 0],
      [0, 0, 255],
    ];
    assert.deepEqual([img.width, img.height, img.channels], [3, 4, 3]);
    assert.deepEqual(
      Array.from(img.data),
      pixels.flat().flatMap((e) => pal[e]),
    );
  });

  test('files written here decode identically in pngjs (an independent decoder)', () => {
    const d = depthImage(16, 9);
    const back = PNG.sync.read(
      Buffer.from(encodePng({ width: 16, height: 9, channels: 1, bitDepth: 16, data: d })),
      {
        skipRescale: true,
      },
    );
    assert.equal(back.depth, 16);
    // pngjs expands grey to RGBA
    assert.deepEqual(
      Array.from(back.data).filter((_, i) => i % 4 === 0),
      Array.from(d),
    );
  });

  test('bad files fail with the file name, byte offset and what was expected', () => {
    const good = encodePng({ width: 4, height: 4, channels: 1, bitDepth: 16, data: new Uint16Array(16) });
    assert.throws(
      () => decodePng(Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]), 'x.png'),
      /x\.png: PNG byte 0: not a PNG file/,
    );
    const crc = good.slice();
    crc[20] ^= 1; // inside IHDR
    assert.throws(() => decodePng(crc, 'c.png'), /c\.png: PNG byte 8: CRC mismatch in chunk IHDR/);
    assert.throws(
      () => decodePng(good.slice(0, 50), 't.png'),
      /t\.png: PNG byte 33: chunk IDAT of \d+ bytes runs past the end/,
    );
    assert.throws(
      () => encodePng({ width: 2, height: 2, channels: 1, bitDepth: 16, data: new Uint16Array(3) }),
      /3 samples for 2×2×1/,
    );
  });
});
