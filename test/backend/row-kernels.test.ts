/**
 * The run-time generated WebAssembly row kernels against plain loops, for shared and unshared
 * memories and row widths that exercise both the SIMD body and the scalar tail; and the wasm
 * backend actually uses them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { instantiateRowKernels } from '../../src/backend/wasm-kernels/row-kernels.js';
import { hostBackend } from '../../src/sparse/host-backend.js';
import { useBackend, rng } from '../helpers/backends.js';

test('gather_rows / scatter_add_rows / gather_cols equal reference loops', () => {
  const r = rng(3);
  for (const shared of [false, true]) {
    const mem = new WebAssembly.Memory(
      shared ? { initial: 4, maximum: 65536, shared: true } : { initial: 4 },
    );
    const k = instantiateRowKernels(mem);
    const f = new Float32Array(mem.buffer);
    const i32 = new Int32Array(mem.buffer);
    for (const c of [1, 3, 4, 7, 8, 33]) {
      const n = 37;
      const rows = 23;
      const [src, idx, dst, out] = [1024, 40960, 65536, 131072];
      for (let i = 0; i < rows * c; i++) f[src / 4 + i] = r() - 0.5;
      const ix = Array.from({ length: n }, () => Math.floor(r() * rows));
      ix.forEach((v, j) => (i32[idx / 4 + j] = v));
      k.gather_rows(src, idx, n, c, dst);
      for (let j = 0; j < n; j++)
        for (let q = 0; q < c; q++) assert.equal(f[dst / 4 + j * c + q], f[src / 4 + ix[j] * c + q]);
      const want = new Float32Array(rows * c).fill(0.25);
      for (let i = 0; i < rows * c; i++) f[out / 4 + i] = 0.25;
      ix.forEach((v, j) => {
        for (let q = 0; q < c; q++) want[v * c + q] += f[dst / 4 + j * c + q];
      });
      k.scatter_add_rows(dst, idx, n, c, out);
      for (let i = 0; i < rows * c; i++)
        assert.ok(Math.abs(f[out / 4 + i] - want[i]) < 1e-6, `shared=${shared} c=${c}`);
      k.gather_cols(src, idx, n, c, dst, 0);
      for (let j = 0; j < n; j++)
        for (let q = 0; q < c; q++) assert.equal(f[dst / 4 + q * n + j], f[src / 4 + ix[j] * c + q]);
      k.gather_cols(src, 0, rows, c, dst, 1);
      for (let j = 0; j < rows; j++)
        for (let q = 0; q < c; q++) assert.equal(f[dst / 4 + q * rows + j], f[src / 4 + j * c + q]);
    }
  }
});

test('the wasm backend gathers rows with the SIMD kernels', async () => {
  await useBackend('wasm');
  assert.equal(hostBackend()?.rowOps, 'wasm-simd');
  await useBackend('cpu');
  assert.equal(hostBackend()?.rowOps, 'js');
});
