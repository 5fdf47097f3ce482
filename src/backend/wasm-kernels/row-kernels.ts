/**
 * Row gather / scatter-add kernels in WebAssembly SIMD, generated at run time and instantiated
 * on the tfjs wasm backend's own memory, so sparse-conv data never leaves the heap:
 *   gather_rows(src, idx, n, c, dst)            dst[j] = src[idx[j]]                (rows of c f32)
 *   scatter_add_rows(src, idx, n, c, dst)       dst[idx[j]] += src[j]
 *   gather_cols(src, idx, n, c, dst, identity)  dst[ch·n + j] = src[row_j·c + ch]  (transposed gather)
 * Pointers are byte offsets into the memory; idx points at n int32 row indices.
 */
import { Body, I32, buildModule, instantiateOn, isSharedMemory, type FuncDef } from './assembler.js';

const P = { src: 0, idx: 1, n: 2, c: 3, dst: 4, identity: 5 };

/** Emits `for k in [start, end) step 16 / 4` copies or adds of one row. */
function rowLoop(
  b: Body,
  s: number,
  d: number,
  k: number,
  vecBytes: number,
  rowBytes: number,
  add: boolean,
): void {
  b.forRange(
    k,
    () => b.i32(0),
    vecBytes,
    16,
    () => {
      b.get(d).get(k).add();
      if (add) b.get(d).get(k).add().loadV128().get(s).get(k).add().loadV128().addF32x4();
      else b.get(s).get(k).add().loadV128();
      b.storeV128();
    },
  );
  b.forRange(
    k,
    () => b.get(vecBytes),
    rowBytes,
    4,
    () => {
      b.get(d).get(k).add();
      if (add) b.get(d).get(k).add().loadF32().get(s).get(k).add().loadF32().addF32();
      else b.get(s).get(k).add().loadF32();
      b.storeF32();
    },
  );
}

function rowFunc(name: string, add: boolean): FuncDef {
  const b = new Body(5);
  // moving: the sequential side, dst for gather, src for scatter
  const [rowBytes, vecBytes, j, s, d, k, moving] = b.localsOf(I32, 7);
  b.get(P.c).i32(2).shl().set(rowBytes);
  b.get(P.c).i32(-4).and().i32(2).shl().set(vecBytes);
  b.get(add ? P.src : P.dst).set(moving);
  b.forCount(j, P.n, () => {
    // row address on the indexed side
    b.get(add ? P.dst : P.src)
      .elemAddr(P.idx, j)
      .loadI32();
    b.get(rowBytes)
      .mul()
      .add()
      .set(add ? d : s);
    b.get(moving).set(add ? s : d);
    rowLoop(b, s, d, k, vecBytes, rowBytes, add);
    b.get(moving).get(rowBytes).add().set(moving);
  });
  return { name, params: [I32, I32, I32, I32, I32], results: [], body: b };
}

function colFunc(): FuncDef {
  const b = new Body(6);
  const [rowBytes, colStride, j, s, d, ch] = b.localsOf(I32, 6);
  b.get(P.c).i32(2).shl().set(rowBytes);
  b.get(P.n).i32(2).shl().set(colStride);
  b.forCount(j, P.n, () => {
    // s = src + row·rowBytes, row = identity ? j : idx[j]
    b.get(P.src);
    b.get(P.identity).eqz();
    b.emit(0x04, I32); // if (result i32)
    b.elemAddr(P.idx, j).loadI32();
    b.emit(0x05); // else
    b.get(j);
    b.end();
    b.get(rowBytes).mul().add().set(s);
    b.elemAddr(P.dst, j).set(d);
    b.forCount(ch, P.c, () => {
      b.get(d).get(s).loadF32().storeF32();
      b.get(s).i32(4).add().set(s);
      b.get(d).get(colStride).add().set(d);
    });
  });
  return { name: 'gather_cols', params: [I32, I32, I32, I32, I32, I32], results: [], body: b };
}

export interface RowKernels {
  gather_rows(src: number, idx: number, n: number, c: number, dst: number): void;
  scatter_add_rows(src: number, idx: number, n: number, c: number, dst: number): void;
  gather_cols(src: number, idx: number, n: number, c: number, dst: number, identity: number): void;
}

/** The kernel module's bytes for a shared or unshared memory. */
export function rowKernelBytes(shared: boolean): Uint8Array {
  return buildModule([rowFunc('gather_rows', false), rowFunc('scatter_add_rows', true), colFunc()], {
    shared,
  });
}

/** Instantiates the kernels on `memory` (synchronously; the module is a few hundred bytes). */
export function instantiateRowKernels(memory: WebAssembly.Memory): RowKernels {
  return instantiateOn<RowKernels>(rowKernelBytes(isSharedMemory(memory)), memory);
}
