/**
 * Fused sparse-convolution kernels in WebAssembly SIMD, generated at run time for each
 * (Cin, Cout) pair and instantiated on the tfjs wasm heap:
 *   conv_fwd(x, w, inIdx, outIdx, n, dst)  dst[out_j] += x[in_j] · W        (W: Cin×Cout, one offset)
 *   conv_dw(x, dy, inIdx, outIdx, n, dw)   dW += x[in_j]ᵀ · dy[out_j]        (outer products)
 * Rows are read straight from the tensors (no gathered copies, no GEMM set-up per offset); the
 * output row block (≤ 8 f32x4 accumulators) stays in registers across the Cin loop. Cout must be
 * a multiple of 4. For narrow layers (the CPU-sized networks) this beats gather → XNNPACK GEMM
 * → scatter, whose fixed cost per call dominates at 8–32 channels.
 */
import { Body, I32, V128, buildModule, instantiateOn, isSharedMemory, type FuncDef } from './assembler.js';

/** Accumulator vectors kept in registers at once (x86 has 16 xmm registers). */
const BLOCK = 8;

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
  /** x[in_j][ci] in all four lanes. */
  s: number;
  /** Byte address of row ci of the matrix. */
  wp: number;
  /** The block of Cout-row vectors, loaded from the rows side before the Cin loop. */
  acc: number[];
}

/**
 * The loop both conv kernels share: for each pair j, per block of ≤ BLOCK vectors of the Cout
 * row outIdx[j] (loaded into `acc`), a Cin loop (a constant bound) that splats x[inIdx[j]][ci]
 * into `s` and walks `wp` down the matrix rows; `step` emits the work on one vector q of the
 * block, and with `storeAcc` the block is written back to the Cout row after the loop.
 */
function convFunc(
  name: string,
  cin: number,
  cout: number,
  P: ConvParams,
  step: (b: Body, l: ConvLocals, q: number, offset: number) => void,
  storeAcc: boolean,
): FuncDef {
  const b = new Body(6);
  const [j, xRow, outRow, ci, wp, sp] = b.localsOf(I32, 6);
  const s = b.local(V128);
  const q4 = cout / 4;
  const acc = b.localsOf(V128, Math.min(BLOCK, q4));
  b.forCount(j, P.n, () => {
    // xRow = x + inIdx[j]·Cin·4, outRow = rows + outIdx[j]·Cout·4
    b.get(P.x).elemAddr(P.inIdx, j).loadI32();
    b.i32(cin * 4)
      .mul()
      .add()
      .set(xRow);
    b.get(P.rows).elemAddr(P.outIdx, j).loadI32();
    b.i32(cout * 4)
      .mul()
      .add()
      .set(outRow);
    for (let q0 = 0; q0 < q4; q0 += BLOCK) {
      const nq = Math.min(BLOCK, q4 - q0);
      for (let q = 0; q < nq; q++)
        b.get(outRow)
          .loadV128((q0 + q) * 16)
          .set(acc[q]);
      b.get(P.mat).set(wp);
      b.get(xRow).set(sp);
      b.i32(0).set(ci);
      b.block().loop();
      b.get(ci).i32(cin).geU().brIf(1);
      b.get(sp).loadF32().splatF32x4().set(s);
      for (let q = 0; q < nq; q++) step(b, { s, wp, acc }, q, (q0 + q) * 16);
      b.get(sp).i32(4).add().set(sp);
      b.get(wp)
        .i32(cout * 4)
        .add()
        .set(wp);
      b.get(ci).i32(1).add().set(ci);
      b.br(0).end().end();
      if (storeAcc)
        for (let q = 0; q < nq; q++)
          b.get(outRow)
            .get(acc[q])
            .storeV128((q0 + q) * 16);
    }
  });
  return { name, params: [I32, I32, I32, I32, I32, I32], results: [], body: b };
}

/** conv_fwd: acc[q] += s · W[ci][q], the block stored back to dst after the Cin loop. */
function fwdFunc(cin: number, cout: number): FuncDef {
  const P = { x: 0, mat: 1, inIdx: 2, outIdx: 3, n: 4, rows: 5 };
  const fwdStep = (b: Body, { s, wp, acc }: ConvLocals, q: number, offset: number): void => {
    b.get(acc[q]).get(s).get(wp).loadV128(offset).mulF32x4().addF32x4().set(acc[q]);
  };
  return convFunc('conv_fwd', cin, cout, P, fwdStep, true);
}

/** conv_dw: dW[ci][q] += s · dy[q] (acc holds the dy row). */
function dwFunc(cin: number, cout: number): FuncDef {
  const P = { x: 0, rows: 1, inIdx: 2, outIdx: 3, n: 4, mat: 5 };
  const dwStep = (b: Body, { s, wp, acc }: ConvLocals, q: number, offset: number): void => {
    b.get(wp);
    b.get(wp).loadV128(offset).get(s).get(acc[q]).mulF32x4().addF32x4();
    b.storeV128(offset);
  };
  return convFunc('conv_dw', cin, cout, P, dwStep, false);
}

export interface ConvKernels {
  conv_fwd(x: number, w: number, inIdx: number, outIdx: number, n: number, dst: number): void;
  conv_dw(x: number, dy: number, inIdx: number, outIdx: number, n: number, dw: number): void;
}

/** Module bytes of the kernels for one (Cin, Cout); Cout must be a multiple of 4. */
export function convKernelBytes(cin: number, cout: number, shared: boolean): Uint8Array {
  if (cout % 4 !== 0 || cout <= 0 || cin <= 0)
    throw new RangeError(`conv kernels need Cout % 4 = 0 (got ${cin}→${cout})`);
  return buildModule([fwdFunc(cin, cout), dwFunc(cin, cout)], { shared });
}

/** A cache of instantiated kernels per (Cin, Cout) on one memory. */
export class ConvKernelCache {
  readonly #cache = new Map<number, ConvKernels>();
  readonly #shared: boolean;
  constructor(private readonly memory: WebAssembly.Memory) {
    this.#shared = isSharedMemory(memory);
  }
  get(cin: number, cout: number): ConvKernels {
    const key = cin * 65536 + cout;
    let k = this.#cache.get(key);
    if (!k) {
      k = instantiateOn<ConvKernels>(convKernelBytes(cin, cout, this.#shared), this.memory);
      this.#cache.set(key, k);
    }
    return k;
  }
}
