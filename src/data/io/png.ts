/**
 * PNG encoder/decoder on node:zlib, no dependency: 8/16-bit grayscale, grey+alpha, RGB, RGBA
 * (plus decoding of 1/2/4-bit grey and palette images). Used for ScanNet-layout depth frames
 * (uint16 millimetres) and colour frames. Samples are big-endian in the file, host order in memory.
 */
import { crc32, deflateSync, inflateSync } from 'node:zlib';

/** A decoded (or to-be-encoded) image: row-major, channels interleaved. */
export interface PngImage {
  width: number;
  height: number;
  /** 1 grey, 2 grey+alpha, 3 RGB, 4 RGBA. */
  channels: 1 | 2 | 3 | 4;
  /** 8 or 16 (decoded 1/2/4-bit grey keeps its raw sample values in 8-bit storage and reports bitDepth 8). */
  bitDepth: 8 | 16;
  /** width·height·channels samples. */
  data: Uint8Array | Uint16Array;
}

const SIGNATURE = [137, 80, 78, 71, 13, 10, 26, 10];
const CHANNELS: Record<number, 1 | 2 | 3 | 4> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
const COLOR_TYPE: Record<number, number> = { 1: 0, 2: 4, 3: 2, 4: 6 };
const MAX_PIXELS = 1 << 28;

/** An error in a PNG file: names the file and the byte offset. */
export class PngError extends Error {
  constructor(file: string, offset: number | undefined, message: string) {
    super(`${file}: PNG${offset === undefined ? '' : ` byte ${offset}`}: ${message}`);
    this.name = 'PngError';
  }
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** Reverses the per-row filters in place; `raw` holds rows of 1 filter byte + stride bytes. */
function unfilter(raw: Uint8Array, height: number, stride: number, bpp: number, file: string): Uint8Array {
  const out = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const f = raw[y * (stride + 1)];
    const src = y * (stride + 1) + 1;
    const dst = y * stride;
    const prev = dst - stride;
    for (let x = 0; x < stride; x++) {
      const a = x >= bpp ? out[dst + x - bpp] : 0;
      const b = y > 0 ? out[prev + x] : 0;
      const c = y > 0 && x >= bpp ? out[prev + x - bpp] : 0;
      let v = raw[src + x];
      switch (f) {
        case 0:
          break;
        case 1:
          v += a;
          break;
        case 2:
          v += b;
          break;
        case 3:
          v += (a + b) >> 1;
          break;
        case 4:
          v += paeth(a, b, c);
          break;
        default:
          throw new PngError(
            file,
            undefined,
            `image data row ${y} has unknown filter type ${f} (expected 0..4)`,
          );
      }
      out[dst + x] = v;
    }
  }
  return out;
}

/** Decodes a PNG file (non-interlaced; every colour type and bit depth of the standard). */
export function decodePng(bytes: Uint8Array, file = '<buffer>'): PngImage {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < 8; i++) {
    if (bytes[i] !== SIGNATURE[i]) throw new PngError(file, i, 'not a PNG file (bad signature)');
  }
  let pos = 8;
  let ihdr: { w: number; h: number; depth: number; ctype: number } | undefined;
  let palette: Uint8Array | undefined;
  let trns: Uint8Array | undefined;
  const idat: Uint8Array[] = [];
  let ended = false;
  while (!ended) {
    if (pos + 8 > bytes.length)
      throw new PngError(file, pos, 'truncated file: expected another chunk (IEND is missing)');
    const len = dv.getUint32(pos);
    const type = String.fromCharCode(bytes[pos + 4], bytes[pos + 5], bytes[pos + 6], bytes[pos + 7]);
    if (pos + 12 + len > bytes.length) {
      throw new PngError(
        file,
        pos,
        `chunk ${type} of ${len} bytes runs past the end of the file (${bytes.length} bytes)`,
      );
    }
    const body = bytes.subarray(pos + 8, pos + 8 + len);
    const crc = dv.getUint32(pos + 8 + len);
    if (crc32(bytes.subarray(pos + 4, pos + 8 + len)) !== crc)
      throw new PngError(file, pos, `CRC mismatch in chunk ${type}`);
    if (type === 'IHDR') {
      if (len !== 13) throw new PngError(file, pos, `IHDR has ${len} bytes, expected 13`);
      const b = new DataView(body.buffer, body.byteOffset, 13);
      ihdr = { w: b.getUint32(0), h: b.getUint32(4), depth: body[8], ctype: body[9] };
      if (body[10] !== 0 || body[11] !== 0)
        throw new PngError(file, pos + 18, 'unknown compression or filter method');
      if (body[12] !== 0)
        throw new PngError(file, pos + 20, 'Adam7-interlaced PNG is not supported; save it non-interlaced');
      const okDepth: Record<number, number[]> = {
        0: [1, 2, 4, 8, 16],
        2: [8, 16],
        3: [1, 2, 4, 8],
        4: [8, 16],
        6: [8, 16],
      };
      if (!okDepth[ihdr.ctype]?.includes(ihdr.depth)) {
        throw new PngError(file, pos + 16, `invalid colour type ${ihdr.ctype} with bit depth ${ihdr.depth}`);
      }
      if (ihdr.w === 0 || ihdr.h === 0 || ihdr.w * ihdr.h > MAX_PIXELS) {
        throw new PngError(
          file,
          pos + 8,
          `image size ${ihdr.w}×${ihdr.h} is empty or larger than ${MAX_PIXELS} pixels`,
        );
      }
    } else if (type === 'PLTE') palette = body;
    else if (type === 'tRNS') trns = body;
    else if (type === 'IDAT') idat.push(body);
    else if (type === 'IEND') ended = true;
    else if ((bytes[pos + 4] & 0x20) === 0) throw new PngError(file, pos, `unknown critical chunk ${type}`);
    if (!ihdr && type !== 'IHDR') throw new PngError(file, pos, `chunk ${type} before IHDR`);
    pos += 12 + len;
  }
  if (!ihdr) throw new PngError(file, 8, 'missing IHDR chunk');
  const { w, h, depth, ctype } = ihdr;
  const spp = CHANNELS[ctype];
  const stride = Math.ceil((w * spp * depth) / 8);
  const bpp = Math.max(1, (spp * depth) >> 3);
  let raw: Uint8Array;
  try {
    raw = inflateSync(Buffer.concat(idat));
  } catch (e) {
    throw new PngError(file, 8, `corrupt image data: ${(e as Error).message}`);
  }
  if (raw.length < h * (stride + 1)) {
    throw new PngError(
      file,
      8,
      `image data inflates to ${raw.length} bytes, expected ${h * (stride + 1)} for ${w}×${h}`,
    );
  }
  const px = unfilter(raw, h, stride, bpp, file);
  if (depth === 16) {
    const data = new Uint16Array(w * h * spp);
    for (let i = 0; i < data.length; i++) data[i] = (px[i * 2] << 8) | px[i * 2 + 1];
    return { width: w, height: h, channels: spp, bitDepth: 16, data };
  }
  let samples = px;
  if (depth < 8) {
    samples = new Uint8Array(w * h);
    const mask = (1 << depth) - 1;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const bit = x * depth;
        samples[y * w + x] = (px[y * stride + (bit >> 3)] >> (8 - depth - (bit & 7))) & mask;
      }
    }
  }
  if (ctype !== 3) return { width: w, height: h, channels: spp, bitDepth: 8, data: samples };
  if (!palette) throw new PngError(file, 8, 'palette image without a PLTE chunk');
  const ch = trns ? 4 : 3;
  const data = new Uint8Array(w * h * ch);
  for (let i = 0; i < w * h; i++) {
    const e = samples[i];
    if (e * 3 + 2 >= palette.length)
      throw new PngError(file, 8, `pixel ${i} uses palette entry ${e} of ${palette.length / 3}`);
    data[i * ch] = palette[e * 3];
    data[i * ch + 1] = palette[e * 3 + 1];
    data[i * ch + 2] = palette[e * 3 + 2];
    if (trns) data[i * ch + 3] = e < trns.length ? trns[e] : 255;
  }
  return { width: w, height: h, channels: ch, bitDepth: 8, data };
}

function chunk(type: string, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + body.length);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, body.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(body, 8);
  dv.setUint32(8 + body.length, crc32(out.subarray(4, 8 + body.length)));
  return out;
}

/** Options of `encodePng`. */
export interface EncodeOptions {
  /** zlib level 0..9 (default 6). */
  level?: number;
}

/** Encodes an image as PNG (adaptive per-row filter: the one with the smallest sum of |residual|). */
export function encodePng(img: PngImage, opts: EncodeOptions = {}): Uint8Array {
  const { width: w, height: h, channels, bitDepth } = img;
  const ctype = COLOR_TYPE[channels];
  if (ctype === undefined || (bitDepth !== 8 && bitDepth !== 16)) {
    throw new RangeError(`encodePng: unsupported ${channels} channels at ${bitDepth} bits`);
  }
  if (!(w > 0 && h > 0) || img.data.length !== w * h * channels) {
    throw new RangeError(`encodePng: ${img.data.length} samples for ${w}×${h}×${channels}`);
  }
  const bps = bitDepth / 8;
  const stride = w * channels * bps;
  const bpp = channels * bps;
  // big-endian sample bytes
  const px = new Uint8Array(h * stride);
  if (bitDepth === 16) {
    const d = img.data;
    for (let i = 0; i < d.length; i++) {
      px[i * 2] = d[i] >> 8;
      px[i * 2 + 1] = d[i] & 255;
    }
  } else px.set(img.data);
  const raw = new Uint8Array(h * (stride + 1));
  const cand = new Uint8Array(stride * 5);
  for (let y = 0; y < h; y++) {
    const row = y * stride;
    let best = 0;
    let bestSum = Infinity;
    for (let f = 0; f < 5; f++) {
      let sum = 0;
      const o = f * stride;
      for (let x = 0; x < stride; x++) {
        const a = x >= bpp ? px[row + x - bpp] : 0;
        const b = y > 0 ? px[row - stride + x] : 0;
        const c = y > 0 && x >= bpp ? px[row - stride + x - bpp] : 0;
        const pred = f === 0 ? 0 : f === 1 ? a : f === 2 ? b : f === 3 ? (a + b) >> 1 : paeth(a, b, c);
        const r = (px[row + x] - pred) & 255;
        cand[o + x] = r;
        sum += r < 128 ? r : 256 - r;
      }
      if (sum < bestSum) {
        bestSum = sum;
        best = f;
      }
    }
    raw[y * (stride + 1)] = best;
    raw.set(cand.subarray(best * stride, (best + 1) * stride), y * (stride + 1) + 1);
  }
  const ihdr = new Uint8Array(13);
  const dv = new DataView(ihdr.buffer);
  dv.setUint32(0, w);
  dv.setUint32(4, h);
  ihdr[8] = bitDepth;
  ihdr[9] = ctype;
  const idat = deflateSync(raw, { level: opts.level ?? 6 });
  const parts = [
    Uint8Array.from(SIGNATURE),
    chunk('IHDR', ihdr),
    chunk('IDAT', idat),
    chunk('IEND', new Uint8Array(0)),
  ];
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
