/**
 * Open-addressing hash table from integer voxel coordinates (batch, x, y, z) to row indices.
 * Keys are packed into two int32 words (x|y and z|batch, 16 bits each), stored in typed arrays:
 * no JS Map, no string keys. x, y, z must lie in [-32768, 32767] and batch in [0, 32767].
 */

const EMPTY = -1;
export const COORD_MIN = -32768;
export const COORD_MAX = 32767;
export const BATCH_MAX = 32767;

/** Packs x and y into one word. */
export function packXY(x: number, y: number): number {
  return (x & 0xffff) | (y << 16);
}
/** Packs z and the batch index into one word. */
export function packZB(z: number, b: number): number {
  return (z & 0xffff) | (b << 16);
}

function mix(a: number, b: number): number {
  let h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b ^ (b >>> 15), 0x85ebca77);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae3d);
  return h ^ (h >>> 16);
}

/** Checks that coordinates fit the packing; throws naming the first offending row. */
export function checkCoordRange(coords: Int32Array, dims: 3 | 4): void {
  const n = coords.length / dims;
  const o = dims - 3;
  for (let i = 0; i < n; i++) {
    const r = i * dims;
    if (o === 1 && (coords[r] < 0 || coords[r] > BATCH_MAX)) {
      throw new RangeError(`coordinate row ${i}: batch index ${coords[r]} outside [0, ${BATCH_MAX}]`);
    }
    for (let d = 0; d < 3; d++) {
      const v = coords[r + o + d];
      if (v < COORD_MIN || v > COORD_MAX) {
        throw new RangeError(
          `coordinate row ${i}: ${'xyz'[d]}=${v} outside [${COORD_MIN}, ${COORD_MAX}] voxels; use a larger voxel size or crop the scene`,
        );
      }
    }
  }
}

/** Hash of (batch, x, y, z) → value (a row index). */
export class CoordHash {
  private readonly keyA: Int32Array;
  private readonly keyB: Int32Array;
  private readonly vals: Int32Array;
  private readonly mask: number;
  private count = 0;

  constructor(expected: number) {
    let cap = 16;
    while (cap < expected * 2) cap *= 2;
    this.keyA = new Int32Array(cap);
    this.keyB = new Int32Array(cap);
    this.vals = new Int32Array(cap).fill(EMPTY);
    this.mask = cap - 1;
  }

  get size(): number {
    return this.count;
  }

  /** The slot holding key (a, c), or the empty slot where it belongs (linear probing). */
  private slot(a: number, c: number): number {
    const { keyA, keyB, vals, mask } = this;
    let h = mix(a, c) & mask;
    while (vals[h] !== EMPTY && (keyA[h] !== a || keyB[h] !== c)) h = (h + 1) & mask;
    return h;
  }

  /** Inserts (b,x,y,z) → value unless present; returns the existing value or -1 if inserted. */
  insert(b: number, x: number, y: number, z: number, value: number): number {
    const a = packXY(x, y);
    const c = packZB(z, b);
    const h = this.slot(a, c);
    const v = this.vals[h];
    if (v !== EMPTY) return v;
    this.keyA[h] = a;
    this.keyB[h] = c;
    this.vals[h] = value;
    this.count++;
    if (this.count * 2 > this.mask + 1) throw new Error('CoordHash: capacity exceeded');
    return EMPTY;
  }

  /** The value stored for (b,x,y,z), or -1. */
  get(b: number, x: number, y: number, z: number): number {
    return this.vals[this.slot(packXY(x, y), packZB(z, b))];
  }

  /** Builds the hash of an N×4 (b,x,y,z) coordinate array, row i → i. Rows must be unique. */
  static fromCoords(coords: Int32Array): CoordHash {
    const n = coords.length / 4;
    const hash = new CoordHash(n);
    for (let i = 0; i < n; i++) {
      const r = i * 4;
      if (hash.insert(coords[r], coords[r + 1], coords[r + 2], coords[r + 3], i) !== EMPTY) {
        throw new Error(`CoordHash.fromCoords: duplicate coordinate at row ${i}`);
      }
    }
    return hash;
  }
}
