/**
 * PCD (Point Cloud Library) header: types for a parsed PCD file and the parser of the text header
 * up to the DATA line (VERSION .7 and older), with line-numbered errors.
 */
import { FormatError } from './errors.js';
import type { ScalarType } from './scalar.js';

/** The three PCD body encodings. */
export type PcdDataKind = 'ascii' | 'binary' | 'binary_compressed';

/** One FIELDS entry with its SIZE, TYPE and COUNT. */
export interface PcdField {
  name: string;
  /** Bytes per value (SIZE). */
  size: number;
  /** I (signed int), U (unsigned int) or F (float), as declared. */
  type: 'I' | 'U' | 'F';
  /** Values per point (COUNT). */
  count: number;
  /** Storage type of the parsed values; packed colours (rgb/rgba, size 4) are kept as uint32 bits. */
  storage: ScalarType;
}

/** Everything the header says. */
export interface PcdHeader {
  version: string;
  fields: PcdField[];
  width: number;
  height: number;
  /** tx ty tz qw qx qy qz. */
  viewpoint: number[];
  points: number;
  data: PcdDataKind;
  /** `#` comment lines (without the `#`). */
  comments: string[];
  /** Byte length of the header including the DATA line's newline (= body offset). */
  byteLength: number;
  /** Number of header lines. */
  lineCount: number;
}

/** Field names holding a packed 0x00RRGGBB (or 0xAARRGGBB) colour. */
export const PACKED_COLOR_FIELDS = ['rgb', 'rgba'];

const KEYWORDS = [
  'VERSION',
  'FIELDS',
  'COLUMNS',
  'SIZE',
  'TYPE',
  'COUNT',
  'WIDTH',
  'HEIGHT',
  'VIEWPOINT',
  'POINTS',
  'DATA',
];
const MAX_HEADER = 1 << 20;

const STORAGE: Record<string, ScalarType> = {
  I1: 'int8',
  I2: 'int16',
  I4: 'int32',
  U1: 'uint8',
  U2: 'uint16',
  U4: 'uint32',
  F4: 'float32',
  F8: 'float64',
};

function uint(tok: string | undefined, file: string, line: number, what: string): number {
  if (tok === undefined || !/^\d+$/.test(tok) || !Number.isSafeInteger(Number(tok))) {
    throw new FormatError(file, `${what}: expected a non-negative integer, found '${tok ?? ''}'`, { line });
  }
  return Number(tok);
}

/** Parses the PCD header at the start of `bytes`. */
export function parsePcdHeader(bytes: Uint8Array, file: string): PcdHeader {
  const seen = new Map<string, { toks: string[]; line: number }>();
  const comments: string[] = [];
  const limit = Math.min(bytes.length, MAX_HEADER);
  let pos = 0;
  let line = 0;
  let byteLength = -1;
  while (pos < limit) {
    let end = pos;
    while (end < limit && bytes[end] !== 10) end++;
    line++;
    const text = new TextDecoder().decode(bytes.subarray(pos, end)).replace(/\r$/, '');
    pos = end + 1;
    const trimmed = text.trim();
    if (trimmed === '') continue;
    if (trimmed.startsWith('#')) {
      comments.push(trimmed.slice(1).trim());
      continue;
    }
    const toks = trimmed.split(/\s+/);
    const key = toks[0].toUpperCase();
    if (!KEYWORDS.includes(key)) {
      const msg =
        seen.size === 0
          ? `not a PCD file: expected a header keyword such as VERSION or FIELDS, found '${toks[0].slice(0, 40)}'`
          : `unknown header keyword '${toks[0].slice(0, 40)}' (expected one of ${KEYWORDS.join(', ')})`;
      throw new FormatError(file, msg, { line });
    }
    const canon = key === 'COLUMNS' ? 'FIELDS' : key;
    if (seen.has(canon)) throw new FormatError(file, `duplicate ${key} line`, { line });
    seen.set(canon, { toks: toks.slice(1), line });
    if (canon === 'DATA') {
      byteLength = Math.min(pos, bytes.length);
      break;
    }
  }
  if (byteLength < 0) {
    throw new FormatError(file, `no DATA line in the first ${limit} bytes (truncated or not a PCD header)`, {
      line,
    });
  }
  const get = (k: string) => seen.get(k);
  const need = (k: string) => {
    const v = seen.get(k);
    if (!v) throw new FormatError(file, `missing ${k} line in the header`, { line });
    return v;
  };
  const fieldsL = need('FIELDS');
  const names = fieldsL.toks;
  if (names.length === 0) throw new FormatError(file, 'FIELDS lists no fields', { line: fieldsL.line });
  const list = (k: string, dflt?: string) => {
    const v = get(k);
    if (!v) {
      if (dflt === undefined) need(k);
      return { toks: names.map(() => dflt!), line: fieldsL.line };
    }
    if (v.toks.length !== names.length) {
      throw new FormatError(file, `${k} has ${v.toks.length} entries but FIELDS has ${names.length}`, {
        line: v.line,
      });
    }
    return v;
  };
  const sizes = list('SIZE');
  const types = list('TYPE');
  const counts = list('COUNT', '1');
  const fields: PcdField[] = [];
  const used = new Set<string>();
  names.forEach((name, i) => {
    const size = uint(sizes.toks[i], file, sizes.line, `SIZE of field '${name}'`);
    const type = types.toks[i].toUpperCase();
    const count = uint(counts.toks[i], file, counts.line, `COUNT of field '${name}'`);
    if (type !== 'I' && type !== 'U' && type !== 'F') {
      throw new FormatError(file, `TYPE of field '${name}' is '${types.toks[i]}' (expected I, U or F)`, {
        line: types.line,
      });
    }
    let storage = STORAGE[`${type}${size}`];
    if (!storage) {
      throw new FormatError(
        file,
        `field '${name}' has unsupported TYPE ${type} with SIZE ${size} (supported: I/U 1, 2, 4 and F 4, 8)`,
        { line: sizes.line },
      );
    }
    if (count < 1)
      throw new FormatError(file, `COUNT of field '${name}' must be at least 1`, { line: counts.line });
    if (name !== '_' && used.has(name))
      throw new FormatError(file, `duplicate field '${name}'`, { line: fieldsL.line });
    used.add(name);
    if (PACKED_COLOR_FIELDS.includes(name) && size === 4) storage = 'uint32';
    fields.push({ name, size, type, count, storage });
  });
  const widthL = need('WIDTH');
  const width = uint(widthL.toks[0], file, widthL.line, 'WIDTH');
  const heightL = get('HEIGHT');
  const height = heightL ? uint(heightL.toks[0], file, heightL.line, 'HEIGHT') : 1;
  const pointsL = get('POINTS');
  const points = pointsL ? uint(pointsL.toks[0], file, pointsL.line, 'POINTS') : width * height;
  if (points !== width * height) {
    throw new FormatError(file, `POINTS ${points} does not equal WIDTH × HEIGHT = ${width} × ${height}`, {
      line: pointsL?.line ?? widthL.line,
    });
  }
  const vpL = get('VIEWPOINT');
  const viewpoint = vpL ? vpL.toks.map(Number) : [0, 0, 0, 1, 0, 0, 0];
  if (viewpoint.length !== 7 || viewpoint.some((v) => !Number.isFinite(v))) {
    throw new FormatError(file, 'VIEWPOINT: expected 7 numbers (tx ty tz qw qx qy qz)', { line: vpL?.line });
  }
  const dataL = need('DATA');
  const data = (dataL.toks[0] ?? '').toLowerCase();
  if (data !== 'ascii' && data !== 'binary' && data !== 'binary_compressed') {
    throw new FormatError(
      file,
      `DATA '${dataL.toks[0] ?? ''}': expected ascii, binary or binary_compressed`,
      {
        line: dataL.line,
      },
    );
  }
  const versionL = get('VERSION');
  const version = versionL?.toks[0] ?? '';
  if (versionL && !/^0?\.[5-7]$/.test(version)) {
    throw new FormatError(file, `unsupported VERSION '${version}' (expected .5, .6 or .7)`, {
      line: versionL.line,
    });
  }
  return { version, fields, width, height, viewpoint, points, data, comments, byteLength, lineCount: line };
}

/** Bytes per point (sum of SIZE × COUNT). */
export function pcdPointBytes(h: PcdHeader): number {
  let s = 0;
  for (const f of h.fields) s += f.size * f.count;
  return s;
}
