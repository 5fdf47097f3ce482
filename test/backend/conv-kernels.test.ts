/**
 * The fused WebAssembly conv kernels against plain loops: forward accumulation and weight-grad
 * outer products, for channel counts below and above one register block, shared and unshared memory.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConvKernelCache, type ConvBlocking } from '../../src/backend/wasm-kernels/conv-kernels.js';
import { rng } from '../helpers/backends.js';

test('conv_fwd and conv_dw equal reference loops', () => {
  const r = rng(4);
  for (const shared of [false, true]) {
    const mem = new WebAssembly.Memory(
      shared ? { initial: 64, maximum: 65536, shared: true } : { initial: 64 },
    );
    const cache = new ConvKernelCache(mem);
    const f = new Float32Array(mem.buffer);
    const i32 = new Int32Array(mem.buffer);
    for (const [cin, cout] of [
      [3, 8],
      [8, 4],
      [16, 16],
      [5, 36],
      [64, 64],
    ]) {
      const k = cache.get(cin, cout);
      const nIn = 29;
      const nOut = 23;
      const n = 40;
      const [x, w, ii, oi, dst, dw, dy] = [1 << 12, 1 << 16, 1 << 17, 1 << 18, 1 << 19, 1 << 20, 1 << 21];
      const X = Array.from({ length: nIn * cin }, () => r() - 0.5);
      const W = Array.from({ length: cin * cout }, () => r() - 0.5);
      const DY = Array.from({ length: nOut * cout }, () => r() - 0.5);
      const ins = Array.from({ length: n }, () => Math.floor(r() * nIn));
      const outs = Array.from({ length: n }, () => Math.floor(r() * nOut));
      X.forEach((v, i) => (f[x / 4 + i] = v));
      W.forEach((v, i) => (f[w / 4 + i] = v));
      DY.forEach((v, i) => (f[dy / 4 + i] = v));
      ins.forEach((v, i) => (i32[ii / 4 + i] = v));
      outs.forEach((v, i) => (i32[oi / 4 + i] = v));
      const want = new Float64Array(nOut * cout).fill(0.5);
      for (let i = 0; i < nOut * cout; i++) f[dst / 4 + i] = 0.5;
      for (let j = 0; j < n; j++)
        for (let co = 0; co < cout; co++)
          for (let ci = 0; ci < cin; ci++)
            want[outs[j] * cout + co] += X[ins[j] * cin + ci] * W[ci * cout + co];
      k.conv_fwd(x, w, ii, oi, n, dst);
      for (let i = 0; i < nOut * cout; i++)
        assert.ok(Math.abs(f[dst / 4 + i] - want[i]) < 1e-4, `fwd ${cin}→${cout} at ${i}`);
      const wantDw = new Float64Array(cin * cout);
      for (let i = 0; i < cin * cout; i++) f[dw / 4 + i] = 0;
      for (let j = 0; j < n; j++)
        for (let ci = 0; ci < cin; ci++)
          for (let co = 0; co < cout; co++)
            wantDw[ci * cout + co] += X[ins[j] * cin + ci] * DY[outs[j] * cout + co];
      k.conv_dw(x, dy, ii, oi, n, dw);
      for (let i = 0; i < cin * cout; i++)
        assert.ok(Math.abs(f[dw / 4 + i] - wantDw[i]) < 1e-4, `dw ${cin}→${cout} at ${i}`);
    }
  }
});

test('every blocking gives the bits of the one-pair kernel, also where pairs share an output row', () => {
  const r = rng(9);
  const mem = new WebAssembly.Memory({ initial: 64 });
  const f = new Float32Array(mem.buffer);
  const i32 = new Int32Array(mem.buffer);
  const blockings: ConvBlocking[] = [
    { rows: 1, block: 8, unroll: 1 },
    { rows: 2, block: 4, unroll: 1 },
    { rows: 2, block: 3, unroll: 2 },
    { rows: 3, block: 2, unroll: 3 },
    { rows: 4, block: 1, unroll: 4 },
  ];
  for (const [cin, cout] of [
    [7, 12],
    [16, 36],
    [33, 8],
  ]) {
    const nIn = 31;
    const nOut = 27;
    const n = 45; // odd: a remainder pair after the groups
    const [x, w, ii, oi, dst, dw, dy] = [1 << 12, 1 << 16, 1 << 17, 1 << 18, 1 << 19, 1 << 20, 1 << 21];
    for (let i = 0; i < nIn * cin; i++) f[x / 4 + i] = r() - 0.5;
    for (let i = 0; i < cin * cout; i++) f[w / 4 + i] = r() - 0.5;
    for (let i = 0; i < nOut * cout; i++) f[dy / 4 + i] = r() - 0.5;
    for (let j = 0; j < n; j++) {
      i32[ii / 4 + j] = Math.floor(r() * nIn);
      // runs of a repeated output row, so that some groups share one
      i32[oi / 4 + j] = j % 5 < 2 ? 3 : Math.floor(r() * nOut);
    }
    let want: { fwd: Float32Array; dw: Float32Array } | undefined;
    for (const blocking of blockings) {
      const k = new ConvKernelCache(mem).get(cin, cout, blocking);
      f.fill(0.25, dst / 4, dst / 4 + nOut * cout);
      f.fill(0, dw / 4, dw / 4 + cin * cout);
      k.conv_fwd(x, w, ii, oi, n, dst);
      k.conv_dw(x, dy, ii, oi, n, dw);
      const got = { fwd: f.slice(dst / 4, dst / 4 + nOut * cout), dw: f.slice(dw / 4, dw / 4 + cin * cout) };
      if (!want) {
        want = got;
        continue;
      }
      const tag = `${cin}→${cout} ${JSON.stringify(blocking)}`;
      assert.deepEqual(got.fwd, want.fwd, `fwd ${tag}`);
      assert.deepEqual(got.dw, want.dw, `dw ${tag}`);
    }
  }
});

test('conv kernels refuse Cout not a multiple of 4', () => {
  const cache = new ConvKernelCache(new WebAssembly.Memory({ initial: 1 }));
  assert.throws(() => cache.get(8, 6), /Cout % 4 = 0/);
  assert.throws(() => cache.get(8, 8, { rows: 0, block: 4, unroll: 1 }), /positive integers/);
});
