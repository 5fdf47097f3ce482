/**
 * Lexicographic (batch, x, y, z) order of voxel rows by an LSD radix sort of packed integer
 * keys, and the packed keys themselves: the sorted-coordinate alternative to hashing. With rows
 * in key order, the neighbours of every row at a fixed offset are a merge of two ascending
 * sequences (sequential memory access instead of one random hash probe per lookup).
 */

/** Per-axis minimum and extent (in units of the stride) of N×4 (b, x, y, z) rows, and batch count. */
export interface CoordBox {
  min: [number, number, number];
  ext: [number, number, number];
  batches: number;
}

/** The bounding box of N×4 rows whose x, y, z are multiples of `stride`. */
export function coordBox(coords: Int32Array, stride: number): CoordBox {
  const n = coords.length / 4;
  let bMax = 0;
  let x0 = Infinity;
  let y0 = Infinity;
  let z0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  let z1 = -Infinity;
  for (let r = 0; r < n * 4; r += 4) {
    const b = coords[r];
    const x = coords[r + 1];
    const y = coords[r + 2];
    const z = coords[r + 3];
    if (b > bMax) bMax = b;
    if (x < x0) x0 = x;
    if (x > x1) x1 = x;
    if (y < y0) y0 = y;
    if (y > y1) y1 = y;
    if (z < z0) z0 = z;
    if (z > z1) z1 = z;
  }
  if (n === 0) return { min: [0, 0, 0], ext: [1, 1, 1], batches: 1 };
  return {
    min: [x0, y0, z0],
    ext: [(x1 - x0) / stride + 1, (y1 - y0) / stride + 1, (z1 - z0) / stride + 1],
    batches: bMax + 1,
  };
}

/** Number of distinct keys of a box padded by `pad` cells on each side of x, y and z. */
export function keySpace(box: CoordBox, pad: number): number {
  const [ex, ey, ez] = box.ext;
  return box.batches * (ex + 2 * pad) * (ey + 2 * pad) * (ez + 2 * pad);
}

/**
 * Packed keys ((b·RX + x')·RY + y')·RZ + z' of the rows `order[p]` (or row p when order is
 * undefined), with x' = (x − min)/stride + pad and R = extent + 2·pad: ascending in (b, x, y, z)
 * order, and a neighbour at (dx, dy, dz) strides away has key + (dx·RY + dy)·RZ + dz as long as
 * |d| ≤ pad (the padding keeps it inside its own row). Exact while keySpace ≤ 2^53.
 */
export function packedKeys(
  coords: Int32Array,
  stride: number,
  box: CoordBox,
  pad: number,
  order?: Int32Array,
): Float64Array {
  const n = coords.length / 4;
  const ry = box.ext[1] + 2 * pad;
  const rz = box.ext[2] + 2 * pad;
  const rx = box.ext[0] + 2 * pad;
  const [x0, y0, z0] = box.min;
  const out = new Float64Array(n);
  for (let p = 0; p < n; p++) {
    const r = (order ? order[p] : p) * 4;
    const x = (coords[r + 1] - x0) / stride + pad;
    const y = (coords[r + 2] - y0) / stride + pad;
    const z = (coords[r + 3] - z0) / stride + pad;
    out[p] = ((coords[r] * rx + x) * ry + y) * rz + z;
  }
  return out;
}

const RADIX_BITS = 11;
const RADIX = 1 << RADIX_BITS;

/**
 * Rows sorted by (b, x, y, z): `order[p]` is the row at sorted position p and `keys[p]` its
 * packed key (padded by `pad` cells, see packedKeys); undefined when the box needs more than 32
 * bits of key (the caller then hashes). A stable LSD radix sort, 11 bits per pass.
 */
export function lexOrder(
  coords: Int32Array,
  stride: number,
  box: CoordBox = coordBox(coords, stride),
  pad = 0,
): { order: Int32Array; keys: Uint32Array } | undefined {
  const space = keySpace(box, pad);
  if (space > 2 ** 32) return undefined;
  const n = coords.length / 4;
  let keys = new Uint32Array(packedKeys(coords, stride, box, pad));
  let order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  let keys2 = new Uint32Array(n);
  let order2 = new Int32Array(n);
  const count = new Int32Array(RADIX);
  const bits = Math.ceil(Math.log2(Math.max(2, space)));
  for (let shift = 0; shift < bits; shift += RADIX_BITS) {
    count.fill(0);
    for (let i = 0; i < n; i++) count[(keys[i] >>> shift) & (RADIX - 1)]++;
    let sum = 0;
    for (let d = 0; d < RADIX; d++) {
      const c = count[d];
      count[d] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const k = keys[i];
      const p = count[(k >>> shift) & (RADIX - 1)]++;
      keys2[p] = k;
      order2[p] = order[i];
    }
    [keys, keys2] = [keys2, keys];
    [order, order2] = [order2, order];
  }
  return { order, keys };
}

/** The smallest row that repeats an earlier row's coordinates (sorted keys, stable order), or -1. */
export function duplicateRow(keys: Uint32Array, order: Int32Array): number {
  let row = -1;
  for (let p = 1; p < keys.length; p++)
    if (keys[p] === keys[p - 1] && (row < 0 || order[p] < row)) row = order[p];
  return row;
}
