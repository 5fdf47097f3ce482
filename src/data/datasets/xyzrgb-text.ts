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

let cursor = 0;

/** Parses one decimal at `cursor` (already past whitespace) up to `end`; NaN if it is not a plain number. */
function readNumber(b: Uint8Array, end: number): number {
  const start = cursor;
  let p = cursor;
  let neg = false;
  if (b[p] === 45 || b[p] === 43) {
    neg = b[p] === 45;
    p++;
  }
  let mant = 0;
  let digits = 0;
  let frac = 0;
  while (p < end && b[p] >= 48 && b[p] <= 57) {
    mant = mant * 10 + (b[p] - 48);
    digits++;
    p++;
  }
  if (p < end && b[p] === 46) {
    p++;
    while (p < end && b[p] >= 48 && b[p] <= 57) {
      mant = mant * 10 + (b[p] - 48);
      digits++;
      frac++;
      p++;
    }
  }
  const c = p < end ? b[p] : SPACE;
  if (c === 101 || c === 69 || digits > 15) {
    // Exponent or long mantissa: let the engine do the exact conversion on this token only.
    while (p < end && b[p] !== SPACE && b[p] !== TAB && b[p] !== CR) p++;
    cursor = p;
    return parseToken(b, start, p);
  }
  cursor = p;
  if (digits === 0 || (c !== SPACE && c !== TAB && c !== CR)) return NaN;
  // Both operands are exact doubles (mant < 2^53, 10^frac ≤ 10^22), so the quotient is correctly rounded.
  const v = mant / POW10[frac];
  return neg ? -v : v;
}

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
    cursor = pos;
    let fields = 0;
    let ok = true;
    while (true) {
      while (cursor < end && (bytes[cursor] === SPACE || bytes[cursor] === TAB || bytes[cursor] === CR))
        cursor++;
      if (cursor >= end) break;
      if (fields === 7) {
        ok = false;
        break;
      }
      const v = readNumber(bytes, end);
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
