/**
 * Exact k-nearest-neighbour search within one point set (each point's k nearest *other* points)
 * on a hashed voxel grid: the cells around a query are visited in growing cubic shells until the
 * k-th distance found is no larger than the distance to the next shell. No KD-tree.
 * Distances are Euclidean on the float32 coordinates, evaluated in float64; ties keep the lower index.
 */
import { CoordHash, COORD_MAX } from './coord-hash.js';

/** Neighbour lists: row i holds point i's k nearest other points, nearest first. */
export interface KnnResult {
  k: number;
  /** N×k point indices (-1 where the cloud has fewer than k other points). */
  indices: Int32Array;
  /** N×k distances in metres (Infinity where the index is -1). */
  distances: Float32Array;
}

export interface KnnOptions {
  /** Grid cell side in metres; about the typical spacing times √k works best. Default 0.05. */
  cell?: number;
}

/** The k nearest other points of every point of `positions` (3N floats). */
export function knnSelf(positions: Float32Array, k: number, opts: KnnOptions = {}): KnnResult {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`knn: k must be a positive integer, got ${k}`);
  const cell = opts.cell ?? 0.05;
  if (!(cell > 0) || !Number.isFinite(cell)) throw new RangeError(`knn: cell must be > 0, got ${cell}`);
  const n = positions.length / 3;
  const inv = 1 / cell;
  const lo = [Infinity, Infinity, Infinity];
  for (let i = 0; i < positions.length; i += 3) {
    for (let d = 0; d < 3; d++) {
      const v = positions[i + d];
      if (!Number.isFinite(v)) throw new RangeError(`knn: point ${i / 3} has a non-finite coordinate`);
      if (v < lo[d]) lo[d] = v;
    }
  }
  const o = lo.map((v) => Math.floor(v * inv));
  const cx = new Int32Array(n);
  const cy = new Int32Array(n);
  const cz = new Int32Array(n);
  const hash = new CoordHash(Math.max(1, n));
  const key = new Int32Array(n);
  let cells = 0;
  for (let i = 0; i < n; i++) {
    cx[i] = Math.floor(positions[i * 3] * inv) - o[0];
    cy[i] = Math.floor(positions[i * 3 + 1] * inv) - o[1];
    cz[i] = Math.floor(positions[i * 3 + 2] * inv) - o[2];
    if (cx[i] > COORD_MAX || cy[i] > COORD_MAX || cz[i] > COORD_MAX) {
      throw new RangeError(
        `knn: the cloud spans more than ${COORD_MAX} cells of ${cell} m; use a larger cell`,
      );
    }
    const id = hash.insert(0, cx[i], cy[i], cz[i], cells);
    key[i] = id < 0 ? cells++ : id;
  }
  const start = new Int32Array(cells + 1);
  for (let i = 0; i < n; i++) start[key[i] + 1]++;
  for (let c = 0; c < cells; c++) start[c + 1] += start[c];
  const fill = start.slice(0, cells);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[fill[key[i]]++] = i;
  let maxDim = 0;
  for (let i = 0; i < n; i++) maxDim = Math.max(maxDim, cx[i], cy[i], cz[i]);

  const indices = new Int32Array(n * k).fill(-1);
  const distances = new Float32Array(n * k).fill(Infinity);
  const bestD = new Float64Array(k);
  const bestI = new Int32Array(k);
  for (let i = 0; i < n; i++) {
    const x = positions[i * 3];
    const y = positions[i * 3 + 1];
    const z = positions[i * 3 + 2];
    let found = 0;
    // distance from the query to the faces of its own cell: the lower bound of shell s is gap + (s-1)·cell
    const fx = x * inv - (cx[i] + o[0]);
    const fy = y * inv - (cy[i] + o[1]);
    const fz = z * inv - (cz[i] + o[2]);
    const gap = Math.min(fx, 1 - fx, fy, 1 - fy, fz, 1 - fz) * cell;
    for (let s = 0; s <= maxDim + 1; s++) {
      if (s > 0 && found === k && bestD[k - 1] <= (gap + (s - 1) * cell) ** 2) break;
      for (let dz = -s; dz <= s; dz++) {
        for (let dy = -s; dy <= s; dy++) {
          const onFace = Math.abs(dz) === s || Math.abs(dy) === s;
          for (let dx = -s; dx <= s; dx += onFace ? 1 : 2 * s || 1) {
            const c = hash.get(0, cx[i] + dx, cy[i] + dy, cz[i] + dz);
            if (c < 0) continue;
            for (let t = start[c]; t < start[c + 1]; t++) {
              const j = order[t];
              if (j === i) continue;
              const ex = positions[j * 3] - x;
              const ey = positions[j * 3 + 1] - y;
              const ez = positions[j * 3 + 2] - z;
              const d2 = ex * ex + ey * ey + ez * ez;
              if (found === k && (d2 > bestD[k - 1] || (d2 === bestD[k - 1] && j > bestI[k - 1]))) continue;
              // insertion into the sorted best list
              let q = found < k ? found++ : k - 1;
              while (q > 0 && (bestD[q - 1] > d2 || (bestD[q - 1] === d2 && bestI[q - 1] > j))) {
                bestD[q] = bestD[q - 1];
                bestI[q] = bestI[q - 1];
                q--;
              }
              bestD[q] = d2;
              bestI[q] = j;
            }
          }
        }
      }
    }
    for (let q = 0; q < found; q++) {
      indices[i * k + q] = bestI[q];
      distances[i * k + q] = Math.sqrt(bestD[q]);
    }
  }
  return { k, indices, distances };
}
