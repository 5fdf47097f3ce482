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
import { Body, I32, V128, buildModule, instantiateOn, isSharedMemory, type FuncDef } from './assembler.js';

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
    rowVec(b, P.x, row, q).loadV128();
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
    rowVec(b, P.x, row, q).loadV128();
    b.get(P.scale).get(q).add().loadV128().mulF32x4();
    b.get(P.shift).get(q).add().loadV128().addF32x4().set(v);
    b.get(P.relu).emit(0x04, 0x40); // if relu
    b.get(v).get(zero).maxF32x4().set(v);
    b.end();
    rowVec(b, P.y, row, q).get(v).storeV128();
  });
  return { name: 'bn_apply', params: [I32, I32, I32, I32, I32, I32, I32], results: [], body: b };
}

/** Pushes the byte address of vector q of row `row` of the rows at parameter `base`. */
function rowVec(b: Body, base: number, row: number, q: number): Body {
  return b.get(base).get(row).add().get(q).add();
}

/** Pushes (x − mean)·invstd for vector q of row `row`. */
function normalized(b: Body, P: { x: number; mean: number; invstd: number }, row: number, q: number): void {
  rowVec(b, P.x, row, q).loadV128();
  b.get(P.mean).get(q).add().loadV128().subF32x4();
  b.get(P.invstd).get(q).add().loadV128().mulF32x4();
}

/** Parameter slots both gradient kernels have, at the same places. */
interface GradParams {
  x: number;
  dy: number;
  y: number;
  n: number;
  c: number;
  mean: number;
  invstd: number;
  relu: number;
}

/**
 * A gradient kernel of `nParams` i32 parameters: per row and vector, d = relu ? dy & (y > 0)
 * : dy into the local `d`, then `rest` emits what is done with it.
 */
function gradFunc(
  name: string,
  nParams: number,
  P: GradParams,
  rest: (b: Body, row: number, q: number, d: number) => void,
): FuncDef {
  const b = new Body(nParams);
  const d = b.local(V128);
  const zero = b.local(V128);
  b.f32(0).splatF32x4().set(zero);
  rowsAndVectors(b, P.n, P.c, (row, q) => {
    rowVec(b, P.dy, row, q).loadV128().set(d);
    b.get(P.relu).emit(0x04, 0x40); // if relu
    b.get(d);
    rowVec(b, P.y, row, q).loadV128().get(zero).gtF32x4().andV128().set(d);
    b.end();
    rest(b, row, q, d);
  });
  return { name, params: Array(nParams).fill(I32), results: [], body: b };
}

function gradSumsFunc(): FuncDef {
  const P = { x: 0, dy: 1, y: 2, n: 3, c: 4, mean: 5, invstd: 6, relu: 7, dbeta: 8, dgamma: 9 };
  return gradFunc('bn_grad_sums', 10, P, (b, row, q, d) => {
    b.get(P.dbeta).get(q).add();
    b.get(P.dbeta).get(q).add().loadV128().get(d).addF32x4().storeV128();
    b.get(P.dgamma).get(q).add();
    b.get(P.dgamma).get(q).add().loadV128();
    normalized(b, P, row, q);
    b.get(d).mulF32x4().addF32x4().storeV128();
  });
}

function gradApplyFunc(): FuncDef {
  const P = { x: 0, dy: 1, y: 2, n: 3, c: 4, mean: 5, invstd: 6, k1: 7, k2: 8, k3: 9, relu: 10, dx: 11 };
  return gradFunc('bn_grad_apply', 12, P, (b, row, q, d) => {
    rowVec(b, P.dx, row, q);
    b.get(d);
    b.get(P.k2).get(q).add().loadV128().subF32x4();
    normalized(b, P, row, q);
    b.get(P.k3).get(q).add().loadV128().mulF32x4();
    b.subF32x4();
    b.get(P.k1).get(q).add().loadV128().mulF32x4();
    b.storeV128();
  });
}

/** The leading arguments of both gradient kernels. */
type GradArgs = [x: number, dy: number, y: number, n: number, c: number, mean: number, invstd: number];

export interface BnKernels {
  bn_sum(x: number, n: number, c: number, mean: number, acc: number): void;
  bn_sumsq(x: number, n: number, c: number, mean: number, acc: number): void;
  bn_apply(x: number, n: number, c: number, scale: number, shift: number, relu: number, y: number): void;
  bn_grad_sums(...args: [...GradArgs, relu: number, dbeta: number, dgamma: number]): void;
  bn_grad_apply(...args: [...GradArgs, k1: number, k2: number, k3: number, relu: number, dx: number]): void;
}

/** Instantiates the batch-norm kernels on `memory`. */
export function instantiateBnKernels(memory: WebAssembly.Memory): BnKernels {
  const bytes = buildModule(
    [sumFunc('bn_sum', false), sumFunc('bn_sumsq', true), applyFunc(), gradSumsFunc(), gradApplyFunc()],
    { shared: isSharedMemory(memory) },
  );
  return instantiateOn<BnKernels>(bytes, memory);
}
