/**
 * `parsePly`: PLY bytes (ascii, binary little/big endian) → every element as typed-array
 * columns with their declared types, plus the header; checks coordinates for NaN/Inf and
 * face indices for range.
 */
import { FormatError, NO_FILE } from './errors.js';
import { countNonFinite, compactRows, describePoint, finiteMask } from './non-finite.js';
import type { NonFinitePolicy, NonFiniteReport } from './non-finite.js';
import { readPlyAscii } from './ply-ascii.js';
import { readPlyBinary } from './ply-binary.js';
import { checkPadding } from './padding.js';
import { parsePlyHeader } from './ply-header.js';
import type { PlyElement, PlyElementHeader, PlyHeader, PlyList } from './ply-header.js';
import { newTypedArray, scalarTypeOf } from './scalar.js';

/** A parsed PLY file: the header and all its elements, raw (types as declared). */
export interface PlyData {
  file: string;
  header: PlyHeader;
  elements: PlyElement[];
  /** Rows of the 'vertex' element after any dropping (0 if there is none). */
  vertexCount: number;
  /** Non-finite x/y/z found in the vertex element. */
  nonFinite: NonFiniteReport;
}

/** Options of parsePly. */
export interface ParsePlyOptions {
  /** File name used in error messages. */
  file?: string;
  /** Vertices with NaN/Inf x, y or z: throw (default), drop them (faces using them go too), or keep them. */
  nonFinite?: NonFinitePolicy;
  /** 'vertex' walks the other elements (checking sizes) without storing them. Default 'all'. */
  elements?: 'all' | 'vertex';
}

/** Names under which a face element lists its vertex indices. */
const FACE_INDEX_LISTS = ['vertex_indices', 'vertex_index'];

function asBytes(buffer: ArrayBuffer | Uint8Array): Uint8Array {
  return buffer instanceof Uint8Array ? buffer : new Uint8Array(buffer);
}

/** Parses a PLY file held in memory. Throws FormatError on any malformed input. */
export function parsePly(buffer: ArrayBuffer | Uint8Array, opts: ParsePlyOptions = {}): PlyData {
  const file = opts.file ?? NO_FILE;
  const bytes = asBytes(buffer);
  const header = parsePlyHeader(bytes, file);
  const store = (eh: PlyElementHeader) => opts.elements !== 'vertex' || eh.name === 'vertex';
  let elements: PlyElement[];
  if (header.format === 'ascii') {
    elements = readPlyAscii(bytes, header, file, store);
  } else {
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const res = readPlyBinary(dv, header, file, store);
    elements = res.elements;
    checkPadding(bytes, res.end, file, 'the last element');
  }
  const ply: PlyData = {
    file,
    header,
    elements,
    vertexCount: 0,
    nonFinite: { count: 0, firstIndex: -1, dropped: false },
  };
  const vertex = plyElement(ply, 'vertex');
  if (vertex) {
    ply.vertexCount = vertex.count;
    checkFaces(ply, vertex.count);
    handleNonFinite(ply, vertex, opts.nonFinite ?? 'error');
  }
  return ply;
}

/** The element called `name`, if the file has one. */
export function plyElement(ply: PlyData, name: string): PlyElement | undefined {
  return ply.elements.find((e) => e.name === name);
}

function checkFaces(ply: PlyData, nVertices: number): void {
  const face = plyElement(ply, 'face');
  if (!face || face.skipped) return;
  for (const name of FACE_INDEX_LISTS) {
    const list = face.lists[name];
    if (!list) continue;
    const v = list.values;
    for (let i = 0; i < v.length; i++) {
      if (v[i] < 0 || v[i] >= nVertices) {
        let row = 0;
        while (list.offsets[row + 1] <= i) row++;
        throw new FormatError(
          ply.file,
          `face ${row} refers to vertex ${v[i]}, but there are only ${nVertices} vertices`,
        );
      }
    }
  }
}

function handleNonFinite(ply: PlyData, vertex: PlyElement, policy: NonFinitePolicy): void {
  const { x, y, z } = vertex.columns;
  if (!x || !y || !z) return;
  const n = vertex.count;
  const { count, firstIndex } = countNonFinite(x, y, z, n);
  ply.nonFinite = { count, firstIndex, dropped: false };
  if (count === 0 || policy === 'keep') return;
  if (policy === 'error') {
    const i = firstIndex;
    throw new FormatError(
      ply.file,
      `${count} of ${n} vertices have non-finite coordinates (first: vertex ${i}, ${describePoint(x[i], y[i], z[i])}); ` +
        `parse with nonFinite 'drop' or 'keep' to accept them`,
    );
  }
  const keep = finiteMask(x, y, z, n);
  const kept = n - count;
  for (const name of Object.keys(vertex.columns))
    vertex.columns[name] = compactRows(vertex.columns[name], keep, kept);
  for (const name of Object.keys(vertex.lists))
    vertex.lists[name] = compactList(vertex.lists[name], keep, kept);
  vertex.count = kept;
  ply.vertexCount = kept;
  ply.nonFinite.dropped = true;
  remapFaces(ply, keep);
}

/** After dropping vertices: renumber face indices, and drop faces that used a dropped vertex. */
function remapFaces(ply: PlyData, keep: Uint8Array): void {
  const face = plyElement(ply, 'face');
  if (!face || face.skipped) return;
  const newIndex = new Int32Array(keep.length);
  for (let i = 0, j = 0; i < keep.length; i++) newIndex[i] = keep[i] ? j++ : -1;
  const listName = FACE_INDEX_LISTS.find((n) => face.lists[n]);
  if (!listName) return;
  const list = face.lists[listName];
  const faceKeep = new Uint8Array(face.count);
  let kept = 0;
  for (let f = 0; f < face.count; f++) {
    let ok = 1;
    for (let k = list.offsets[f]; k < list.offsets[f + 1]; k++) if (newIndex[list.values[k]] < 0) ok = 0;
    faceKeep[f] = ok;
    kept += ok;
  }
  for (let k = 0; k < list.values.length; k++) list.values[k] = newIndex[list.values[k]];
  for (const name of Object.keys(face.columns))
    face.columns[name] = compactRows(face.columns[name], faceKeep, kept);
  for (const name of Object.keys(face.lists))
    face.lists[name] = compactList(face.lists[name], faceKeep, kept);
  face.count = kept;
}

/** The rows of a list property whose keep flag is 1. */
function compactList(list: PlyList, keep: Uint8Array, kept: number): PlyList {
  const offsets = new Uint32Array(kept + 1);
  let total = 0;
  for (let i = 0, j = 0; i < keep.length; i++) {
    if (keep[i]) offsets[++j] = total += list.offsets[i + 1] - list.offsets[i];
  }
  const values = newTypedArray(scalarTypeOf(list.values), total);
  for (let i = 0, o = 0; i < keep.length; i++) {
    if (!keep[i]) continue;
    const part = list.values.subarray(list.offsets[i], list.offsets[i + 1]);
    values.set(part, o);
    o += part.length;
  }
  return { offsets, values };
}
