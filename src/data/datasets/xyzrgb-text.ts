/**
 * Fast parser for S3DIS-style text point files: one "x y z r g b" row per line. Reads bytes
 * directly (no per-line strings) and names the file and line of a bad row, or skips bad rows.
 */

/** Parsed rows: positions float32 N×3, colours uint8 N×3. */
export interface XyzRgbRows {
  positions: Float32Array;
  colors: Uint8Array;
  /** Rows skipped because they were malformed (only with `skipBadLines`). */
  badLines: number;
  /** 1-based line numbers of the first few skipped rows. */
  badLineNumbers: number[];
}

const SPACE = 32;
const TAB = 9;
const CR = 13;
const LF = 10;
const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);

function parseToken(b: Uint8Array, start: number, end: number): number {
  let s = '';
  for (let i = start; i < end; i++) s += String.fromCharCode(b[i]);
  return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s) ? Number(s) : NaN;
}

function showLine(b: Uint8Array, start: number, end: number): string {
  const text = new TextDecoder().decode(b.subarray(start, Math.min(end, start + 100)));
  return JSON.stringify(text.replace(/\r$/, '')) + (end - start > 100 ? '…' : '');
}

/**
 * Parses "x y z r g b" rows (space/tab separated; CRLF tolerated; blank lines skipped). A malformed
 * row throws an error naming `file` and the line, unless `skipBadLines` (then it is counted).
 */
export function parseXyzRgbText(
  bytes: Uint8Array,
  file: string,
  opts: { skipBadLines?: boolean } = {},
): XyzRgbRows {
  let lines = 1;
  for (let i = bytes.indexOf(LF); i >= 0; i = bytes.indexOf(LF, i + 1)) lines++;
  const positions = new Float32Array(lines * 3);
  const colors = new Uint8Array(lines * 3);
  const vals = new Float64Array(7);
  let n = 0;
  let bad = 0;
  const badLineNumbers: number[] = [];
  let lineNo = 0;
  let pos = 0;
  const len = bytes.length;
  while (pos < len) {
    lineNo++;
    let end = bytes.indexOf(LF, pos);
    if (end < 0) end = len;
    const lineStart = pos;
    let p = pos;
    let fields = 0;
    let ok = true;
    while (true) {
      while (p < end && (bytes[p] === SPACE || bytes[p] === TAB || bytes[p] === CR)) p++;
      if (p >= end) break;
      if (fields === 7) {
        ok = false;
        break;
      }
      // Inline decimal parse: [+-]digits[.digits]; anything else falls back to parseToken.
      const start = p;
      let neg = false;
      if (bytes[p] === 45 || bytes[p] === 43) {
        neg = bytes[p] === 45;
        p++;
      }
      let mant = 0;
      let digits = 0;
      let frac = 0;
      let c = p < end ? bytes[p] : SPACE;
      while (c >= 48 && c <= 57) {
        mant = mant * 10 + (c - 48);
        digits++;
        c = ++p < end ? bytes[p] : SPACE;
      }
      if (c === 46) {
        c = ++p < end ? bytes[p] : SPACE;
        while (c >= 48 && c <= 57) {
          mant = mant * 10 + (c - 48);
          digits++;
          frac++;
          c = ++p < end ? bytes[p] : SPACE;
        }
      }
      let v: number;
      if (c === 101 || c === 69 || digits > 15) {
        // Exponent or long mantissa: exact conversion of this token only.
        while (p < end && bytes[p] !== SPACE && bytes[p] !== TAB && bytes[p] !== CR) p++;
        v = parseToken(bytes, start, p);
      } else if (digits === 0 || (c !== SPACE && c !== TAB && c !== CR)) v = NaN;
      else {
        // Both operands are exact doubles (mant < 2^53, 10^frac ≤ 10^15): the quotient is correctly rounded.
        v = mant / POW10[frac];
        if (neg) v = -v;
      }
      if (!Number.isFinite(v)) {
        ok = false;
        break;
      }
      vals[fields++] = v;
    }
    pos = end + 1;
    if (ok && fields === 0) continue; // blank line
    if (ok && fields === 6) {
      for (let a = 3; a < 6; a++) {
        const c = vals[a];
        if (!(c >= 0 && c <= 255 && Number.isInteger(c))) ok = false;
      }
    } else ok = false;
    if (!ok) {
      if (!opts.skipBadLines) {
        throw new Error(
          `${file}:${lineNo}: expected 6 numbers "x y z r g b" (r g b integers 0..255), got ${showLine(bytes, lineStart, end)}`,
        );
      }
      bad++;
      if (badLineNumbers.length < 10) badLineNumbers.push(lineNo);
      continue;
    }
    positions[n * 3] = vals[0];
    positions[n * 3 + 1] = vals[1];
    positions[n * 3 + 2] = vals[2];
    colors[n * 3] = vals[3];
    colors[n * 3 + 1] = vals[4];
    colors[n * 3 + 2] = vals[5];
    n++;
  }
  return {
    positions: positions.slice(0, n * 3),
    colors: colors.slice(0, n * 3),
    badLines: bad,
    badLineNumbers,
  };
}
