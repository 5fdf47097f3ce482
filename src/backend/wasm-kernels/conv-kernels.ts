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
import { Body, I32, V128, buildModule, type FuncDef } from './assembler.js';

/** Accumulator vectors kept in registers at once (x86 has 16 xmm registers). */
const BLOCK = 8;

function fwdFunc(cin: number, cout: number): FuncDef {
  const P = { x: 0, w: 1, inIdx: 2, outIdx: 3, n: 4, dst: 5 };
  const b = new Body(6);
  const j = b.local(I32);
  const src = b.local(I32);
  const drow = b.local(I32);
  const ci = b.local(I32);
  const wp = b.local(I32);
  const sp = b.local(I32);
  const s = b.local(V128);
  const q4 = cout / 4;
  const acc = Array.from({ length: Math.min(BLOCK, q4) }, () => b.local(V128));
  b.forRange(
    j,
    () => b.i32(0),
    P.n,
    1,
    () => {
      b.get(P.x)
        .get(P.inIdx)
        .get(j)
        .i32(2)
        .shl()
        .add()
        .loadI32()
        .i32(cin * 4)
        .mul()
        .add()
        .set(src);
      b.get(P.dst)
        .get(P.outIdx)
        .get(j)
        .i32(2)
        .shl()
        .add()
        .loadI32()
        .i32(cout * 4)
        .mul()
        .add()
        .set(drow);
      for (let q0 = 0; q0 < q4; q0 += BLOCK) {
        const nq = Math.min(BLOCK, q4 - q0);
        for (let q = 0; q < nq; q++)
          b.get(drow)
            .loadV128((q0 + q) * 16)
            .set(acc[q]);
        b.get(P.w).set(wp);
        b.get(src).set(sp);
        // for (ci = 0; ci < cin; ci++), a constant bound
        b.i32(0).set(ci);
        b.block().loop();
        b.get(ci).i32(cin).geU().brIf(1);
        b.get(sp).loadF32().splatF32x4().set(s);
        for (let q = 0; q < nq; q++) {
          b.get(acc[q])
            .get(s)
            .get(wp)
            .loadV128((q0 + q) * 16)
            .mulF32x4()
            .addF32x4()
            .set(acc[q]);
        }
        b.get(sp).i32(4).add().set(sp);
        b.get(wp)
          .i32(cout * 4)
          .add()
          .set(wp);
        b.get(ci).i32(1).add().set(ci);
        b.br(0).end().end();
        for (let q = 0; q < nq; q++)
          b.get(drow)
            .get(acc[q])
            .storeV128((q0 + q) * 16);
      }
    },
  );
  return { name: 'conv_fwd', params: [I32, I32, I32, I32, I32, I32], results: [], body: b };
}

function dwFunc(cin: number, cout: number): FuncDef {
  const P = { x: 0, dy: 1, inIdx: 2, outIdx: 3, n: 4, dw: 5 };
  const b = new Body(6);
  const j = b.local(I32);
  const xs = b.local(I32);
  const ds = b.local(I32);
  const ci = b.local(I32);
  const wp = b.local(I32);
  const sp = b.local(I32);
  const s = b.local(V128);
  const q4 = cout / 4;
  const d = Array.from({ length: Math.min(BLOCK, q4) }, () => b.local(V128));
  b.forRange(
    j,
    () => b.i32(0),
    P.n,
    1,
    () => {
      b.get(P.x)
        .get(P.inIdx)
        .get(j)
        .i32(2)
        .shl()
        .add()
        .loadI32()
        .i32(cin * 4)
        .mul()
        .add()
        .set(xs);
      b.get(P.dy)
        .get(P.outIdx)
        .get(j)
        .i32(2)
        .shl()
        .add()
        .loadI32()
        .i32(cout * 4)
        .mul()
        .add()
        .set(ds);
      for (let q0 = 0; q0 < q4; q0 += BLOCK) {
        const nq = Math.min(BLOCK, q4 - q0);
        for (let q = 0; q < nq; q++)
          b.get(ds)
            .loadV128((q0 + q) * 16)
            .set(d[q]);
        b.get(P.dw).set(wp);
        b.get(xs).set(sp);
        b.i32(0).set(ci);
        b.block().loop();
        b.get(ci).i32(cin).geU().brIf(1);
        b.get(sp).loadF32().splatF32x4().set(s);
        for (let q = 0; q < nq; q++) {
          b.get(wp);
          b.get(wp)
            .loadV128((q0 + q) * 16)
            .get(s)
            .get(d[q])
            .mulF32x4()
            .addF32x4();
          b.storeV128((q0 + q) * 16);
        }
        b.get(sp).i32(4).add().set(sp);
        b.get(wp)
          .i32(cout * 4)
          .add()
          .set(wp);
        b.get(ci).i32(1).add().set(ci);
        b.br(0).end().end();
      }
    },
  );
  return { name: 'conv_dw', params: [I32, I32, I32, I32, I32, I32], results: [], body: b };
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
    this.#shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
  }
  get(cin: number, cout: number): ConvKernels {
    const key = cin * 65536 + cout;
    let k = this.#cache.get(key);
    if (!k) {
      const mod = new WebAssembly.Module(convKernelBytes(cin, cout, this.#shared) as Uint8Array<ArrayBuffer>);
      k = new WebAssembly.Instance(mod, { env: { memory: this.memory } }).exports as unknown as ConvKernels;
      this.#cache.set(key, k);
    }
    return k;
  }
}
