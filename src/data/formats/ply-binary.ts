/**
 * PLY binary bodies (little and big endian): fixed-size elements are read column by column with
 * strided DataView loops; elements with list properties are walked twice (size, then fill).
 * Every size is checked against the bytes left before anything is allocated.
 */
import { FormatError } from './errors.js';
import type { PlyElement, PlyElementHeader, PlyHeader } from './ply-header.js';
import { SCALAR_SIZE, newTypedArray, readColumn, readScalar } from './scalar.js';

/** Reads every element of a binary PLY body; returns them and the offset where the data ended. */
export function readPlyBinary(
  dv: DataView,
  header: PlyHeader,
  file: string,
  store: (el: PlyElementHeader) => boolean,
): { elements: PlyElement[]; end: number } {
  const le = header.format === 'binary_little_endian';
  let off = header.byteLength;
  const elements: PlyElement[] = [];
  for (const eh of header.elements) {
    const el: PlyElement = {
      name: eh.name,
      count: eh.count,
      properties: eh.properties,
      columns: {},
      lists: {},
      skipped: !store(eh),
    };
    const fixed = eh.properties.every((p) => p.kind === 'scalar');
    off = fixed ? readFixed(dv, eh, el, off, le, file) : readWithLists(dv, eh, el, off, le, file);
    elements.push(el);
  }
  return { elements, end: off };
}

function rowBytes(eh: PlyElementHeader): number {
  let s = 0;
  for (const p of eh.properties) s += SCALAR_SIZE[p.kind === 'scalar' ? p.type : p.countType];
  return s;
}

function readFixed(
  dv: DataView,
  eh: PlyElementHeader,
  el: PlyElement,
  off: number,
  le: boolean,
  file: string,
): number {
  const stride = rowBytes(eh);
  const need = eh.count * stride;
  const left = dv.byteLength - off;
  if (need > left) {
    throw new FormatError(
      file,
      `truncated data: element '${eh.name}' declares ${eh.count} rows × ${stride} bytes = ${need} bytes, ` +
        `but only ${left} bytes are left in the file`,
      { offset: off },
    );
  }
  if (!el.skipped) {
    let po = 0;
    for (const p of eh.properties) {
      if (p.kind !== 'scalar') continue;
      el.columns[p.name] = readColumn(dv, p.type, off + po, stride, eh.count, le);
      po += SCALAR_SIZE[p.type];
    }
  }
  return off + need;
}

function readWithLists(
  dv: DataView,
  eh: PlyElementHeader,
  el: PlyElement,
  start: number,
  le: boolean,
  file: string,
): number {
  const len = dv.byteLength;
  const minRow = rowBytes(eh);
  if (eh.count * minRow > len - start) {
    throw new FormatError(
      file,
      `truncated data: element '${eh.name}' declares ${eh.count} rows of at least ${minRow} bytes, ` +
        `but only ${len - start} bytes are left in the file`,
      { offset: start },
    );
  }
  const props = eh.properties;
  const totals = new Float64Array(props.length);
  // Pass 1: walk the rows, check bounds, add up list lengths.
  let o = start;
  for (let r = 0; r < eh.count; r++) {
    for (let k = 0; k < props.length; k++) {
      const p = props[k];
      if (p.kind === 'scalar') {
        o += SCALAR_SIZE[p.type];
        continue;
      }
      const cs = SCALAR_SIZE[p.countType];
      if (o + cs > len) truncatedRow(file, eh, r, o);
      const c = readScalar(dv, p.countType, o, le);
      if (c < 0) {
        throw new FormatError(file, `negative list length ${c} in '${p.name}' of ${eh.name} ${r}`, {
          offset: o,
        });
      }
      o += cs + c * SCALAR_SIZE[p.itemType];
      totals[k] += c;
    }
    if (o > len) truncatedRow(file, eh, r, Math.min(o, len));
  }
  if (el.skipped) return o;
  // Pass 2: fill.
  const cols = props.map((p) => (p.kind === 'scalar' ? newTypedArray(p.type, eh.count) : undefined));
  const offsets = props.map((p) => (p.kind === 'list' ? new Uint32Array(eh.count + 1) : undefined));
  const values = props.map((p, k) => (p.kind === 'list' ? newTypedArray(p.itemType, totals[k]) : undefined));
  const fill = new Float64Array(props.length);
  o = start;
  for (let r = 0; r < eh.count; r++) {
    for (let k = 0; k < props.length; k++) {
      const p = props[k];
      if (p.kind === 'scalar') {
        cols[k]![r] = readScalar(dv, p.type, o, le);
        o += SCALAR_SIZE[p.type];
        continue;
      }
      const c = readScalar(dv, p.countType, o, le);
      o += SCALAR_SIZE[p.countType];
      const isz = SCALAR_SIZE[p.itemType];
      const vals = values[k]!;
      let f = fill[k];
      for (let j = 0; j < c; j++, o += isz) vals[f++] = readScalar(dv, p.itemType, o, le);
      fill[k] = f;
      offsets[k]![r + 1] = f;
    }
  }
  props.forEach((p, k) => {
    if (p.kind === 'scalar') el.columns[p.name] = cols[k]!;
    else el.lists[p.name] = { offsets: offsets[k]!, values: values[k]! };
  });
  return o;
}

function truncatedRow(file: string, eh: PlyElementHeader, row: number, offset: number): never {
  throw new FormatError(
    file,
    `truncated data: element '${eh.name}' row ${row} of ${eh.count} runs past the end of the file`,
    { offset },
  );
}
