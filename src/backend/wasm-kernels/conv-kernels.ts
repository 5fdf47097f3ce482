/**
 * Fused sparse-convolution kernels in WebAssembly SIMD, generated at run time for each
 * (Cin, Cout) pair and instantiated on the tfjs wasm heap:
 *   conv_fwd(x, w, inIdx, outIdx, n, dst)  dst[out_j] += x[in_j] · W        (W: Cin×Cout, one offset)
 *   conv_dw(x, dy, inIdx, outIdx, n, dw)   dW += x[in_j]ᵀ · dy[out_j]        (outer products)
 * Rows are read straight from the tensors (no gathered copies, no GEMM set-up per offset); the
 * output rows of two pairs (2 × 4 f32x4 accumulators) stay in registers across the Cin loop, so
 * each matrix vector is loaded once for both. Cout must be a multiple of 4. For narrow layers
 * (the CPU-sized networks) this beats gather → XNNPACK GEMM → scatter, whose fixed cost per call
 * dominates at 8–32 channels.
 */
import { Body, I32, V128, buildModule, instantiateOn, isSharedMemory, type FuncDef } from './assembler.js';

/**
 * How a kernel is blocked: `rows` pairs are processed together (each matrix vector loaded once
 * for all of them: for the forward a W vector, for the weight gradient a dW vector read and
 * written once), `block` f32x4 vectors of the Cout row per pair stay in registers across the Cin
 * loop (rows·block accumulators; x86 has 16 xmm registers), and the Cin loop is unrolled
 * `unroll` times. Each output element still accumulates its terms in pair order, so every
 * blocking gives the same bits.
 */
export interface ConvBlocking {
  rows: number;
  block: number;
  unroll: number;
}

/** The blocking measured fastest on this project's layers (docs/benchmarks.md). */
export const DEFAULT_BLOCKING: Readonly<ConvBlocking> = Object.freeze({ rows: 2, block: 4, unroll: 1 });

/** Parameter slots of a conv kernel: both take (x, ·, inIdx, outIdx, n, ·). */
interface ConvParams {
  x: number;
  inIdx: number;
  outIdx: number;
  n: number;
  /** The Cout-wide rows indexed by outIdx: dst (forward) or dy (weight grad). */
  rows: number;
  /** The Cin×Cout matrix: W (forward, read) or dW (weight grad, accumulated). */
  mat: number;
}

/** The locals the per-channel step of a conv kernel works on. */
interface ConvLocals {
  /** x[in_j][ci] in all four lanes, one per pair of the group. */
  s: number[];
  /** Byte address of row ci of the matrix. */
  wp: number;
  /** A scratch vector (a matrix vector). */
  t: number;
  /** acc[r][q]: vector q of the block of pair r's Cout row, loaded before the Cin loop. */
  acc: number[][];
}

/**
 * Emits the work of one matrix vector q (byte offset `offset` from wp) for the `nr` pairs of a
 * group: the forward adds s[r]·W[ci][q] to acc[r][q]; the weight gradient adds s[r]·dy_r[q] to
 * dW[ci][q], read and written once.
 */
type ConvStep = (b: Body, l: ConvLocals, nr: number, q: number, offset: number) => void;

/**
 * The loop both conv kernels share. Pairs go in groups of `rows` (the remainder one at a time):
 * per group and per block of ≤ `block` vectors of the Cout rows outIdx[j..] (loaded into `acc`),
 * a Cin loop (a constant bound, unrolled) splats x[inIdx[j + r]][ci] into s[r] and walks `wp`
 * down the matrix rows; with `storeAcc` the block is written back to the Cout rows after the loop
 * (the forward), and then a group whose pairs share an output row runs pair by pair.
 */
function convFunc(
  name: string,
  cin: number,
  cout: number,
  P: ConvParams,
  step: ConvStep,
  storeAcc: boolean,
  blocking: ConvBlocking,
): FuncDef {
  const { rows, unroll } = blocking;
  const b = new Body(6);
  const [j, co, wp] = b.localsOf(I32, 3);
  const xRow = b.localsOf(I32, rows);
  const outRow = b.localsOf(I32, rows);
  const q4 = cout / 4;
  const block = Math.min(blocking.block, q4);
  const s = b.localsOf(V128, rows);
  const t = b.local(V128);
  const acc = Array.from({ length: rows }, () => b.localsOf(V128, block));
  const L: ConvLocals = { s, wp, t, acc };
  const mainCin = cin - (cin % unroll);

  /** dst = base + idx[j + r]·width·4: the byte address of pair j + r's row. */
  const rowAddress = (base: number, idx: number, r: number, width: number, dst: number) => {
    b.get(base)
      .elemAddr(idx, j)
      .loadI32(r * 4);
    b.i32(width * 4)
      .mul()
      .add()
      .set(dst);
  };
  /** xRow[r] = x + inIdx[j+r]·Cin·4, outRow[r] = rows + outIdx[j+r]·Cout·4 */
  const rowAddresses = (nr: number) => {
    for (let r = 0; r < nr; r++) {
      rowAddress(P.x, P.inIdx, r, cin, xRow[r]);
      rowAddress(P.rows, P.outIdx, r, cout, outRow[r]);
    }
  };
  /** One Cin step at channel co/4 + u for the nr pairs and the block's nq vectors. */
  const cinStep = (nr: number, q0: number, nq: number, u: number) => {
    for (let r = 0; r < nr; r++)
      b.get(xRow[r])
        .get(co)
        .add()
        .loadF32(u * 4)
        .splatF32x4()
        .set(s[r]);
    for (let q = 0; q < nq; q++) step(b, L, nr, q, (q0 + q) * 16 + u * cout * 4);
  };
  /** The work of nr pairs whose row addresses are set: every block, its Cin loop, the store. */
  const pairs = (nr: number) => {
    for (let q0 = 0; q0 < q4; q0 += block) {
      const nq = Math.min(block, q4 - q0);
      for (let r = 0; r < nr; r++)
        for (let q = 0; q < nq; q++)
          b.get(outRow[r])
            .loadV128((q0 + q) * 16)
            .set(acc[r][q]);
      b.get(P.mat).set(wp);
      b.i32(0).set(co);
      if (mainCin > 0) {
        b.block().loop();
        for (let u = 0; u < unroll; u++) cinStep(nr, q0, nq, u);
        b.get(co)
          .i32(unroll * 4)
          .add()
          .set(co);
        b.get(wp)
          .i32(unroll * cout * 4)
          .add()
          .set(wp);
        b.get(co)
          .i32(mainCin * 4)
          .ltU()
          .brIf(0);
        b.end().end();
      }
      for (let u = 0; u < cin - mainCin; u++) cinStep(nr, q0, nq, u);
      if (storeAcc)
        for (let r = 0; r < nr; r++)
          for (let q = 0; q < nq; q++)
            b.get(outRow[r])
              .get(acc[r][q])
              .storeV128((q0 + q) * 16);
    }
  };
  /** The nr pairs one by one (row addresses of the first in slot 0). */
  const oneByOne = (nr: number) => {
    for (let r = 0; r < nr; r++) {
      if (r > 0) {
        b.get(xRow[r]).set(xRow[0]);
        b.get(outRow[r]).set(outRow[0]);
      }
      pairs(1);
    }
  };

  b.i32(0).set(j);
  if (rows > 1) {
    // groups of `rows` pairs while n − j ≥ rows
    b.block().loop();
    b.get(P.n).get(j).sub().i32(rows).ltU().brIf(1);
    rowAddresses(rows);
    if (storeAcc) {
      // a shared output row would be loaded twice and stored twice: take such groups one by one
      for (let r1 = 1; r1 < rows; r1++)
        for (let r0 = 0; r0 < r1; r0++) {
          b.get(outRow[r0]).get(outRow[r1]).eq();
          if (r1 > 1 || r0 > 0) b.or();
        }
      b.ifThen();
      oneByOne(rows);
      b.else_();
      pairs(rows);
      b.end();
    } else {
      pairs(rows);
    }
    b.get(j).i32(rows).add().set(j);
    b.br(0).end().end();
  }
  // the remaining pairs one at a time
  b.block().loop();
  b.get(j).get(P.n).geU().brIf(1);
  rowAddresses(1);
  pairs(1);
  b.get(j).i32(1).add().set(j);
  b.br(0).end().end();
  return { name, params: [I32, I32, I32, I32, I32, I32], results: [], body: b };
}

/** conv_fwd: acc[r][q] += s[r] · W[ci][q] (each W vector loaded once for the group). */
function fwdFunc(cin: number, cout: number, blocking: ConvBlocking): FuncDef {
  const P = { x: 0, mat: 1, inIdx: 2, outIdx: 3, n: 4, rows: 5 };
  const fwdStep: ConvStep = (b, { s, wp, t, acc }, nr, q, offset) => {
    b.get(wp).loadV128(offset).set(t);
    for (let r = 0; r < nr; r++) b.get(acc[r][q]).get(s[r]).get(t).mulF32x4().addF32x4().set(acc[r][q]);
  };
  return convFunc('conv_fwd', cin, cout, P, fwdStep, true, blocking);
}

/** conv_dw: dW[ci][q] += s[r] · dy_r[q] for the group's pairs in order (acc holds the dy rows). */
function dwFunc(cin: number, cout: number, blocking: ConvBlocking): FuncDef {
  const P = { x: 0, rows: 1, inIdx: 2, outIdx: 3, n: 4, mat: 5 };
  const dwStep: ConvStep = (b, { s, wp, acc }, nr, q, offset) => {
    b.get(wp);
    b.get(wp).loadV128(offset);
    for (let r = 0; r < nr; r++) b.get(s[r]).get(acc[r][q]).mulF32x4().addF32x4();
    b.storeV128(offset);
  };
  return convFunc('conv_dw', cin, cout, P, dwStep, false, blocking);
}

export interface ConvKernels {
  conv_fwd(x: number, w: number, inIdx: number, outIdx: number, n: number, dst: number): void;
  conv_dw(x: number, dy: number, inIdx: number, outIdx: number, n: number, dw: number): void;
}

/** Module bytes of the kernels for one (Cin, Cout); Cout must be a multiple of 4. */
export function convKernelBytes(
  cin: number,
  cout: number,
  shared: boolean,
  blocking: ConvBlocking = DEFAULT_BLOCKING,
): Uint8Array {
  if (cout % 4 !== 0 || cout <= 0 || cin <= 0)
    throw new RangeError(`conv kernels need Cout % 4 = 0 (got ${cin}→${cout})`);
  const { rows, block, unroll } = blocking;
  if (![rows, block, unroll].every((v) => Number.isInteger(v) && v >= 1))
    throw new RangeError(`conv kernel blocking needs positive integers (got ${JSON.stringify(blocking)})`);
  return buildModule([fwdFunc(cin, cout, blocking), dwFunc(cin, cout, blocking)], { shared });
}

/** A cache of instantiated kernels per (Cin, Cout, blocking) on one memory. */
export class ConvKernelCache {
  readonly #cache = new Map<number, ConvKernels>();
  readonly #shared: boolean;
  constructor(private readonly memory: WebAssembly.Memory) {
    this.#shared = isSharedMemory(memory);
  }
  get(cin: number, cout: number, blocking: ConvBlocking = DEFAULT_BLOCKING): ConvKernels {
    const { rows, block, unroll } = blocking;
    const key = (cin * 65536 + cout) * 65536 + ((rows * 64 + block) * 64 + unroll);
    let k = this.#cache.get(key);
    if (!k) {
      k = instantiateOn<ConvKernels>(convKernelBytes(cin, cout, this.#shared, blocking), this.memory);
      this.#cache.set(key, k);
    }
    return k;
  }
}
