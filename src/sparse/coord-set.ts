/**
 * A set of unique voxel coordinates (batch, x, y, z) at one tensor stride, with its hash and its
 * lexicographic order built on first use. Coordinates stay in finest-voxel units
 * (MinkowskiEngine's convention): at stride s every x, y, z is a multiple of s.
 */
import { CoordHash, checkCoordRange } from '../geometry/coord-hash.js';
import { coordBox, duplicateRow, lexOrder, type CoordBox } from '../geometry/sorted-coords.js';

/**
 * Rows in (b, x, y, z) order: order[p] is the row at sorted position p, keys[p] its packed key
 * (geometry/sorted-coords.ts) over `box` padded by `pad` cells per side.
 */
export interface SortedRows {
  order: Int32Array;
  keys: Float64Array;
  box: CoordBox;
  pad: number;
}

/** Key padding kept with the sorted rows: the reach of a 5³ kernel, or a 3³ one at dilation 2. */
const SORT_PAD = 2;

export class CoordSet {
  #hash: CoordHash | undefined;
  #sorted: SortedRows | null | undefined;

  /** coords: N×4 int32 rows (b, x, y, z), unique. */
  constructor(
    readonly coords: Int32Array,
    readonly stride: number,
    readonly batchSize: number,
  ) {
    if (coords.length % 4 !== 0) throw new RangeError('CoordSet: coords length must be a multiple of 4');
  }

  get size(): number {
    return this.coords.length / 4;
  }

  /** The hash of these coordinates (built once). */
  get hash(): CoordHash {
    if (!this.#hash) this.#hash = CoordHash.fromCoords(this.coords);
    return this.#hash;
  }

  /** The rows' lexicographic order (built once), or undefined when the box is too wide to sort. */
  get sorted(): SortedRows | undefined {
    if (this.#sorted === undefined) this.#sorted = this.#sort() ?? null;
    return this.#sorted ?? undefined;
  }

  #sort(): SortedRows | undefined {
    const box = coordBox(this.coords, this.stride);
    let pad = SORT_PAD;
    let s = lexOrder(this.coords, this.stride, box, pad);
    if (!s) s = lexOrder(this.coords, this.stride, box, (pad = 0));
    if (!s) return undefined;
    const dup = duplicateRow(s.keys, s.order);
    if (dup >= 0) throw new Error(`CoordSet: duplicate coordinate at row ${dup}`);
    return { order: s.order, keys: Float64Array.from(s.keys), box, pad };
  }

  /** Builds a stride-1 set from N×4 rows, checking range and uniqueness. */
  static fromBatchCoords(coords: Int32Array, batchSize?: number): CoordSet {
    checkCoordRange(coords, 4);
    let maxB = -1;
    for (let i = 0; i < coords.length; i += 4) if (coords[i] > maxB) maxB = coords[i];
    const set = new CoordSet(coords, 1, batchSize ?? maxB + 1);
    // validates uniqueness: by sorting where the keys fit, else by hashing
    if (!set.sorted) void set.hash;
    return set;
  }

  /** Row ranges per batch item if rows are grouped by batch, else undefined. */
  batchRanges(): Int32Array | undefined {
    const r = new Int32Array(this.batchSize + 1);
    let prev = 0;
    for (let i = 0; i < this.size; i++) {
      const b = this.coords[i * 4];
      if (b < prev) return undefined;
      while (prev < b) r[++prev] = i;
    }
    while (prev < this.batchSize) r[++prev] = this.size;
    return r;
  }

  /** Batch index per row. */
  batchIndex(): Int32Array {
    const out = new Int32Array(this.size);
    for (let i = 0; i < out.length; i++) out[i] = this.coords[i * 4];
    return out;
  }
}
