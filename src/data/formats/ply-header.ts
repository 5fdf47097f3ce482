/**
 * PLY header: the types describing a PLY file (header and parsed data) and the parser of the
 * text header up to `end_header`, with line-numbered errors.
 */
import type { TypedArray } from '../../geometry/point-cloud.js';
import { FormatError } from './errors.js';
import type { ScalarType } from './scalar.js';

/** The PLY type names (and the sized aliases) a property can be declared with. */
export type PlyType =
  | 'char'
  | 'uchar'
  | 'short'
  | 'ushort'
  | 'int'
  | 'uint'
  | 'float'
  | 'double'
  | 'int8'
  | 'uint8'
  | 'int16'
  | 'uint16'
  | 'int32'
  | 'uint32'
  | 'float32'
  | 'float64';

/** Maps every PLY type name to its scalar type. */
export const PLY_TYPES: Record<PlyType, ScalarType> = {
  char: 'int8',
  uchar: 'uint8',
  short: 'int16',
  ushort: 'uint16',
  int: 'int32',
  uint: 'uint32',
  float: 'float32',
  double: 'float64',
  int8: 'int8',
  uint8: 'uint8',
  int16: 'int16',
  uint16: 'uint16',
  int32: 'int32',
  uint32: 'uint32',
  float32: 'float32',
  float64: 'float64',
};

/** The classic PLY name of each scalar type (what the writer emits: every reader knows it). */
export const PLY_NAME: Record<ScalarType, PlyType> = {
  int8: 'char',
  uint8: 'uchar',
  int16: 'short',
  uint16: 'ushort',
  int32: 'int',
  uint32: 'uint',
  float32: 'float',
  float64: 'double',
};

/** The body encodings of PLY. */
export type PlyFormat = 'ascii' | 'binary_little_endian' | 'binary_big_endian';

/** A scalar property: one value per element row. */
export interface PlyScalarProperty {
  kind: 'scalar';
  name: string;
  /** The type as declared in the header (e.g. 'uchar' or 'uint8'). */
  declared: PlyType;
  type: ScalarType;
}

/** A list property: a count then that many items per row (e.g. face vertex_indices). */
export interface PlyListProperty {
  kind: 'list';
  name: string;
  declaredCount: PlyType;
  declaredItem: PlyType;
  countType: ScalarType;
  itemType: ScalarType;
}

/** Any property of an element. */
export type PlyProperty = PlyScalarProperty | PlyListProperty;

/** One `element` declaration. */
export interface PlyElementHeader {
  name: string;
  count: number;
  properties: PlyProperty[];
  /** 1-based header line of the declaration. */
  line: number;
}

/** Everything the header says. */
export interface PlyHeader {
  format: PlyFormat;
  version: string;
  comments: string[];
  objInfo: string[];
  elements: PlyElementHeader[];
  /** Byte length of the header including the newline after `end_header` (= body offset). */
  byteLength: number;
  /** Number of header lines (the body's first line number is this + 1). */
  lineCount: number;
}

/** A list property's values: row i owns values[offsets[i] .. offsets[i+1]). */
export interface PlyList {
  offsets: Uint32Array;
  values: TypedArray;
}

/** The parsed rows of one element: a typed array per scalar property, a PlyList per list property. */
export interface PlyElement {
  name: string;
  count: number;
  /** Same order as the header. */
  properties: PlyProperty[];
  /** Scalar columns by property name (absent when the element was skipped). */
  columns: Record<string, TypedArray>;
  /** List columns by property name (absent when the element was skipped). */
  lists: Record<string, PlyList>;
  /** True when the element was walked but not stored (`elements: 'vertex'`). */
  skipped: boolean;
}

const MAX_HEADER = 1 << 20;
const END = 'end_header';

function isPlyType(s: string): s is PlyType {
  return Object.prototype.hasOwnProperty.call(PLY_TYPES, s);
}

function findHeaderEnd(bytes: Uint8Array, file: string): number {
  const limit = Math.min(bytes.length, MAX_HEADER);
  for (let i = 0; i + END.length <= limit; i++) {
    if (bytes[i] !== 101 || (i > 0 && bytes[i - 1] !== 10)) continue; // 'e' at line start
    let ok = true;
    for (let k = 1; k < END.length && ok; k++) ok = bytes[i + k] === END.charCodeAt(k);
    if (!ok) continue;
    let j = i + END.length;
    while (j < bytes.length && (bytes[j] === 32 || bytes[j] === 9 || bytes[j] === 13)) j++;
    if (j < bytes.length && bytes[j] === 10) return j + 1;
    if (j >= bytes.length) return j; // header with no body at all
  }
  throw new FormatError(
    file,
    `no 'end_header' line in the first ${limit} bytes (truncated or not a PLY header)`,
    { offset: 0 },
  );
}

function plyType(tok: string | undefined, file: string, line: number, role: string): PlyType {
  if (tok !== undefined && isPlyType(tok)) return tok;
  throw new FormatError(
    file,
    `unknown PLY ${role} type '${tok ?? ''}' (expected one of ${Object.keys(PLY_TYPES).join(', ')})`,
    { line },
  );
}

/** Parses the PLY header at the start of `bytes`. */
export function parsePlyHeader(bytes: Uint8Array, file: string): PlyHeader {
  if (bytes.length < 4 || bytes[0] !== 112 || bytes[1] !== 108 || bytes[2] !== 121) {
    throw new FormatError(file, "not a PLY file: expected the magic line 'ply'", { line: 1, offset: 0 });
  }
  const byteLength = findHeaderEnd(bytes, file);
  const text = new TextDecoder().decode(bytes.subarray(0, byteLength));
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const header: PlyHeader = {
    format: 'ascii',
    version: '',
    comments: [],
    objInfo: [],
    elements: [],
    byteLength,
    lineCount: lines.length,
  };
  let sawFormat = false;
  const elementNames = new Set<string>();
  for (let li = 0; li < lines.length; li++) {
    const line = li + 1;
    const raw = lines[li].replace(/\r$/, '');
    const toks = raw.trim().split(/\s+/);
    const key = toks[0];
    if (li === 0) {
      if (raw.trim() !== 'ply') throw new FormatError(file, "expected the magic line 'ply'", { line });
      continue;
    }
    if (key === '') continue;
    if (key === 'comment' || key === 'obj_info') {
      const rest = raw.replace(/^\s*\S+\s?/, '');
      (key === 'comment' ? header.comments : header.objInfo).push(rest);
      continue;
    }
    if (key === 'format') {
      const fmt = toks[1];
      if (fmt !== 'ascii' && fmt !== 'binary_little_endian' && fmt !== 'binary_big_endian') {
        throw new FormatError(
          file,
          `unknown PLY format '${fmt ?? ''}' (expected ascii, binary_little_endian or binary_big_endian)`,
          { line },
        );
      }
      if (sawFormat) throw new FormatError(file, "duplicate 'format' line", { line });
      header.format = fmt;
      header.version = toks[2] ?? '';
      if (header.version !== '1.0') {
        throw new FormatError(file, `unsupported PLY version '${header.version}' (expected 1.0)`, { line });
      }
      sawFormat = true;
      continue;
    }
    if (key === 'element') {
      if (!sawFormat) throw new FormatError(file, "'element' before the 'format' line", { line });
      const name = toks[1];
      const countTok = toks[2] ?? '';
      if (!name || toks.length !== 3 || !/^\d+$/.test(countTok)) {
        throw new FormatError(file, `expected 'element <name> <count>', found '${raw.trim()}'`, { line });
      }
      const count = Number(countTok);
      if (!Number.isSafeInteger(count))
        throw new FormatError(file, `element count ${countTok} too large`, { line });
      if (elementNames.has(name)) throw new FormatError(file, `duplicate element '${name}'`, { line });
      elementNames.add(name);
      header.elements.push({ name, count, properties: [], line });
      continue;
    }
    if (key === 'property') {
      const el = header.elements[header.elements.length - 1];
      if (!el) throw new FormatError(file, "'property' before any 'element' line", { line });
      let prop: PlyProperty;
      if (toks[1] === 'list') {
        const declaredCount = plyType(toks[2], file, line, 'list count');
        const declaredItem = plyType(toks[3], file, line, 'list item');
        const countType = PLY_TYPES[declaredCount];
        if (countType === 'float32' || countType === 'float64') {
          throw new FormatError(file, `list count type must be an integer type, not '${declaredCount}'`, {
            line,
          });
        }
        if (toks.length !== 5) {
          throw new FormatError(file, `expected 'property list <count type> <item type> <name>'`, { line });
        }
        prop = {
          kind: 'list',
          name: toks[4],
          declaredCount,
          declaredItem,
          countType,
          itemType: PLY_TYPES[declaredItem],
        };
      } else {
        const declared = plyType(toks[1], file, line, 'property');
        if (toks.length !== 3) throw new FormatError(file, `expected 'property <type> <name>'`, { line });
        prop = { kind: 'scalar', name: toks[2], declared, type: PLY_TYPES[declared] };
      }
      if (el.properties.some((p) => p.name === prop.name)) {
        throw new FormatError(file, `duplicate property '${prop.name}' in element '${el.name}'`, { line });
      }
      el.properties.push(prop);
      continue;
    }
    if (key === END) {
      if (li !== lines.length - 1)
        throw new FormatError(file, `'end_header' is not the last header line`, { line });
      continue;
    }
    throw new FormatError(
      file,
      `unknown header keyword '${key}' (expected format, comment, obj_info, element, property or end_header)`,
      { line },
    );
  }
  if (!sawFormat) throw new FormatError(file, "missing 'format' line", { line: 2 });
  return header;
}
