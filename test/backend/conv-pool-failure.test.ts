/**
 * The conv thread pool when a worker fails or stops answering: the caller must neither hang nor
 * return wrong numbers. A worker that never takes its task has it taken over by the caller; a
 * worker's exception is reported (ConvPoolError, recoverable) and the pool then runs on the
 * caller alone; a conv op whose pool fails part-way is recomputed and equals the reference.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { ConvPool, CTRL, type PoolWorkerInit } from '../../src/backend/conv-pool-control.js';
import { nodeConvPool } from '../../src/backend/conv-thread-pool.js';
import {
  ConvPoolError,
  parallelConv,
  runTask,
  setParallelConv,
  type ConvTask,
  type ParallelConv,
} from '../../src/backend/parallel.js';
import { ConvKernelCache, DEFAULT_BLOCKING } from '../../src/backend/wasm-kernels/conv-kernels.js';
import { initBackend } from '../../src/backend/select.js';
import { CoordSet } from '../../src/sparse/coord-set.js';
import { CoordinateManager } from '../../src/sparse/coordinate-manager.js';
import { sparseConvOp } from '../../src/sparse/conv-op.js';
import { assertClose, randomBatchCoords, rng } from '../helpers/backends.js';

const CIN = 8;
const COUT = 8;
const PAIRS = 400;
const N_IN = 300;
const N_OUT = 200;

/**
 * A forward conv laid out in a shared memory by hand: x, W, the pair lists (sorted by output
 * row) and dst, and its dense oracle dst[out_j] += x[in_j] · W.
 */
function handConv(seed: number) {
  const memory = new WebAssembly.Memory({ initial: 4, maximum: 64, shared: true });
  const r = rng(seed);
  const xOff = 0;
  const wOff = xOff + N_IN * CIN * 4;
  const inOff = wOff + CIN * COUT * 4;
  const outIdxOff = inOff + PAIRS * 4;
  const dstOff = outIdxOff + PAIRS * 4;
  const x = new Float32Array(memory.buffer, xOff, N_IN * CIN);
  const w = new Float32Array(memory.buffer, wOff, CIN * COUT);
  const inIdx = new Int32Array(memory.buffer, inOff, PAIRS);
  const outIdx = new Int32Array(memory.buffer, outIdxOff, PAIRS);
  for (let i = 0; i < x.length; i++) x[i] = r() - 0.5;
  for (let i = 0; i < w.length; i++) w[i] = r() - 0.5;
  const outs = Array.from({ length: PAIRS }, () => Math.floor(r() * N_OUT)).sort((a, b) => a - b);
  for (let j = 0; j < PAIRS; j++) {
    inIdx[j] = Math.floor(r() * N_IN);
    outIdx[j] = outs[j];
  }
  const expected = new Float64Array(N_OUT * COUT);
  for (let j = 0; j < PAIRS; j++)
    for (let ci = 0; ci < CIN; ci++)
      for (let q = 0; q < COUT; q++)
        expected[outIdx[j] * COUT + q] += x[inIdx[j] * CIN + ci] * w[ci * COUT + q];
  const dst = () => new Float32Array(memory.buffer, dstOff, N_OUT * COUT);
  /** Two tasks: pairs [0, half) here, [half, PAIRS) on worker 1 (disjoint output rows). */
  const tasks = (half: number, workerCalls?: number[]): ConvTask[] => {
    const task = (calls: number[]): ConvTask => ({
      kind: 'fwd',
      cin: CIN,
      cout: COUT,
      blocking: DEFAULT_BLOCKING,
      calls,
    });
    return [
      task([xOff, wOff, inOff, outIdxOff, half, dstOff]),
      task(workerCalls ?? [xOff, wOff, inOff + half * 4, outIdxOff + half * 4, PAIRS - half, dstOff]),
    ];
  };
  // split where the output row changes, so the two threads own different rows
  let half = PAIRS >> 1;
  while (half < PAIRS && outIdx[half] === outIdx[half - 1]) half++;
  return {
    memory,
    expected,
    dst,
    /** The first output row worker 1 owns. */
    workerRow0: outIdx[half],
    tasks: (callerCalls?: number[], workerCalls?: number[]) => {
      const t = tasks(half, workerCalls);
      if (callerCalls) t[0] = { ...t[0], calls: callerCalls };
      return t;
    },
  };
}

/** Captures console.warn while `f` runs. */
async function warnings(f: () => void | Promise<void>): Promise<string[]> {
  const seen: string[] = [];
  const warn = console.warn;
  console.warn = (...a: unknown[]) => void seen.push(a.join(' '));
  try {
    await f();
  } finally {
    console.warn = warn;
  }
  return seen;
}

async function until(ready: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !ready(); i++) await new Promise((r) => setTimeout(r, 50));
  assert.ok(ready(), 'the pool did not start');
}

/** Runs `body` with a started two-thread pool of real workers on `conv`'s memory, then closes it. */
async function withWorkerPool(
  conv: ReturnType<typeof handConv>,
  body: (
    pool: ReturnType<typeof nodeConvPool>,
    local: ReturnType<ConvKernelCache['get']>,
  ) => Promise<void> | void,
): Promise<void> {
  const pool = nodeConvPool(conv.memory, 2, { claimAfterMs: 30_000, stuckAfterMs: 60_000 });
  try {
    await until(() => pool.ready);
    await body(pool, new ConvKernelCache(conv.memory).get(CIN, COUT));
  } finally {
    await pool.close();
  }
}

/** What `f` throws (undefined when it returns). */
function thrownBy(f: () => void): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe('conv thread pool: a worker that fails or does not answer', () => {
  test('a worker that started but never takes its task: the caller takes it over, the result is exact', async () => {
    const conv = handConv(1);
    // a "worker" that counts itself ready and then never serves (a thread that died or hangs)
    const pool = new ConvPool(
      conv.memory,
      2,
      (init: PoolWorkerInit) => {
        Atomics.add(new Int32Array(init.ctrl), CTRL.ready, 1);
        return { terminate: () => undefined };
      },
      { claimAfterMs: 100, stuckAfterMs: 60_000 },
    );
    const local = new ConvKernelCache(conv.memory).get(CIN, COUT);
    const seen = await warnings(() => pool.run(conv.tasks(), local));
    assertClose(conv.dst(), conv.expected, 1e-5, 'taken-over result');
    assert.match(pool.broken ?? '', /worker 1 did not answer/);
    assert.equal(seen.length, 1);
    assert.match(seen[0], /now run on the calling thread/);
    // later calls run on the caller alone, without waiting again
    conv.dst().fill(0);
    const t0 = Date.now();
    pool.run(conv.tasks(), local);
    assert.ok(Date.now() - t0 < 100, 'a broken pool still waited for its worker');
    assertClose(conv.dst(), conv.expected, 1e-5, 'second result');
  });

  test("a worker's exception is reported, not waited on forever; the pool then runs on the caller", async () => {
    const conv = handConv(2);
    await withWorkerPool(conv, async (pool, local) => {
      // the worker's calls point far past the memory: its kernel traps
      const bad = conv.tasks(undefined, [0x7ff00000, 0, 0, 0, 4, 0]);
      const t0 = Date.now();
      let thrown: unknown;
      const seen = await warnings(() => {
        thrown = thrownBy(() => pool.run(bad, local));
      });
      assert.ok(thrown instanceof ConvPoolError, `expected a ConvPoolError, got ${String(thrown)}`);
      assert.equal(thrown.recoverable, true);
      assert.match(thrown.message, /worker 1 failed: RuntimeError/);
      assert.ok(Date.now() - t0 < 20_000, 'the caller waited for the claim timeout');
      assert.equal(seen.length, 1);
      conv.dst().fill(0);
      pool.run(conv.tasks(), local);
      assertClose(conv.dst(), conv.expected, 1e-5, 'after the failure');
    });
  });

  test("the caller's own task failing is rethrown only after the workers are done with its buffers", async () => {
    const conv = handConv(3);
    await withWorkerPool(conv, (pool, local) => {
      conv.dst().fill(0);
      const thrown = thrownBy(() => pool.run(conv.tasks([0x7ff00000, 0, 0, 0, 4, 0]), local));
      // the caller's kernel trapped: its own error, not the pool's, and the pool stays whole
      assert.ok(thrown instanceof Error && !(thrown instanceof ConvPoolError), `got ${String(thrown)}`);
      assert.match(thrown.name, /RuntimeError/);
      assert.equal(pool.broken, undefined);
      // when it was thrown, the worker had finished its rows
      const dst = conv.dst();
      const from = conv.workerRow0 * COUT;
      assertClose(dst.subarray(from), conv.expected.subarray(from), 1e-5, "the worker's rows");
      dst.fill(0);
      pool.run(conv.tasks(), local);
      assertClose(conv.dst(), conv.expected, 1e-5, 'the next call');
    });
  });

  test('a sparse conv whose pool fails part-way is recomputed: forward, dF and dW equal the reference', async () => {
    await initBackend({ backend: 'wasm', threads: 1 });
    const installed = parallelConv();
    let calls = 0;
    let failOn = 0;
    // a pool that, on its failOn-th run, does the caller's half and then fails; else runs everything
    const flaky: ParallelConv = {
      threads: 2,
      ready: true,
      run(tasks, local) {
        calls++;
        if (calls === failOn) {
          runTask(tasks[0], local);
          throw new ConvPoolError('test: worker 1 failed', true);
        }
        for (const t of tasks) runTask(t, local);
      },
    };
    const r = rng(5);
    const map = new CoordinateManager(CoordSet.fromBatchCoords(randomBatchCoords(r))).subMap(1);
    const f = Float32Array.from({ length: map.nIn * 8 }, () => r() - 0.5);
    const w = Float32Array.from({ length: map.volume * 8 * 8 }, () => r() - 0.5);
    const g = Float32Array.from({ length: map.nOut * 8 }, () => r() - 0.5);
    const run = (generic: boolean) =>
      tf.tidy(() => {
        const ft = tf.tensor2d(f, [map.nIn, 8]);
        const wt = tf.tensor3d(w, [map.volume, 8, 8]);
        const out = sparseConvOp(ft, wt, map, { generic }).dataSync();
        const grads = tf
          .grads((a: tf.Tensor, b: tf.Tensor) =>
            tf.sum(
              tf.mul(
                sparseConvOp(a as tf.Tensor2D, b as tf.Tensor3D, map, { generic }),
                tf.tensor2d(g, [map.nOut, 8]),
              ),
            ),
          )([ft, wt])
          .map((t) => t.dataSync());
        return { out, grads };
      });
    const reference = run(true);
    // the runs of one step: the forward, the forward again inside tf.grads, dF, dW
    for (failOn = 1; failOn <= 4; failOn++) {
      calls = 0;
      setParallelConv(flaky);
      try {
        const got = run(false);
        assert.ok(calls >= failOn, `run ${failOn}: the pool ran only ${calls} times`);
        assertClose(got.out, reference.out, 1e-4, `failure in run ${failOn}: forward`);
        assertClose(got.grads[0], reference.grads[0], 1e-4, `failure in run ${failOn}: dF`);
        assertClose(got.grads[1], reference.grads[1], 1e-4, `failure in run ${failOn}: dW`);
      } finally {
        setParallelConv(installed);
      }
    }
  });
});
