/**
 * Fixed-radius neighbour search between two point clouds with a voxel hash (cells of side ≥ radius,
 * so every neighbour lies in the 27 cells around a point's cell): all pairs within a radius, and
 * the number of points having at least one neighbour. O(N + M + pairs), no KD-tree.
 * Distances are Euclidean on the float32 coordinates, evaluated in float64; a pair counts when d ≤ radius.
 */
import { CoordHash, COORD_MIN, COORD_MAX } from './coord-hash.js';

/** Points bucketed by cell: the points of cell c are `order[start[c] .. start[c+1])`. */
export interface CellGrid {
  /** Integer cell coordinates of each cell (3C). */
  cells: Int32Array;
  start: Int32Array;
  order: Int32Array;
  hash: CoordHash;
}

/** Common cell frame of two clouds: cell side and the origin shift mapping cells into the hash's range. */
interface CellFrame {
  inv: number;
  shift: [number, number, number];
}

function cellFrame(a: Float32Array, b: Float32Array, radius: number): CellFrame {
  if (!(radius > 0) || !Number.isFinite(radius)) throw new RangeError(`radius must be > 0, got ${radius}`);
  // a hair larger than the radius so rounding in x/side never puts a neighbour two cells away
  const inv = 1 / (radius * (1 + 1e-7));
  const lo = [Infinity, Infinity, Infinity];
  const hi = [-Infinity, -Infinity, -Infinity];
  for (const p of [a, b]) {
    for (let i = 0; i < p.length; i += 3) {
      for (let d = 0; d < 3; d++) {
        const v = p[i + d];
        if (!Number.isFinite(v)) throw new RangeError(`point ${i / 3} has a non-finite coordinate`);
        if (v < lo[d]) lo[d] = v;
        if (v > hi[d]) hi[d] = v;
      }
    }
  }
  const shift: [number, number, number] = [0, 0, 0];
  for (let d = 0; d < 3; d++) {
    if (lo[d] > hi[d]) continue;
    const c0 = Math.floor(lo[d] * inv);
    const c1 = Math.floor(hi[d] * inv);
    if (c1 - c0 > COORD_MAX - COORD_MIN - 2) {
      throw new RangeError(
        `radius search: extent ${(hi[d] - lo[d]).toFixed(2)} m along ${'xyz'[d]} spans ${c1 - c0 + 1} cells of ${radius} m; the hash holds at most ${COORD_MAX - COORD_MIN - 1}`,
      );
    }
    shift[d] = COORD_MIN + 1 - c0;
  }
  return { inv, shift };
}

function buildGrid(p: Float32Array, f: CellFrame): CellGrid {
  const n = p.length / 3;
  const hash = new CoordHash(Math.max(1, n));
  const cellOf = new Int32Array(n);
  const cellsTmp = new Int32Array(n * 3);
  const counts = new Int32Array(n + 1);
  let c = 0;
  const [sx, sy, sz] = f.shift;
  for (let i = 0; i < n; i++) {
    const x = Math.floor(p[i * 3] * f.inv) + sx;
    const y = Math.floor(p[i * 3 + 1] * f.inv) + sy;
    const z = Math.floor(p[i * 3 + 2] * f.inv) + sz;
    let id = hash.insert(0, x, y, z, c);
    if (id < 0) {
      id = c++;
      cellsTmp[id * 3] = x;
      cellsTmp[id * 3 + 1] = y;
      cellsTmp[id * 3 + 2] = z;
    }
    cellOf[i] = id;
    counts[id + 1]++;
  }
  const start = new Int32Array(c + 1);
  for (let k = 0; k < c; k++) start[k + 1] = start[k] + counts[k + 1];
  const fill = start.slice(0, c);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[fill[cellOf[i]]++] = i;
  return { cells: cellsTmp.slice(0, c * 3), start, order, hash };
}

/** For each cell of `ga`, the ids of the (up to 27) non-empty cells of `gb` around it, packed 27 per cell (-1 = none). */
function neighbourCells(ga: CellGrid, gb: CellGrid): Int32Array {
  const ca = ga.start.length - 1;
  const out = new Int32Array(ca * 27);
  for (let c = 0; c < ca; c++) {
    const x = ga.cells[c * 3];
    const y = ga.cells[c * 3 + 1];
    const z = ga.cells[c * 3 + 2];
    let o = c * 27;
    for (let dz = -1; dz <= 1; dz++) {
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) out[o++] = gb.hash.get(0, x + dx, y + dy, z + dz);
      }
    }
  }
  return out;
}

/**
 * All pairs (i, j) with |a_i − b_j| ≤ radius, interleaved [i0, j0, i1, j1, …], sorted by i then j.
 */
export function radiusPairs(a: Float32Array, b: Float32Array, radius: number): Int32Array {
  const na = a.length / 3;
  if (na === 0 || b.length === 0) return new Int32Array(0);
  const f = cellFrame(a, b, radius);
  const ga = buildGrid(a, f);
  const gb = buildGrid(b, f);
  const nb = neighbourCells(ga, gb);
  const r2 = radius * radius;
  let cap = 1 << 16;
  let buf = new Int32Array(cap * 2);
  let k = 0;
  const ca = ga.start.length - 1;
  for (let c = 0; c < ca; c++) {
    for (let s = ga.start[c]; s < ga.start[c + 1]; s++) {
      const i = ga.order[s];
      const x = a[i * 3];
      const y = a[i * 3 + 1];
      const z = a[i * 3 + 2];
      for (let q = c * 27, qe = q + 27; q < qe; q++) {
        const cb = nb[q];
        if (cb < 0) continue;
        for (let t = gb.start[cb], te = gb.start[cb + 1]; t < te; t++) {
          const j = gb.order[t];
          const dx = b[j * 3] - x;
          const dy = b[j * 3 + 1] - y;
          const dz = b[j * 3 + 2] - z;
          if (dx * dx + dy * dy + dz * dz > r2) continue;
          if (k === cap) {
            cap *= 2;
            const nbuf = new Int32Array(cap * 2);
            nbuf.set(buf);
            buf = nbuf;
          }
          buf[k * 2] = i;
          buf[k * 2 + 1] = j;
          k++;
        }
      }
    }
  }
  return sortPairs(buf, k, na);
}

/** Counting sort of k interleaved pairs by i (i < n), then j ascending within each i. */
function sortPairs(buf: Int32Array, k: number, n: number): Int32Array {
  const start = new Int32Array(n + 1);
  for (let p = 0; p < k; p++) start[buf[p * 2] + 1]++;
  for (let i = 0; i < n; i++) start[i + 1] += start[i];
  const fill = start.slice(0, n);
  const js = new Int32Array(k);
  for (let p = 0; p < k; p++) js[fill[buf[p * 2]]++] = buf[p * 2 + 1];
  const out = new Int32Array(k * 2);
  for (let i = 0; i < n; i++) {
    const s = start[i];
    const e = start[i + 1];
    // insertion sort: lists are short (a handful of neighbours)
    for (let p = s + 1; p < e; p++) {
      const v = js[p];
      let q = p - 1;
      while (q >= s && js[q] > v) {
        js[q + 1] = js[q];
        q--;
      }
      js[q + 1] = v;
    }
    for (let p = s; p < e; p++) {
      out[p * 2] = i;
      out[p * 2 + 1] = js[p];
    }
  }
  return out;
}

/** Number of points of `query` that have at least one point of `ref` within `radius`. */
export function countWithNeighbour(query: Float32Array, ref: Float32Array, radius: number): number {
  if (query.length === 0 || ref.length === 0) return 0;
  const f = cellFrame(query, ref, radius);
  const gq = buildGrid(query, f);
  const gr = buildGrid(ref, f);
  const nb = neighbourCells(gq, gr);
  const r2 = radius * radius;
  let count = 0;
  const cq = gq.start.length - 1;
  for (let c = 0; c < cq; c++) {
    for (let s = gq.start[c]; s < gq.start[c + 1]; s++) {
      const i = gq.order[s];
      const x = query[i * 3];
      const y = query[i * 3 + 1];
      const z = query[i * 3 + 2];
      let found = false;
      for (let q = c * 27, qe = q + 27; q < qe && !found; q++) {
        const cb = nb[q];
        if (cb < 0) continue;
        for (let t = gr.start[cb], te = gr.start[cb + 1]; t < te; t++) {
          const j = gr.order[t];
          const dx = ref[j * 3] - x;
          const dy = ref[j * 3 + 1] - y;
          const dz = ref[j * 3 + 2] - z;
          if (dx * dx + dy * dy + dz * dz <= r2) {
            found = true;
            break;
          }
        }
      }
      if (found) count++;
    }
  }
  return count;
}
