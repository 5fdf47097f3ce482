/**
 * Submanifold kernel maps by merging sorted coordinates instead of hashing. Rows are visited in
 * (b, x, y, z) order; for a fixed (dx, dy) the neighbours at dz = −r…r of consecutive rows are a
 * window of the same sorted key sequence shifted by a constant, so one forward-moving pointer
 * finds them all (the peer's searchsorted, without the log factor). Offsets δ and −δ mirror each
 * other, so only half of the (dx, dy) columns are merged. Pairs come out per offset in ascending
 * output row, as the hash-based builder produces them.
 */
import { keySpace, packedKeys } from '../geometry/sorted-coords.js';
import type { CoordSet } from './coord-set.js';

/** Per-offset (input rows, output rows), or undefined when the set cannot be sorted. */
export function mergeSubmanifoldPairs(
  set: CoordSet,
  kernel: number,
  dilation: number,
): { ins: Int32Array[]; outs: Int32Array[] } | undefined {
  const sorted = set.sorted;
  if (!sorted) return undefined;
  const half = (kernel - 1) / 2;
  const reach = half * dilation;
  if (keySpace(sorted.box, Math.max(reach, sorted.pad)) > 2 ** 53) return undefined;
  const n = set.size;
  const { order, box } = sorted;
  // the sorted keys serve if their padding covers the kernel's reach
  const pad = sorted.pad >= reach ? sorted.pad : reach;
  const keys = pad === sorted.pad ? sorted.keys : packedKeys(set.coords, set.stride, box, pad, order);
  const rz = box.ext[2] + 2 * pad;
  const ry = box.ext[1] + 2 * pad;
  const vol = kernel ** 3;
  const ins: Int32Array[] = new Array<Int32Array>(vol);
  const outs: Int32Array[] = new Array<Int32Array>(vol);
  // slot[j·n + o]: the input row of output o at the column's j-th offset (dz index j), and
  // mslot the same for the mirrored offsets; -1 = no neighbour
  const slot = new Int32Array(kernel * n).fill(-1);
  const mslot = new Int32Array(kernel * n).fill(-1);
  const count = new Int32Array(kernel);
  const columns = (kernel * kernel - 1) / 2; // (dx, dy) columns before the centre one
  for (let col = 0; col <= columns; col++) {
    const ix = col % kernel;
    const iy = (col - ix) / kernel;
    const centre = col === columns;
    // offsets of this column are k = ix + K·iy + K²·iz; the centre column only has iz < half
    const shift = ((ix - half) * ry + (iy - half)) * rz * dilation;
    const lastIz = centre ? half - 1 : kernel - 1;
    count.fill(0);
    let j = 0;
    for (let p = 0; p < n; p++) {
      const lo = keys[p] + shift - reach;
      const hi = lo + lastIz * dilation;
      while (j < n && keys[j] < lo) j++;
      const o = order[p];
      for (let t = j; t < n && keys[t] <= hi; t++) {
        const d = keys[t] - lo;
        if (dilation !== 1 && d % dilation !== 0) continue;
        const iz = d / dilation;
        const i = order[t];
        slot[iz * n + o] = i;
        mslot[iz * n + i] = o;
        count[iz]++;
      }
    }
    for (let iz = 0; iz <= lastIz; iz++) {
      const k = ix + kernel * iy + kernel * kernel * iz;
      [ins[k], outs[k]] = drain(slot, iz * n, n, count[iz]);
      [ins[vol - 1 - k], outs[vol - 1 - k]] = drain(mslot, iz * n, n, count[iz]);
    }
  }
  const centreK = (vol - 1) / 2;
  ins[centreK] = new Int32Array(0);
  outs[centreK] = new Int32Array(0);
  return { ins, outs };
}

/** The `m` set entries of slot[base … base+n) as (value, index) pairs in index order; resets them. */
function drain(slot: Int32Array, base: number, n: number, m: number): [Int32Array, Int32Array] {
  const a = new Int32Array(m);
  const b = new Int32Array(m);
  let c = 0;
  for (let o = 0; o < n && c < m; o++) {
    const v = slot[base + o];
    if (v >= 0) {
      a[c] = v;
      b[c++] = o;
      slot[base + o] = -1;
    }
  }
  return [a, b];
}
