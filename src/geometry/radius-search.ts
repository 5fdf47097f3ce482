/**
 * Fixed-radius neighbour search with a voxel grid over the reference points (cells of side ≥ the
 * radius, so every neighbour lies in the 27 cells around a query's cell). Small extents use a
 * dense cell table where the three cells of a row are contiguous (9 ranges per query); large ones
 * fall back to an open-addressing hash of cells. O(N + M + pairs), no KD-tree.
 * Distances are Euclidean on the float32 coordinates, evaluated in float64; a pair counts when d ≤ radius.
 */
import { CoordHash, COORD_MAX } from './coord-hash.js';

/** Dense tables above this many cells (and above 4 per point) use the hash instead. */
const DENSE_MIN_LIMIT = 1 << 20;

/** How cells are looked up: chosen automatically; forcing one is for tests and benchmarks. */
export type GridStrategy = 'auto' | 'dense' | 'hash';

/** Squared distance (in float64) between point t of `a` and point i of `b`. */
function dist2(a: Float32Array, t: number, b: Float32Array, i: number): number {
  const dx = a[t * 3] - b[i * 3];
  const dy = a[t * 3 + 1] - b[i * 3 + 1];
  const dz = a[t * 3 + 2] - b[i * 3 + 2];
  return dx * dx + dy * dy + dz * dz;
}

/** A reusable index of reference points for radius queries. */
export class RadiusIndex {
  readonly radius: number;
  readonly strategy: 'dense' | 'hash';
  private readonly inv: number;
  private readonly origin: [number, number, number] = [0, 0, 0];
  private readonly dims: [number, number, number] = [0, 0, 0];
  // the same as plain fields for the hot path
  private readonly ox: number;
  private readonly oy: number;
  private readonly oz: number;
  private readonly nx: number;
  private readonly ny: number;
  private readonly nz: number;
  /** Points of cell c (dense: c = x + nx·(y + ny·z); hash: insertion id) are sorted[start[c] .. start[c+1]). */
  private readonly start: Int32Array;
  private readonly order: Int32Array;
  private readonly sorted: Float32Array;
  private readonly hash?: CoordHash;

  constructor(ref: Float32Array, radius: number, strategy: GridStrategy = 'auto') {
    if (!(radius > 0) || !Number.isFinite(radius)) throw new RangeError(`radius must be > 0, got ${radius}`);
    this.radius = radius;
    // a hair larger than the radius so rounding in x/side never puts a neighbour two cells away
    this.inv = 1 / (radius * (1 + 1e-7));
    const n = ref.length / 3;
    const lo = [Infinity, Infinity, Infinity];
    const hi = [-Infinity, -Infinity, -Infinity];
    for (let i = 0; i < ref.length; i += 3) {
      for (let d = 0; d < 3; d++) {
        const v = ref[i + d];
        if (!Number.isFinite(v)) throw new RangeError(`reference point ${i / 3} has a non-finite coordinate`);
        if (v < lo[d]) lo[d] = v;
        if (v > hi[d]) hi[d] = v;
      }
    }
    let cells = n > 0 ? 1 : 0;
    for (let d = 0; d < 3 && n > 0; d++) {
      this.origin[d] = Math.floor(lo[d] * this.inv);
      this.dims[d] = Math.floor(hi[d] * this.inv) - this.origin[d] + 1;
      cells *= this.dims[d];
    }
    [this.ox, this.oy, this.oz] = this.origin;
    [this.nx, this.ny, this.nz] = this.dims;
    const dense = strategy === 'dense' || (strategy === 'auto' && cells <= Math.max(DENSE_MIN_LIMIT, 4 * n));
    this.strategy = dense ? 'dense' : 'hash';
    const key = new Int32Array(n);
    let c = 0;
    if (dense) {
      c = cells;
      const [nx, ny] = this.dims;
      for (let i = 0; i < n; i++) {
        const [x, y, z] = this.cellOf(ref, i);
        key[i] = x + nx * (y + ny * z);
      }
    } else {
      for (let d = 0; d < 3; d++) {
        if (this.dims[d] > COORD_MAX) {
          throw new RangeError(
            `radius search: extent ${(hi[d] - lo[d]).toFixed(2)} m along ${'xyz'[d]} spans ${this.dims[d]} cells of ${radius} m; at most ${COORD_MAX} are supported`,
          );
        }
      }
      this.hash = new CoordHash(Math.max(1, n));
      for (let i = 0; i < n; i++) {
        const [x, y, z] = this.cellOf(ref, i);
        const id = this.hash.insert(0, x, y, z, c);
        key[i] = id < 0 ? c++ : id;
      }
    }
    // counting sort of the points by cell
    const start = new Int32Array(c + 1);
    for (let i = 0; i < n; i++) start[key[i] + 1]++;
    for (let k = 0; k < c; k++) start[k + 1] += start[k];
    const fill = start.slice(0, c);
    const order = new Int32Array(n);
    const sorted = new Float32Array(n * 3);
    for (let i = 0; i < n; i++) {
      const t = fill[key[i]]++;
      order[t] = i;
      sorted[t * 3] = ref[i * 3];
      sorted[t * 3 + 1] = ref[i * 3 + 1];
      sorted[t * 3 + 2] = ref[i * 3 + 2];
    }
    this.start = start;
    this.order = order;
    this.sorted = sorted;
  }

  private readonly cellTmp: [number, number, number] = [0, 0, 0];
  /** Cell of point i of `p`, relative to the index origin. */
  private cellOf(p: Float32Array, i: number): [number, number, number] {
    const t = this.cellTmp;
    t[0] = Math.floor(p[i * 3] * this.inv) - this.origin[0];
    t[1] = Math.floor(p[i * 3 + 1] * this.inv) - this.origin[1];
    t[2] = Math.floor(p[i * 3 + 2] * this.inv) - this.origin[2];
    return t;
  }

  /**
   * Writes into `ranges` the [start, end) ranges of `sorted` holding the candidates of query
   * point i of `q`; returns how many ranges (≤ 9 dense, ≤ 27 hashed).
   */
  private candidates(q: Float32Array, i: number, ranges: Int32Array): number {
    const cx = Math.floor(q[i * 3] * this.inv) - this.ox;
    const cy = Math.floor(q[i * 3 + 1] * this.inv) - this.oy;
    const cz = Math.floor(q[i * 3 + 2] * this.inv) - this.oz;
    const { nx, ny, nz, start } = this;
    if (cx < -1 || cx > nx || cy < -1 || cy > ny || cz < -1 || cz > nz) return 0;
    const x0 = cx > 0 ? cx - 1 : 0;
    const x1 = cx < nx - 1 ? cx + 1 : nx - 1;
    const y0 = cy > 0 ? cy - 1 : 0;
    const y1 = cy < ny - 1 ? cy + 1 : ny - 1;
    const z0 = cz > 0 ? cz - 1 : 0;
    const z1 = cz < nz - 1 ? cz + 1 : nz - 1;
    let m = 0;
    const hash = this.hash;
    if (hash) {
      for (let zz = z0; zz <= z1; zz++) {
        for (let yy = y0; yy <= y1; yy++) {
          for (let xx = x0; xx <= x1; xx++) {
            const c = hash.get(0, xx, yy, zz);
            if (c < 0) continue;
            ranges[m++] = start[c];
            ranges[m++] = start[c + 1];
          }
        }
      }
      return m;
    }
    for (let zz = z0; zz <= z1; zz++) {
      for (let yy = y0; yy <= y1; yy++) {
        const row = nx * (yy + ny * zz);
        ranges[m++] = start[row + x0];
        ranges[m++] = start[row + x1 + 1];
      }
    }
    return m;
  }

  /** Number of query points with at least one reference point within the radius. */
  countWithin(query: Float32Array): number {
    const { sorted } = this;
    const r2 = this.radius * this.radius;
    const ranges = new Int32Array(54);
    let count = 0;
    const n = query.length / 3;
    for (let i = 0; i < n; i++) {
      const m = this.candidates(query, i, ranges);
      search: for (let r = 0; r < m; r += 2) {
        for (let t = ranges[r], e = ranges[r + 1]; t < e; t++) {
          if (dist2(sorted, t, query, i) <= r2) {
            count++;
            break search;
          }
        }
      }
    }
    return count;
  }

  /** All (query i, reference j) within the radius, interleaved, sorted by i then j. */
  pairs(query: Float32Array): Int32Array {
    const { sorted, order } = this;
    const r2 = this.radius * this.radius;
    const ranges = new Int32Array(54);
    let buf = new Int32Array(1 << 16);
    let k = 0;
    const n = query.length / 3;
    for (let i = 0; i < n; i++) {
      const m = this.candidates(query, i, ranges);
      const first = k;
      for (let r = 0; r < m; r += 2) {
        for (let t = ranges[r], e = ranges[r + 1]; t < e; t++) {
          if (dist2(sorted, t, query, i) > r2) continue;
          if (k * 2 === buf.length) {
            const nb = new Int32Array(buf.length * 2);
            nb.set(buf);
            buf = nb;
          }
          // insertion by j keeps this query's (short) neighbour list sorted
          const j = order[t];
          let q = k - 1;
          while (q >= first && buf[q * 2 + 1] > j) {
            buf[(q + 1) * 2 + 1] = buf[q * 2 + 1];
            q--;
          }
          buf[(q + 1) * 2 + 1] = j;
          buf[k * 2] = i;
          k++;
        }
      }
    }
    return buf.slice(0, k * 2);
  }
}

/** All pairs (i, j) with |a_i − b_j| ≤ radius, interleaved [i0, j0, i1, j1, …], sorted by i then j. */
export function radiusPairs(
  a: Float32Array,
  b: Float32Array,
  radius: number,
  strategy: GridStrategy = 'auto',
): Int32Array {
  return new RadiusIndex(b, radius, strategy).pairs(a);
}
