/**
 * PLY ascii bodies: whitespace-separated values, rows in element order. Values are parsed from
 * bytes (no per-line strings); integer properties are range-checked against their declared type.
 */
import type { TypedArray } from '../../geometry/point-cloud.js';
import { FormatError } from './errors.js';
import type { PlyElement, PlyElementHeader, PlyHeader, PlyProperty } from './ply-header.js';
import { INT_RANGE, newTypedArray, type ScalarType } from './scalar.js';
import { TextScanner } from './text-scanner.js';

/** Reads every element of an ascii PLY body; throws if values are missing or left over. */
export function readPlyAscii(
  bytes: Uint8Array,
  header: PlyHeader,
  file: string,
  store: (el: PlyElementHeader) => boolean,
): PlyElement[] {
  const sc = new TextScanner(bytes, file, header.byteLength, header.lineCount + 1);
  const elements: PlyElement[] = [];
  for (const eh of header.elements) {
    const left = bytes.length - sc.pos;
    // Every value takes at least one character and one separator: reject absurd counts before allocating.
    const need = eh.count * eh.properties.length * 2 - 1;
    if (need > left) {
      throw new FormatError(
        file,
        `truncated data: element '${eh.name}' declares ${eh.count} rows of ${eh.properties.length} values, ` +
          `which need at least ${need} bytes, only ${left} are left`,
        { line: sc.line },
      );
    }
    elements.push(readElement(sc, eh, !store(eh), file));
  }
  if (sc.nextToken()) {
    throw new FormatError(
      file,
      `extra data '${sc.token()}' after the last element (do the element counts match the data?)`,
      { line: sc.line },
    );
  }
  return elements;
}

class Growable {
  data = new Float64Array(1024);
  n = 0;
  push(v: number): void {
    if (this.n === this.data.length) {
      const d = new Float64Array(this.data.length * 2);
      d.set(this.data);
      this.data = d;
    }
    this.data[this.n++] = v;
  }
}

function readElement(sc: TextScanner, eh: PlyElementHeader, skipped: boolean, file: string): PlyElement {
  const props = eh.properties;
  const n = eh.count;
  const cols: (TypedArray | undefined)[] = props.map((p) =>
    p.kind === 'scalar' && !skipped ? newTypedArray(p.type, n) : undefined,
  );
  const offs = props.map((p) => (p.kind === 'list' && !skipped ? new Uint32Array(n + 1) : undefined));
  const vals = props.map((p) => (p.kind === 'list' && !skipped ? new Growable() : undefined));
  for (let r = 0; r < n; r++) {
    for (let k = 0; k < props.length; k++) {
      const p = props[k];
      if (p.kind === 'scalar') {
        const v = next(sc, eh, r, p, p.type, file);
        const col = cols[k];
        if (col) col[r] = v;
        continue;
      }
      const c = next(sc, eh, r, p, p.countType, file);
      if (c < 0)
        throw new FormatError(file, `negative list length ${c} in '${p.name}' of ${eh.name} ${r}`, {
          line: sc.line,
        });
      const g = vals[k];
      for (let j = 0; j < c; j++) {
        const v = next(sc, eh, r, p, p.itemType, file);
        if (g) g.push(v);
      }
      const o = offs[k];
      if (o && g) o[r + 1] = g.n;
    }
  }
  const el: PlyElement = { name: eh.name, count: n, properties: props, columns: {}, lists: {}, skipped };
  if (skipped) return el;
  props.forEach((p, k) => {
    if (p.kind === 'scalar') {
      el.columns[p.name] = cols[k]!;
    } else {
      const g = vals[k]!;
      const values = newTypedArray(p.itemType, g.n);
      values.set(g.data.subarray(0, g.n));
      el.lists[p.name] = { offsets: offs[k]!, values };
    }
  });
  return el;
}

function next(
  sc: TextScanner,
  eh: PlyElementHeader,
  row: number,
  p: PlyProperty,
  t: ScalarType,
  file: string,
): number {
  if (!sc.nextToken()) {
    throw new FormatError(
      file,
      `truncated data: expected ${eh.count} '${eh.name}' rows, the file ends in row ${row} (property '${p.name}')`,
      { line: sc.line },
    );
  }
  const v = sc.tryNumber();
  if (v === undefined) {
    throw new FormatError(
      file,
      `expected a number for '${p.name}' of ${eh.name} ${row}, found '${sc.token()}'`,
      {
        line: sc.line,
      },
    );
  }
  const range = INT_RANGE[t];
  if (range && !(v >= range[0] && v <= range[1] && Math.floor(v) === v)) {
    throw new FormatError(
      file,
      `value '${sc.token()}' of '${p.name}' (${eh.name} ${row}) is not a ${t} (expected an integer in ${range[0]}..${range[1]})`,
      { line: sc.line },
    );
  }
  return v;
}
