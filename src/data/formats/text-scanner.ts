/**
 * A byte-level tokenizer for the ascii bodies of PLY/PCD/XYZ files: walks a Uint8Array without
 * building strings, tracks line numbers for errors, and parses numbers exactly (fast path when
 * the decimal fits in a double exactly, Number() otherwise).
 */
import { FormatError } from './errors.js';

const NL = 10;

/** Byte classes: 0 = part of a token, 1 = separator on a line, 2 = newline. */
function classTable(commas: boolean): Uint8Array {
  const t = new Uint8Array(256);
  for (const b of [32, 9, 13]) t[b] = 1; // space, tab, CR
  if (commas) t[44] = 1;
  t[NL] = 2;
  return t;
}
const WS = classTable(false);
const WS_COMMA = classTable(true);

/** 10^0 … 10^22: every one is exact in a double, so m·10^k or m/10^k rounds once (correctly). */
const POW10 = Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));

/** Cursor over ascii data: `nextToken*` select a token, `number()` parses it. */
export class TextScanner {
  /** Current byte position. */
  pos: number;
  /** 1-based line number of `pos`. */
  line: number;
  private tokStart = 0;
  private tokEnd = 0;
  private readonly cls: Uint8Array;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly file: string,
    start: number,
    line: number,
    /** Whether ',' separates values like whitespace (xyz/csv rows). */
    commas = false,
  ) {
    this.pos = start;
    this.line = line;
    this.cls = commas ? WS_COMMA : WS;
  }

  /** Skips separators on the current line. */
  private skipInline(): void {
    const { bytes, cls } = this;
    let p = this.pos;
    while (p < bytes.length && cls[bytes[p]] === 1) p++;
    this.pos = p;
  }

  private takeToken(): void {
    const { bytes, cls } = this;
    let p = this.pos;
    this.tokStart = p;
    while (p < bytes.length && cls[bytes[p]] === 0) p++;
    this.pos = this.tokEnd = p;
  }

  /** Skips blank space and newlines; false when only whitespace remains. */
  skipBlank(): boolean {
    const { bytes, cls } = this;
    let p = this.pos;
    while (p < bytes.length) {
      const c = cls[bytes[p]];
      if (c === 0) break;
      if (c === 2) this.line++;
      p++;
    }
    this.pos = p;
    return p < bytes.length;
  }

  /** Selects the next token, crossing lines; false at end of data. */
  nextToken(): boolean {
    if (!this.skipBlank()) return false;
    this.takeToken();
    return true;
  }

  /** Selects the next token on the current line; false at end of line or data. */
  nextTokenOnLine(): boolean {
    this.skipInline();
    if (this.pos >= this.bytes.length || this.bytes[this.pos] === NL) return false;
    this.takeToken();
    return true;
  }

  /** True if the rest of the current line is a comment starting with `#`. */
  atComment(): boolean {
    this.skipInline();
    return this.pos < this.bytes.length && this.bytes[this.pos] === 35;
  }

  /** Skips to just after the end of the current line. */
  skipLine(): void {
    const { bytes } = this;
    while (this.pos < bytes.length && bytes[this.pos] !== NL) this.pos++;
    if (this.pos < bytes.length) {
      this.pos++;
      this.line++;
    }
  }

  /** Requires the current line to be finished (only separators left), then moves past its end. */
  endLine(what: string): void {
    if (this.nextTokenOnLine()) {
      throw new FormatError(this.file, `unexpected extra value '${this.token()}' after ${what}`, {
        line: this.line,
      });
    }
    this.skipLine();
  }

  /** The selected token as a string (for messages and rare fallbacks). */
  token(): string {
    const end = Math.min(this.tokEnd, this.tokStart + 40);
    let s = '';
    for (let i = this.tokStart; i < end; i++) s += String.fromCharCode(this.bytes[i]);
    return end < this.tokEnd ? `${s}…` : s;
  }

  /** True if the selected token is a plain integer (optional sign, digits only). */
  tokenIsInteger(): boolean {
    let i = this.tokStart;
    const b0 = this.bytes[i];
    if (b0 === 45 || b0 === 43) i++;
    if (i >= this.tokEnd) return false;
    for (; i < this.tokEnd; i++) {
      const b = this.bytes[i];
      if (b < 48 || b > 57) return false;
    }
    return true;
  }

  /** Parses the selected token as a number (nan/inf accepted); undefined if it is not one. */
  tryNumber(): number | undefined {
    return parseNumber(this.bytes, this.tokStart, this.tokEnd);
  }

  /** Parses the selected token as a number (nan/inf accepted); throws FormatError naming `what`. */
  number(what: string): number {
    const v = parseNumber(this.bytes, this.tokStart, this.tokEnd);
    if (v === undefined) {
      throw new FormatError(this.file, `expected a number for ${what}, found '${this.token()}'`, {
        line: this.line,
      });
    }
    return v;
  }
}

function wordValue(bytes: Uint8Array, start: number, end: number): number | undefined {
  let sign = 1;
  let i = start;
  if (bytes[i] === 45 || bytes[i] === 43) {
    if (bytes[i] === 45) sign = -1;
    i++;
  }
  let w = '';
  for (; i < end && end - start < 12; i++) w += String.fromCharCode(bytes[i] | 0x20);
  if (w === 'nan') return NaN;
  if (w === 'inf' || w === 'infinity') return sign * Infinity;
  return undefined;
}

/** Parses bytes [start, end) as a decimal number; undefined if it is not one. */
export function parseNumber(bytes: Uint8Array, start: number, end: number): number | undefined {
  let i = start;
  let neg = false;
  if (i < end && (bytes[i] === 45 || bytes[i] === 43)) {
    neg = bytes[i] === 45;
    i++;
  }
  let mant = 0;
  let sig = 0; // significant digits accumulated into mant
  let exp = 0;
  let digits = 0;
  for (; i < end; i++) {
    const d = bytes[i] - 48;
    if (d < 0 || d > 9) break;
    digits++;
    if (sig > 0 || d !== 0) {
      mant = mant * 10 + d;
      sig++;
    }
  }
  if (i < end && bytes[i] === 46) {
    for (i++; i < end; i++) {
      const d = bytes[i] - 48;
      if (d < 0 || d > 9) break;
      digits++;
      exp--;
      if (sig > 0 || d !== 0) {
        mant = mant * 10 + d;
        sig++;
      }
    }
  }
  if (digits === 0) return wordValue(bytes, start, end);
  if (i < end && (bytes[i] | 0x20) === 101) {
    i++;
    let eneg = false;
    if (i < end && (bytes[i] === 45 || bytes[i] === 43)) {
      eneg = bytes[i] === 45;
      i++;
    }
    let e = 0;
    let edigits = 0;
    for (; i < end; i++) {
      const d = bytes[i] - 48;
      if (d < 0 || d > 9) break;
      if (e < 1e6) e = e * 10 + d;
      edigits++;
    }
    if (edigits === 0) return undefined;
    exp += eneg ? -e : e;
  }
  if (i !== end) return undefined;
  let v: number;
  if (sig <= 15 && exp >= -22 && exp <= 22) {
    v = exp < 0 ? mant / POW10[-exp] : mant * POW10[exp];
  } else {
    let s = '';
    for (let k = start; k < end; k++) s += String.fromCharCode(bytes[k]);
    v = Math.abs(Number(s));
  }
  return neg ? -v : v;
}

/** Formats a value so that parsing it back (and storing it in its type) gives exactly the same value. */
export function formatExact(v: number, float32: boolean): string {
  if (Object.is(v, -0)) return '-0';
  if (Number.isInteger(v) && Math.abs(v) < 1e15) return String(v);
  // 9 significant digits always round-trip a float32; doubles need String's shortest form.
  return float32 && Number.isFinite(v) ? v.toPrecision(9) : String(v);
}
