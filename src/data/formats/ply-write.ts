/**
 * PLY writers: `writePly` turns a PointCloud into a binary little-endian PLY with every extra
 * property (the prediction interchange format CloudCompare/Open3D read); `encodePly` writes
 * raw elements (e.g. a parsed PlyData) exactly, in any of the three encodings.
 */
import type { PointCloud, TypedArray } from '../../geometry/point-cloud.js';
import { PLY_NAME, PLY_TYPES } from './ply-header.js';
import { formatExact } from './text-scanner.js';
import type { PlyElement, PlyFormat, PlyProperty, PlyType } from './ply-header.js';
import {
  SCALAR_SIZE,
  firstOutOfRange,
  isFloatType,
  newTypedArray,
  scalarTypeOf,
  writeColumn,
  writeScalar,
} from './scalar.js';

/** Options of writePly. */
export interface WritePlyOptions {
  /** `comment` lines for the header. */
  comments?: string[];
  /** Type per property name, overriding the typed array's own (e.g. { label: 'ushort' }). */
  propertyTypes?: Record<string, PlyType>;
  /** Encoding; default binary_little_endian. */
  format?: PlyFormat;
}

/** Options of encodePly. */
export interface EncodePlyOptions {
  format?: PlyFormat;
  comments?: string[];
  objInfo?: string[];
}

/** The part of a PlyElement the encoder needs. */
export type PlyElementData = Pick<PlyElement, 'name' | 'count' | 'properties' | 'columns' | 'lists'>;

function splitXYZ(a: Float32Array): [Float32Array, Float32Array, Float32Array] {
  const n = a.length / 3;
  const out: [Float32Array, Float32Array, Float32Array] = [
    new Float32Array(n),
    new Float32Array(n),
    new Float32Array(n),
  ];
  for (let i = 0; i < n; i++) {
    out[0][i] = a[3 * i];
    out[1][i] = a[3 * i + 1];
    out[2][i] = a[3 * i + 2];
  }
  return out;
}

/**
 * Writes a cloud as PLY: x y z, nx ny nz, red green blue (uchar), then `properties` in order,
 * then `label` and `instance` (int) — each with its typed array's type unless overridden.
 * Throws if a value does not fit an overridden integer type.
 */
export function writePly(cloud: PointCloud, opts: WritePlyOptions = {}): Uint8Array {
  const n = cloud.positions.length / 3;
  const columns: Record<string, TypedArray> = {};
  const add = (name: string, col: TypedArray) => {
    if (columns[name]) throw new Error(`writePly: property '${name}' is given twice`);
    if (col.length !== n)
      throw new Error(`writePly: property '${name}' has ${col.length} values for ${n} points`);
    columns[name] = col;
  };
  const [x, y, z] = splitXYZ(cloud.positions);
  add('x', x);
  add('y', y);
  add('z', z);
  if (cloud.normals) {
    const [a, b, c] = splitXYZ(cloud.normals);
    add('nx', a);
    add('ny', b);
    add('nz', c);
  }
  if (cloud.colors) {
    const c = cloud.colors;
    for (let k = 0; k < 3; k++) {
      const ch = new Uint8Array(n);
      for (let i = 0; i < n; i++) ch[i] = c[3 * i + k];
      add(['red', 'green', 'blue'][k], ch);
    }
  }
  for (const [name, col] of Object.entries(cloud.properties ?? {})) add(name, col);
  if (cloud.labels) add('label', cloud.labels);
  if (cloud.instances) add('instance', cloud.instances);
  const properties: PlyProperty[] = [];
  for (const [name, col] of Object.entries(columns)) {
    const own = scalarTypeOf(col);
    const declared = opts.propertyTypes?.[name] ?? PLY_NAME[own];
    const type = PLY_TYPES[declared];
    if (!type) throw new Error(`writePly: unknown PLY type '${declared}' for property '${name}'`);
    if (type !== own && !isFloatType(type)) {
      const bad = firstOutOfRange(col, type);
      if (bad >= 0) {
        throw new Error(
          `writePly: property '${name}' value ${col[bad]} (point ${bad}) does not fit PLY type '${declared}'`,
        );
      }
    }
    properties.push({ kind: 'scalar', name, declared, type });
  }
  const vertex: PlyElementData = { name: 'vertex', count: n, properties, columns, lists: {} };
  return encodePly([vertex], {
    format: opts.format ?? 'binary_little_endian',
    comments: opts.comments ?? [],
  });
}

function headerText(elements: PlyElementData[], opts: EncodePlyOptions): string {
  const oneLine = (s: string) => s.replace(/[\r\n]+/g, ' ');
  const lines = ['ply', `format ${opts.format ?? 'binary_little_endian'} 1.0`];
  for (const c of opts.comments ?? []) lines.push(`comment ${oneLine(c)}`);
  for (const c of opts.objInfo ?? []) lines.push(`obj_info ${oneLine(c)}`);
  for (const el of elements) {
    lines.push(`element ${el.name} ${el.count}`);
    for (const p of el.properties) {
      lines.push(
        p.kind === 'scalar'
          ? `property ${p.declared} ${p.name}`
          : `property list ${p.declaredCount} ${p.declaredItem} ${p.name}`,
      );
    }
  }
  lines.push('end_header', '');
  return lines.join('\n');
}

/** Writes elements (columns/lists as in a PlyData) in the given encoding, with the declared types. */
export function encodePly(elements: PlyElementData[], opts: EncodePlyOptions = {}): Uint8Array {
  const format = opts.format ?? 'binary_little_endian';
  const head = new TextEncoder().encode(headerText(elements, { ...opts, format }));
  if (format === 'ascii') {
    const body = new TextEncoder().encode(elements.map(asciiRows).join(''));
    const out = new Uint8Array(head.length + body.length);
    out.set(head);
    out.set(body, head.length);
    return out;
  }
  const le = format === 'binary_little_endian';
  let size = head.length;
  for (const el of elements) size += elementBytes(el);
  const out = new Uint8Array(size);
  out.set(head);
  const dv = new DataView(out.buffer);
  let off = head.length;
  for (const el of elements) off = writeElement(dv, el, off, le);
  return out;
}

function column(el: PlyElementData, p: PlyProperty): TypedArray {
  const c = el.columns[p.name];
  if (!c) throw new Error(`encodePly: no data for property '${p.name}' of element '${el.name}'`);
  return c;
}

function elementBytes(el: PlyElementData): number {
  let size = 0;
  for (const p of el.properties) {
    if (p.kind === 'scalar') size += el.count * SCALAR_SIZE[p.type];
    else {
      const l = el.lists[p.name];
      size += el.count * SCALAR_SIZE[p.countType] + (l ? l.values.length : 0) * SCALAR_SIZE[p.itemType];
    }
  }
  return size;
}

function writeElement(dv: DataView, el: PlyElementData, start: number, le: boolean): number {
  const props = el.properties;
  if (props.every((p) => p.kind === 'scalar')) {
    let stride = 0;
    for (const p of props) stride += SCALAR_SIZE[p.kind === 'scalar' ? p.type : 'uint8'];
    let po = 0;
    for (const p of props) {
      if (p.kind !== 'scalar') continue;
      writeColumn(dv, p.type, column(el, p), start + po, stride, le);
      po += SCALAR_SIZE[p.type];
    }
    return start + el.count * stride;
  }
  let o = start;
  for (let r = 0; r < el.count; r++) {
    for (const p of props) {
      if (p.kind === 'scalar') {
        writeScalar(dv, p.type, o, column(el, p)[r], le);
        o += SCALAR_SIZE[p.type];
        continue;
      }
      const l = el.lists[p.name];
      const a = l ? l.offsets[r] : 0;
      const b = l ? l.offsets[r + 1] : 0;
      writeScalar(dv, p.countType, o, b - a, le);
      o += SCALAR_SIZE[p.countType];
      for (let k = a; k < b; k++, o += SCALAR_SIZE[p.itemType])
        writeScalar(dv, p.itemType, o, l!.values[k], le);
    }
  }
  return o;
}

function asciiRows(el: PlyElementData): string {
  const rows: string[] = new Array(el.count);
  const cols = el.properties.map((p) => (p.kind === 'scalar' ? column(el, p) : el.lists[p.name]));
  const f32 = el.properties.map((p) => (p.kind === 'scalar' ? p.type : p.itemType) === 'float32');
  for (let r = 0; r < el.count; r++) {
    const parts: string[] = [];
    el.properties.forEach((p, k) => {
      const c = cols[k];
      if (p.kind === 'scalar') {
        parts.push(formatExact((c as TypedArray)[r], f32[k]));
        return;
      }
      const l = c as { offsets: Uint32Array; values: TypedArray } | undefined;
      const a = l ? l.offsets[r] : 0;
      const b = l ? l.offsets[r + 1] : 0;
      parts.push(String(b - a));
      for (let i = a; i < b; i++) parts.push(formatExact(l!.values[i], f32[k]));
    });
    rows[r] = `${parts.join(' ')}\n`;
  }
  return rows.join('');
}

/** A typed array of `n` zeros of the given PLY type (for building elements to encode). */
export function newPlyColumn(type: PlyType, n: number): TypedArray {
  return newTypedArray(PLY_TYPES[type], n);
}
