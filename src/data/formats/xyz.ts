/**
 * Plain-text point rows, one point per line, as S3DIS and many tools write them: "x y z",
 * "x y z label", "x y z r g b" or "x y z r g b label" (spaces, tabs or commas; '#' comments).
 * The column count of the first row fixes the layout for the whole file.
 */
import type { PointCloud } from '../../geometry/point-cloud.js';
import { FormatError, NO_FILE } from './errors.js';
import { compactRows, countNonFinite, describePoint, finiteMask } from './non-finite.js';
import type { NonFinitePolicy, NonFiniteReport } from './non-finite.js';
import { TextScanner } from './text-scanner.js';

/** Column layouts by column count. */
export const XYZ_LAYOUTS: Record<number, string> = {
  3: 'x y z',
  4: 'x y z label',
  6: 'x y z r g b',
  7: 'x y z r g b label',
};

/** A parsed text cloud. */
export interface XyzData {
  file: string;
  /** Values per row (3, 4, 6 or 7). */
  columns: number;
  layout: string;
  cloud: PointCloud;
  nonFinite: NonFiniteReport;
}

/** Options of parseXyz. */
export interface ParseXyzOptions {
  file?: string;
  /** Rows with NaN/Inf x, y or z: throw (default), drop or keep. */
  nonFinite?: NonFinitePolicy;
}

function countLines(bytes: Uint8Array): number {
  let n = 1;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === 10) n++;
  return n;
}

/** Parses a text point file. Throws FormatError on any malformed row. */
export function parseXyz(buffer: ArrayBuffer | Uint8Array, opts: ParseXyzOptions = {}): XyzData {
  const file = opts.file ?? NO_FILE;
  const bytes = buffer instanceof Uint8Array ? buffer : new Uint8Array(buffer);
  const sc = new TextScanner(bytes, file, 0, 1, true);
  // Layout from the first data row.
  let cols = 0;
  while (sc.skipBlank()) {
    if (sc.atComment()) {
      sc.skipLine();
      continue;
    }
    const { pos, line } = sc;
    while (sc.nextTokenOnLine()) cols++;
    sc.pos = pos;
    sc.line = line;
    break;
  }
  const layout = XYZ_LAYOUTS[cols];
  if (cols > 0 && !layout) {
    throw new FormatError(
      file,
      `${cols} values per row; expected 3 (x y z), 4 (x y z label), 6 (x y z r g b) or 7 (x y z r g b label)`,
      { line: sc.line },
    );
  }
  const cap = countLines(bytes);
  const hasRgb = cols >= 6;
  const hasLabel = cols === 4 || cols === 7;
  const pos = new Float32Array(3 * cap);
  const rgb = hasRgb ? new Uint8Array(3 * cap) : undefined;
  const labels = hasLabel ? new Int32Array(cap) : undefined;
  let n = 0;
  while (sc.skipBlank()) {
    if (sc.atComment()) {
      sc.skipLine();
      continue;
    }
    for (let c = 0; c < cols; c++) {
      if (!sc.nextTokenOnLine()) {
        throw new FormatError(file, `row has ${c} values, expected ${cols} (${layout})`, { line: sc.line });
      }
      const v = sc.tryNumber();
      if (v === undefined) {
        throw new FormatError(file, `expected a number in column ${c + 1}, found '${sc.token()}'`, {
          line: sc.line,
        });
      }
      if (c < 3) pos[3 * n + c] = v;
      else if (rgb && c < 6) {
        if (!(v >= 0 && v <= 255 && Math.floor(v) === v)) {
          throw new FormatError(
            file,
            `colour value '${sc.token()}' in column ${c + 1} is not an integer 0..255`,
            {
              line: sc.line,
            },
          );
        }
        rgb[3 * n + c - 3] = v;
      } else {
        if (!(Math.floor(v) === v && Math.abs(v) <= 2147483647)) {
          throw new FormatError(file, `label '${sc.token()}' in column ${c + 1} is not an integer`, {
            line: sc.line,
          });
        }
        labels![n] = v;
      }
    }
    sc.endLine(`the ${cols} values (${layout})`);
    n++;
  }
  const cloud: PointCloud = { positions: pos.slice(0, 3 * n) };
  if (rgb) cloud.colors = rgb.slice(0, 3 * n);
  if (labels) cloud.labels = labels.slice(0, n);
  const data: XyzData = {
    file,
    columns: cols,
    layout: layout ?? 'x y z',
    cloud,
    nonFinite: { count: 0, firstIndex: -1, dropped: false },
  };
  applyNonFinite(data, n, opts.nonFinite ?? 'error');
  return data;
}

function applyNonFinite(data: XyzData, n: number, policy: NonFinitePolicy): void {
  const p = data.cloud.positions;
  const { count, firstIndex } = countNonFinite(p, p.subarray(1), p.subarray(2), n, 3);
  data.nonFinite = { count, firstIndex, dropped: false };
  if (count === 0 || policy === 'keep') return;
  const i = firstIndex;
  if (policy === 'error') {
    throw new FormatError(
      data.file,
      `${count} of ${n} rows have non-finite coordinates (first: point ${i}, ${describePoint(p[3 * i], p[3 * i + 1], p[3 * i + 2])}); ` +
        `parse with nonFinite 'drop' or 'keep' to accept them`,
    );
  }
  const keep = finiteMask(p, p.subarray(1), p.subarray(2), n, 3);
  const kept = n - count;
  const c = data.cloud;
  c.positions = compactRows(c.positions, keep, kept, 3);
  if (c.colors) c.colors = compactRows(c.colors, keep, kept, 3);
  if (c.labels) c.labels = compactRows(c.labels, keep, kept);
  data.nonFinite.dropped = true;
}
