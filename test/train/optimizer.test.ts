/**
 * Optimizers against hand-computed PyTorch-semantics updates, schedules at known steps, and
 * optimizer state round trips (what exact resume relies on).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { Optimizer, optimizerSchema } from '../../src/train/optimizer.js';
import { learningRate, scheduleSchema } from '../../src/train/schedule.js';
import { useBackend } from '../helpers/backends.js';

const near = (a: number, b: number, tol = 1e-6) => assert.ok(Math.abs(a - b) < tol, `${a} vs ${b}`);

test('SGD with momentum, dampening and weight decay follows PyTorch', async () => {
  await useBackend('cpu');
  const p = tf.variable(tf.tensor1d([1, -2]));
  const opt = new Optimizer(
    optimizerSchema.parse({ type: 'sgd', lr: 0.1, momentum: 0.8, dampening: 0.1, weightDecay: 0.01 }),
  );
  const g1 = [0.5, 1];
  opt.apply([['p', p]], new Map([['p', tf.tensor1d(g1)]]), 0.1);
  // step 1: d = g + wd·p; buf = d; p -= lr·buf
  let buf = [0.5 + 0.01 * 1, 1 + 0.01 * -2];
  let w = [1 - 0.1 * buf[0], -2 - 0.1 * buf[1]];
  assert.deepEqual(
    Array.from(p.dataSync()).map((v) => +v.toFixed(6)),
    w.map((v) => +v.toFixed(6)),
  );
  opt.apply([['p', p]], new Map([['p', tf.tensor1d([-1, 0.25])]]), 0.05);
  const d = [-1 + 0.01 * w[0], 0.25 + 0.01 * w[1]];
  buf = buf.map((b, i) => 0.8 * b + 0.9 * d[i]);
  w = w.map((v, i) => v - 0.05 * buf[i]);
  Array.from(p.dataSync()).forEach((v, i) => near(v, w[i]));
});

test('Adam and AdamW follow PyTorch (bias correction, L2 vs decoupled decay)', async () => {
  await useBackend('cpu');
  for (const type of ['adam', 'adamw'] as const) {
    const p = tf.variable(tf.tensor1d([0.5]));
    const opt = new Optimizer(optimizerSchema.parse({ type, lr: 0.01, weightDecay: 0.1 }));
    let w = 0.5;
    let m = 0;
    let v = 0;
    for (let t = 1; t <= 3; t++) {
      const g0 = 0.3 * t;
      opt.apply([['p', p]], new Map([['p', tf.tensor1d([g0])]]), 0.01);
      const g = type === 'adam' ? g0 + 0.1 * w : g0;
      m = 0.9 * m + 0.1 * g;
      v = 0.999 * v + 0.001 * g * g;
      const step = (0.01 * (m / (1 - 0.9 ** t))) / (Math.sqrt(v / (1 - 0.999 ** t)) + 1e-8);
      w = (type === 'adamw' ? w * (1 - 0.01 * 0.1) : w) - step;
      near(p.dataSync()[0], w, 1e-6);
    }
  }
});

test('gradient clipping scales by the global norm', async () => {
  await useBackend('cpu');
  const p = tf.variable(tf.tensor1d([0, 0]));
  const opt = new Optimizer(optimizerSchema.parse({ type: 'sgd', lr: 1, momentum: 0, clipGradNorm: 1 }));
  const norm = opt.apply([['p', p]], new Map([['p', tf.tensor1d([3, 4])]]), 1);
  near(norm, 5);
  Array.from(p.dataSync()).forEach((v, i) => near(v, [-0.6, -0.8][i], 1e-5));
});

test('optimizer state round trip resumes identically', async () => {
  await useBackend('cpu');
  const run = (restoreAt: number | null) => {
    const p = tf.variable(tf.tensor1d([1, 2, 3]));
    let opt = new Optimizer(optimizerSchema.parse({ type: 'adam', lr: 0.1 }));
    for (let t = 0; t < 6; t++) {
      if (t === restoreAt) {
        const st = new Map(opt.state().map(({ name, tensor }) => [name, tf.clone(tensor)]));
        opt = new Optimizer(optimizerSchema.parse({ type: 'adam', lr: 0.1 }));
        opt.restore(st, [['p', p]]);
      }
      opt.apply([['p', p]], new Map([['p', tf.tensor1d([t, -t, 1])]]), 0.1);
    }
    return Array.from(p.dataSync());
  };
  assert.deepEqual(run(3), run(null));
});

test('schedules: exponential, poly, cosine, one-cycle, warm-up', () => {
  const s = (c: unknown) => scheduleSchema.parse(c);
  near(learningRate(s({ type: 'exponential', gamma: 0.99, every: 250 }), 0.1, 249, 60000), 0.1);
  near(learningRate(s({ type: 'exponential', gamma: 0.99, every: 250 }), 0.1, 500, 60000), 0.1 * 0.99 ** 2);
  near(learningRate(s({ type: 'poly', power: 0.9 }), 0.8, 50, 100), 0.8 * (1 - 50 / 101) ** 0.9);
  near(learningRate(s({ type: 'cosine' }), 1, 0, 100), 1);
  near(learningRate(s({ type: 'cosine' }), 1, 50, 100), 0.5);
  near(learningRate(s({ type: 'cosine', warmup: 10 }), 1, 4, 100), 0.5);
  const oc = s({ type: 'one-cycle', pctStart: 0.1, divFactor: 10, finalDivFactor: 100 });
  near(learningRate(oc, 1, 0, 100), 0.1);
  near(learningRate(oc, 1, 10, 100), 1);
  near(learningRate(oc, 1, 100, 100), 0.001);
});
