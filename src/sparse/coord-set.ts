/**
 * A set of unique voxel coordinates (batch, x, y, z) at one tensor stride, with its hash built
 * on first use. Coordinates stay in finest-voxel units (MinkowskiEngine's convention): at
 * stride s every x, y, z is a multiple of s.
 */
import { CoordHash, checkCoordRange } from '../geometry/coord-hash.js';

export class CoordSet {
  #hash: CoordHash | undefined;

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

  /** Builds a stride-1 set from N×4 rows, checking range and uniqueness. */
  static fromBatchCoords(coords: Int32Array, batchSize?: number): CoordSet {
    checkCoordRange(coords, 4);
    let maxB = -1;
    for (let i = 0; i < coords.length; i += 4) if (coords[i] > maxB) maxB = coords[i];
    const set = new CoordSet(coords, 1, batchSize ?? maxB + 1);
    void set.hash; // validates uniqueness
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
