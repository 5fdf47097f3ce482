/**
 * Kernel maps: for each kernel offset k, the (input row, output row) pairs of a sparse
 * convolution, as in MinkowskiEngine. Offsets are enumerated x fastest; odd kernels are centred
 * ((i - ⌊k/2⌋)·stride·dilation), even kernels start at 0 (i·stride). Pairs live in two flat
 * Int32Arrays grouped by offset (`start[k]..start[k+1]`); an offset whose pairs are the
 * identity on all rows (the centre of a submanifold conv) is flagged and stores no pairs.
 */
import { CoordSet } from './coord-set.js';
import { CoordHash } from '../geometry/coord-hash.js';
import { prefixOffsets } from '../core/offsets.js';
import { mergeSubmanifoldPairs } from './submanifold-merge.js';

/** How submanifold maps find neighbours: merging sorted rows (where they sort) or hashing. */
export type NeighbourSearch = 'auto' | 'merge' | 'hash';

export interface KernelMap {
  /** Number of kernel offsets (k³). */
  readonly volume: number;
  readonly nIn: number;
  readonly nOut: number;
  readonly inIdx: Int32Array;
  readonly outIdx: Int32Array;
  /** Pair ranges per offset, length volume + 1. */
  readonly start: Int32Array;
  /** Offset whose pairs are (i, i) for every row (not stored in the arrays), or -1. */
  readonly identity: number;
  /** Within each offset, pairs are in ascending output row (lets threads split by rows). */
  readonly sortedOut: boolean;
  /**
   * Submanifold maps: offset k's pairs swapped are offset (volume−1−k)'s pairs, so the map is
   * its own transpose with the offsets reversed (the backward needs no transposed map).
   */
  readonly symmetric: boolean;
}

/** Number of (in, out) pairs including the implicit identity ones. */
export function pairCount(map: KernelMap): number {
  return map.inIdx.length + (map.identity >= 0 ? map.nIn : 0);
}

/** Integer offsets (in voxels of the finest level) of a k³ kernel, x fastest. */
export function kernelOffsets(kernel: number, stride: number, dilation: number): Int32Array {
  const vol = kernel ** 3;
  const out = new Int32Array(vol * 3);
  const half = kernel % 2 === 1 ? (kernel - 1) / 2 : 0;
  const step = kernel % 2 === 1 ? stride * dilation : stride;
  for (let k = 0; k < vol; k++) {
    let idx = k;
    for (let d = 0; d < 3; d++) {
      out[k * 3 + d] = ((idx % kernel) - half) * step;
      idx = Math.floor(idx / kernel);
    }
  }
  return out;
}

/** Pairs of `pairsIn/pairsOut` mirrored (out→in), re-ordered by the new output row. */
function mirror(pairsIn: Int32Array, pairsOut: Int32Array, n: number): [Int32Array, Int32Array] {
  const slot = new Int32Array(n).fill(-1);
  for (let j = 0; j < pairsIn.length; j++) slot[pairsIn[j]] = pairsOut[j];
  const a = new Int32Array(pairsIn.length);
  const b = new Int32Array(pairsIn.length);
  let m = 0;
  for (let o = 0; o < n; o++) {
    if (slot[o] >= 0) {
      a[m] = slot[o];
      b[m++] = o;
    }
  }
  return [a, b];
}

/**
 * Submanifold (stride-1, output = input coordinates) map of an odd kernel with dilation. By
 * default neighbours are found by merging the sorted rows (submanifold-merge.ts), falling back
 * to the hash for boxes too wide to sort; both give identical maps.
 */
export function submanifoldMap(
  set: CoordSet,
  kernel: number,
  dilation = 1,
  search: NeighbourSearch = 'auto',
): KernelMap {
  if (kernel % 2 !== 1) throw new RangeError(`submanifold conv needs an odd kernel size, got ${kernel}`);
  const n = set.size;
  const centre = (kernel ** 3 - 1) / 2;
  if (search !== 'hash') {
    const merged = mergeSubmanifoldPairs(set, kernel, dilation);
    if (merged) return concatPairs(merged.ins, merged.outs, n, n, centre);
    if (search === 'merge') throw new RangeError('submanifoldMap: coordinates too spread out to sort');
  }
  return hashSubmanifoldMap(set, kernel, dilation);
}

/** The hash-based builder: offsets δ and −δ have mirrored pairs, so only half are looked up. */
function hashSubmanifoldMap(set: CoordSet, kernel: number, dilation: number): KernelMap {
  const vol = kernel ** 3;
  const centre = (vol - 1) / 2;
  const offs = kernelOffsets(kernel, set.stride, dilation);
  const n = set.size;
  const c = set.coords;
  const hash = set.hash;
  const ins: Int32Array[] = new Array(vol);
  const outs: Int32Array[] = new Array(vol);
  const bufIn = new Int32Array(n);
  const bufOut = new Int32Array(n);
  for (let k = 0; k < centre; k++) {
    const dx = offs[k * 3];
    const dy = offs[k * 3 + 1];
    const dz = offs[k * 3 + 2];
    let m = 0;
    for (let o = 0; o < n; o++) {
      const r = o * 4;
      const i = hash.get(c[r], c[r + 1] + dx, c[r + 2] + dy, c[r + 3] + dz);
      if (i >= 0) {
        bufIn[m] = i;
        bufOut[m++] = o;
      }
    }
    ins[k] = bufIn.slice(0, m);
    outs[k] = bufOut.slice(0, m);
    [ins[vol - 1 - k], outs[vol - 1 - k]] = mirror(ins[k], outs[k], n);
  }
  ins[centre] = new Int32Array(0);
  outs[centre] = new Int32Array(0);
  return concatPairs(ins, outs, n, n, centre);
}

function concatPairs(
  ins: Int32Array[],
  outs: Int32Array[],
  nIn: number,
  nOut: number,
  identity: number,
): KernelMap {
  const vol = ins.length;
  const start = prefixOffsets(vol, (k) => ins[k].length);
  const inIdx = new Int32Array(start[vol]);
  const outIdx = new Int32Array(start[vol]);
  for (let k = 0; k < vol; k++) {
    inIdx.set(ins[k], start[k]);
    outIdx.set(outs[k], start[k]);
  }
  return { volume: vol, nIn, nOut, inIdx, outIdx, start, identity, sortedOut: true, symmetric: true };
}

/** Result of down-sampling: the coarser coordinates and the k=2, s=2 map fine → coarse. */
export interface Downsampled {
  coarse: CoordSet;
  map: KernelMap;
}

/**
 * Stride-2 down-sampling with a 2³ kernel: output coordinates are floor(c / 2s)·2s (unique, in
 * order of first appearance) and each fine voxel feeds exactly one output through the offset
 * (c − parent)/s ∈ {0,1}³.
 */
export function downsampleMap(fine: CoordSet): Downsampled {
  const s = fine.stride;
  const s2 = s * 2;
  const n = fine.size;
  const c = fine.coords;
  const hash = new CoordHash(n);
  const parentOf = new Int32Array(n);
  const koff = new Uint8Array(n);
  const coarseCoords = new Int32Array(n * 4);
  const counts = new Int32Array(8);
  let m = 0;
  for (let i = 0; i < n; i++) {
    const r = i * 4;
    const b = c[r];
    const x = c[r + 1];
    const y = c[r + 2];
    const z = c[r + 3];
    const px = x - (((x % s2) + s2) % s2);
    const py = y - (((y % s2) + s2) % s2);
    const pz = z - (((z % s2) + s2) % s2);
    let p = hash.insert(b, px, py, pz, m);
    if (p < 0) {
      p = m++;
      coarseCoords[p * 4] = b;
      coarseCoords[p * 4 + 1] = px;
      coarseCoords[p * 4 + 2] = py;
      coarseCoords[p * 4 + 3] = pz;
    }
    parentOf[i] = p;
    const k = (x - px) / s + 2 * ((y - py) / s) + 4 * ((z - pz) / s);
    koff[i] = k;
    counts[k]++;
  }
  const start = prefixOffsets(8, (k) => counts[k]);
  const fill = start.slice(0, 8);
  const inIdx = new Int32Array(n);
  const outIdx = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const j = fill[koff[i]]++;
    inIdx[j] = i;
    outIdx[j] = parentOf[i];
  }
  const coarse = new CoordSet(coarseCoords.slice(0, m * 4), s2, fine.batchSize);
  return {
    coarse,
    map: {
      volume: 8,
      nIn: n,
      nOut: m,
      inIdx,
      outIdx,
      start,
      identity: -1,
      sortedOut: false,
      symmetric: false,
    },
  };
}

/** Whether every offset's input rows are ascending (what the transpose's outputs become). */
function inputsAscending(map: KernelMap): boolean {
  for (let k = 0; k < map.volume; k++) {
    for (let j = map.start[k] + 1; j < map.start[k + 1]; j++)
      if (map.inIdx[j] < map.inIdx[j - 1]) return false;
  }
  return true;
}

/** The map with inputs and outputs swapped (the backward of a conv, or a transposed conv). */
export function transposeMap(map: KernelMap): KernelMap {
  return {
    volume: map.volume,
    nIn: map.nOut,
    nOut: map.nIn,
    inIdx: map.outIdx,
    outIdx: map.inIdx,
    start: map.start,
    identity: map.identity,
    // pairs stay grouped by offset in the original order: ascending in the old input rows
    sortedOut: inputsAscending(map),
    symmetric: map.symmetric,
  };
}
