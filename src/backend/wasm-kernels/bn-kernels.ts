/**
 * Batch-norm kernels in WebAssembly SIMD on the tfjs heap (rows of C floats, C a multiple of
 * 4; per-channel vectors are C floats in memory):
 *   bn_sum(x, n, c, mean, acc)            acc[ch] += Σ_rows (x − mean)   (mean = 0 → sums)
 *   bn_sumsq(x, n, c, mean, acc)          acc[ch] += Σ_rows (x − mean)²
 *   bn_apply(x, n, c, scale, shift, relu, y)           y = x·scale + shift (then max(·, 0))
 *   bn_grad_sums(x, dy, y, n, c, mean, invstd, relu, dbeta, dgamma)
 *        d = relu ? dy·[y > 0] : dy;  dbeta += Σ d;  dgamma += Σ d·(x − mean)·invstd
 *   bn_grad_apply(x, dy, y, n, c, mean, invstd, k1, k2, k3, relu, dx)
 *        dx = k1·(d − k2 − (x − mean)·invstd·k3)
 * Pointers are byte offsets; relu is 0/1. Per-row loops over C/4 vectors with the per-channel
 * vectors read from L1.
 */
import { Body, I32, V128, buildModule, type FuncDef } from './assembler.js';

/** for (j = 0; j < n; j++) for (q = 0; q < c·4 bytes; q += 16) body(rowByteOffset + q, q) */
function rowsAndVectors(b: Body, n: number, c: number, body: (rowOff: number, q: number) => void): void {
  const j = b.local(I32);
  const q = b.local(I32);
  const row = b.local(I32);
  const rowBytes = b.local(I32);
  b.get(c).i32(2).shl().set(rowBytes);
  b.i32(0).set(row);
  b.forRange(
    j,
    () => b.i32(0),
    n,
    1,
    () => {
      b.forRange(
        q,
        () => b.i32(0),
        rowBytes,
        16,
        () => body(row, q),
      );
      b.get(row).get(rowBytes).add().set(row);
    },
  );
}

function sumFunc(name: string, squared: boolean): FuncDef {
  const P = { x: 0, n: 1, c: 2, mean: 3, acc: 4 };
  const b = new Body(5);
  const v = b.local(V128);
  rowsAndVectors(b, P.n, P.c, (row, q) => {
    b.get(P.x).get(row).add().get(q).add().loadV128();
    b.get(P.mean).get(q).add().loadV128().subF32x4().set(v);
    b.get(P.acc).get(q).add();
    b.get(P.acc).get(q).add().loadV128();
    if (squared) b.get(v).get(v).mulF32x4();
    else b.get(v);
    b.addF32x4().storeV128();
  });
  return { name, params: [I32, I32, I32, I32, I32], results: [], body: b };
}

function applyFunc(): FuncDef {
  const P = { x: 0, n: 1, c: 2, scale: 3, shift: 4, relu: 5, y: 6 };
  const b = new Body(7);
  const v = b.local(V128);
  const zero = b.local(V128);
  b.f32(0).splatF32x4().set(zero);
  rowsAndVectors(b, P.n, P.c, (row, q) => {
    b.get(P.x).get(row).add().get(q).add().loadV128();
    b.get(P.scale).get(q).add().loadV128().mulF32x4();
    b.get(P.shift).get(q).add().loadV128().addF32x4().set(v);
    b.get(P.relu).emit(0x04, 0x40); // if relu
    b.get(v).get(zero).maxF32x4().set(v);
    b.end();
    b.get(P.y).get(row).add().get(q).add().get(v).storeV128();
  });
  return { name: 'bn_apply', params: [I32, I32, I32, I32, I32, I32, I32], results: [], body: b };
}

/** d = relu ? dy & (y > 0) : dy, left on the stack. */
function gradIn(b: Body, dyAddr: () => void, yAddr: () => void, relu: number, zero: number, d: number): void {
  dyAddr();
  b.loadV128().set(d);
  b.get(relu).emit(0x04, 0x40);
  b.get(d);
  yAddr();
  b.loadV128().get(zero).gtF32x4().andV128().set(d);
  b.end();
}

function gradSumsFunc(): FuncDef {
  const P = { x: 0, dy: 1, y: 2, n: 3, c: 4, mean: 5, invstd: 6, relu: 7, dbeta: 8, dgamma: 9 };
  const b = new Body(10);
  const d = b.local(V128);
  const zero = b.local(V128);
  b.f32(0).splatF32x4().set(zero);
  rowsAndVectors(b, P.n, P.c, (row, q) => {
    gradIn(
      b,
      () => b.get(P.dy).get(row).add().get(q).add(),
      () => b.get(P.y).get(row).add().get(q).add(),
      P.relu,
      zero,
      d,
    );
    b.get(P.dbeta).get(q).add();
    b.get(P.dbeta).get(q).add().loadV128().get(d).addF32x4().storeV128();
    b.get(P.dgamma).get(q).add();
    b.get(P.dgamma).get(q).add().loadV128();
    b.get(P.x).get(row).add().get(q).add().loadV128();
    b.get(P.mean).get(q).add().loadV128().subF32x4();
    b.get(P.invstd).get(q).add().loadV128().mulF32x4();
    b.get(d).mulF32x4().addF32x4().storeV128();
  });
  return { name: 'bn_grad_sums', params: Array(10).fill(I32), results: [], body: b };
}

function gradApplyFunc(): FuncDef {
  const P = { x: 0, dy: 1, y: 2, n: 3, c: 4, mean: 5, invstd: 6, k1: 7, k2: 8, k3: 9, relu: 10, dx: 11 };
  const b = new Body(12);
  const d = b.local(V128);
  const zero = b.local(V128);
  b.f32(0).splatF32x4().set(zero);
  rowsAndVectors(b, P.n, P.c, (row, q) => {
    gradIn(
      b,
      () => b.get(P.dy).get(row).add().get(q).add(),
      () => b.get(P.y).get(row).add().get(q).add(),
      P.relu,
      zero,
      d,
    );
    b.get(P.dx).get(row).add().get(q).add();
    b.get(d);
    b.get(P.k2).get(q).add().loadV128().subF32x4();
    b.get(P.x).get(row).add().get(q).add().loadV128();
    b.get(P.mean).get(q).add().loadV128().subF32x4();
    b.get(P.invstd).get(q).add().loadV128().mulF32x4();
    b.get(P.k3).get(q).add().loadV128().mulF32x4();
    b.subF32x4();
    b.get(P.k1).get(q).add().loadV128().mulF32x4();
    b.storeV128();
  });
  return { name: 'bn_grad_apply', params: Array(12).fill(I32), results: [], body: b };
}

export interface BnKernels {
  bn_sum(x: number, n: number, c: number, mean: number, acc: number): void;
  bn_sumsq(x: number, n: number, c: number, mean: number, acc: number): void;
  bn_apply(x: number, n: number, c: number, scale: number, shift: number, relu: number, y: number): void;
  bn_grad_sums(
    x: number,
    dy: number,
    y: number,
    n: number,
    c: number,
    mean: number,
    invstd: number,
    relu: number,
    dbeta: number,
    dgamma: number,
  ): void;
  bn_grad_apply(
    x: number,
    dy: number,
    y: number,
    n: number,
    c: number,
    mean: number,
    invstd: number,
    k1: number,
    k2: number,
    k3: number,
    relu: number,
    dx: number,
  ): void;
}

/** Instantiates the batch-norm kernels on `memory`. */
export function instantiateBnKernels(memory: WebAssembly.Memory): BnKernels {
  const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
  const bytes = buildModule(
    [sumFunc('bn_sum', false), sumFunc('bn_sumsq', true), applyFunc(), gradSumsFunc(), gradApplyFunc()],
    { shared },
  );
  const mod = new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>);
  return new WebAssembly.Instance(mod, { env: { memory } }).exports as unknown as BnKernels;
}
