/**
 * `parsePcd`: PCD bytes (ascii, binary, binary_compressed/LZF) → one typed array per field in
 * its declared type, with organized-cloud dimensions kept. Non-finite points (NaN pixels of
 * organized clouds) are dropped by default, with their count and original indices reported.
 */
import type { TypedArray } from '../../geometry/point-cloud.js';
import { FormatError, NO_FILE } from './errors.js';
import { lzfDecompress, LZF_MAX_RATIO } from './lzf.js';
import { compactRows, countNonFinite, describePoint, finiteMask } from './non-finite.js';
import type { NonFinitePolicy, NonFiniteReport } from './non-finite.js';
import { checkPadding } from './padding.js';
import { PACKED_COLOR_FIELDS, parsePcdHeader, pcdPointBytes } from './pcd-header.js';
import type { PcdField, PcdHeader } from './pcd-header.js';
import { INT_RANGE, newTypedArray, readColumn } from './scalar.js';
import { TextScanner } from './text-scanner.js';

/** A parsed PCD file: the header and each field's values (points × count, point-major). */
export interface PcdData {
  file: string;
  header: PcdHeader;
  /** values[i] belongs to header.fields[i]. */
  values: TypedArray[];
  /** Points in `values` (header.points minus any dropped). */
  points: number;
  nonFinite: NonFiniteReport;
  /** When points were dropped: the file-order index (row-major pixel) of each kept point. */
  sourceIndex?: Uint32Array;
}

/** Options of parsePcd. */
export interface ParsePcdOptions {
  /** File name used in error messages. */
  file?: string;
  /** Points with NaN/Inf x, y or z: 'drop' (default; PCL marks invalid pixels with NaN), 'keep' or 'error'. */
  nonFinite?: NonFinitePolicy;
}

const HOST_LE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Parses a PCD file held in memory. Throws FormatError on any malformed input. */
export function parsePcd(buffer: ArrayBuffer | Uint8Array, opts: ParsePcdOptions = {}): PcdData {
  const file = opts.file ?? NO_FILE;
  const bytes = buffer instanceof Uint8Array ? buffer : new Uint8Array(buffer);
  const header = parsePcdHeader(bytes, file);
  let values: TypedArray[];
  if (header.data === 'ascii') values = readAscii(bytes, header, file);
  else if (header.data === 'binary') values = readBinary(bytes, header, file);
  else values = readCompressed(bytes, header, file);
  const pcd: PcdData = {
    file,
    header,
    values,
    points: header.points,
    nonFinite: { count: 0, firstIndex: -1, dropped: false },
  };
  applyNonFinite(pcd, opts.nonFinite ?? 'drop');
  return pcd;
}

/** The values of the field called `name` (first match), if present. */
export function pcdField(pcd: PcdData, name: string): { field: PcdField; values: TypedArray } | undefined {
  const i = pcd.header.fields.findIndex((f) => f.name === name);
  return i < 0 ? undefined : { field: pcd.header.fields[i], values: pcd.values[i] };
}

function tooShort(file: string, h: PcdHeader, need: number, left: number, offset: number): never {
  throw new FormatError(
    file,
    `truncated data: ${h.points} points × ${pcdPointBytes(h)} bytes = ${need} bytes expected after the header, ` +
      `only ${left} bytes are left`,
    { offset },
  );
}

function readBinary(bytes: Uint8Array, h: PcdHeader, file: string): TypedArray[] {
  const stride = pcdPointBytes(h);
  const off = h.byteLength;
  const need = h.points * stride;
  if (need > bytes.length - off) tooShort(file, h, need, bytes.length - off, off);
  checkPadding(bytes, off + need, file, `${h.points} points`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let fo = 0;
  return h.fields.map((f) => {
    const out = readInterleaved(dv, f, off + fo, stride, h.points);
    fo += f.size * f.count;
    return out;
  });
}

function readInterleaved(dv: DataView, f: PcdField, start: number, stride: number, n: number): TypedArray {
  if (f.count === 1) return readColumn(dv, f.storage, start, stride, n, true);
  const out = newTypedArray(f.storage, n * f.count);
  for (let k = 0; k < f.count; k++) {
    const col = readColumn(dv, f.storage, start + k * f.size, stride, n, true);
    for (let i = 0; i < n; i++) out[i * f.count + k] = col[i];
  }
  return out;
}

function readCompressed(bytes: Uint8Array, h: PcdHeader, file: string): TypedArray[] {
  const off = h.byteLength;
  if (bytes.length - off < 8) {
    throw new FormatError(
      file,
      'truncated data: expected the compressed and uncompressed sizes (2 × uint32) after DATA',
      {
        offset: off,
      },
    );
  }
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const csize = dv.getUint32(off, true);
  const usize = dv.getUint32(off + 4, true);
  const stride = pcdPointBytes(h);
  const expected = h.points * stride;
  if (usize !== expected) {
    throw new FormatError(
      file,
      `uncompressed size ${usize} does not match ${h.points} points × ${stride} bytes = ${expected}`,
      { offset: off + 4 },
    );
  }
  const left = bytes.length - off - 8;
  if (csize > left) {
    throw new FormatError(
      file,
      `truncated data: compressed size ${csize} bytes, only ${left} bytes are left`,
      {
        offset: off,
      },
    );
  }
  if (usize > csize * LZF_MAX_RATIO) {
    throw new FormatError(file, `uncompressed size ${usize} is impossible for ${csize} bytes of LZF data`, {
      offset: off,
    });
  }
  const start = off + 8;
  checkPadding(bytes, start + csize, file, 'the compressed data');
  const raw = lzfDecompress(bytes.subarray(start, start + csize), usize, file, start);
  const rbuf = raw.buffer as ArrayBuffer;
  const rdv = new DataView(rbuf);
  let fo = 0;
  return h.fields.map((f) => {
    const n = h.points * f.count;
    const a = fo;
    fo += n * f.size;
    // Field-major: field f's values are contiguous; on little-endian hosts a slice is a copy-free reinterpretation.
    if (HOST_LE) return newView(f, rbuf.slice(a, a + n * f.size));
    return readColumn(rdv, f.storage, a, f.size, n, true);
  });
}

function newView(f: PcdField, buf: ArrayBuffer): TypedArray {
  const t = newTypedArray(f.storage, 0);
  return new (t.constructor as new (b: ArrayBuffer) => TypedArray)(buf);
}

const F32 = new Float32Array(1);
const U32 = new Uint32Array(F32.buffer);

function readAscii(bytes: Uint8Array, h: PcdHeader, file: string): TypedArray[] {
  const perPoint = h.fields.reduce((s, f) => s + f.count, 0);
  const left = bytes.length - h.byteLength;
  // Each value takes at least one character and one separator: reject impossible counts before allocating.
  if (h.points * perPoint * 2 - 1 > left) {
    throw new FormatError(
      file,
      `truncated data: ${h.points} points of ${perPoint} values need at least ${h.points * perPoint * 2 - 1} bytes, only ${left} are left`,
      { line: h.lineCount + 1 },
    );
  }
  const out = h.fields.map((f) => newTypedArray(f.storage, h.points * f.count));
  const sc = new TextScanner(bytes, file, h.byteLength, h.lineCount + 1);
  const packed = h.fields.map((f) => PACKED_COLOR_FIELDS.includes(f.name) && f.size === 4);
  const ranges = h.fields.map((f) => INT_RANGE[f.storage]);
  for (let i = 0; i < h.points; i++) {
    if (!sc.skipBlank()) {
      throw new FormatError(file, `truncated data: expected ${h.points} points, found ${i}`, {
        line: sc.line,
      });
    }
    for (let j = 0; j < h.fields.length; j++) {
      const f = h.fields[j];
      for (let k = 0; k < f.count; k++) {
        if (!sc.nextTokenOnLine()) {
          throw new FormatError(file, `point ${i} has too few values: expected ${perPoint} per line`, {
            line: sc.line,
          });
        }
        let v = sc.tryNumber();
        if (v === undefined) {
          throw new FormatError(
            file,
            `expected a number for field '${f.name}' of point ${i}, found '${sc.token()}'`,
            {
              line: sc.line,
            },
          );
        }
        if (packed[j]) {
          // PCL writes packed colours as uint32 integers even for TYPE F; a decimal is a float to reinterpret.
          if (f.type === 'F' && !sc.tokenIsInteger()) {
            F32[0] = v;
            v = U32[0];
          } else if (v < 0 && v >= -2147483648) v = v >>> 0;
        }
        const r = ranges[j];
        if (r && !(v >= r[0] && v <= r[1] && Math.floor(v) === v)) {
          throw new FormatError(
            file,
            `value '${sc.token()}' of field '${f.name}' (point ${i}) is not a valid ${f.type}${f.size}`,
            { line: sc.line },
          );
        }
        out[j][i * f.count + k] = v;
      }
    }
    sc.endLine(`the ${perPoint} values of point ${i}`);
  }
  if (sc.skipBlank()) {
    throw new FormatError(file, `extra data after the ${h.points} points declared by POINTS`, {
      line: sc.line,
    });
  }
  return out;
}

function applyNonFinite(pcd: PcdData, policy: NonFinitePolicy): void {
  const x = pcdField(pcd, 'x');
  const y = pcdField(pcd, 'y');
  const z = pcdField(pcd, 'z');
  if (!x || !y || !z || x.field.count !== 1 || y.field.count !== 1 || z.field.count !== 1) return;
  const n = pcd.points;
  const { count, firstIndex } = countNonFinite(x.values, y.values, z.values, n);
  pcd.nonFinite = { count, firstIndex, dropped: false };
  if (count === 0 || policy === 'keep') return;
  if (policy === 'error') {
    const i = firstIndex;
    throw new FormatError(
      pcd.file,
      `${count} of ${n} points have non-finite coordinates (first: point ${i}, ` +
        `${describePoint(x.values[i], y.values[i], z.values[i])}); parse with nonFinite 'drop' or 'keep' to accept them`,
    );
  }
  const keep = finiteMask(x.values, y.values, z.values, n);
  const kept = n - count;
  pcd.values = pcd.values.map((v, j) => compactRows(v, keep, kept, pcd.header.fields[j].count));
  const src = new Uint32Array(kept);
  for (let i = 0, j = 0; i < n; i++) if (keep[i]) src[j++] = i;
  pcd.sourceIndex = src;
  pcd.points = kept;
  pcd.nonFinite.dropped = true;
}
