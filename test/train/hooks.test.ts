/**
 * Trainer hooks on a quadratic model whose SGD steps are computed by hand: an extra loss term,
 * a gradient transform (group-mean tying), a parameter subset, an after-step EMA teacher whose
 * tensors survive --resume exactly, and a hook that stops the loop. Tensor count stays flat.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { Params } from '../../src/models/params.js';
import { RunDir } from '../../src/train/run-dir.js';
import { train, type BatchStream, type TrainOptions, type TrainTask } from '../../src/train/trainer.js';
import { parameterSubsetHook, type TrainHook } from '../../src/train/hooks.js';
import { optimizerSchema } from '../../src/train/optimizer.js';
import { scheduleSchema } from '../../src/train/schedule.js';
import { useBackend } from '../helpers/backends.js';

await useBackend('cpu');

const LR = 0.1;
const W0 = [0.5, -1, 2];
const TARGET = [1, 2, 3];

/** loss = Σ (w − target)² + b²: dL/dw = 2(w − target), dL/db = 2b. */
function quadratic(): TrainTask<number> & { params: Params } {
  const params = new Params();
  params.add('w', [3], { kind: 'const', value: 0 }).assign(tf.tensor1d(W0));
  params.add('b', [1], { kind: 'const', value: 1 });
  return {
    params,
    loss() {
      const w = params.get('w');
      const b = params.get('b');
      const loss = tf.add(
        tf.sum(tf.square(tf.sub(w, tf.tensor1d(TARGET)))),
        tf.sum(tf.square(b)),
      ) as tf.Scalar;
      return { loss, metrics: {}, outputs: { w } };
    },
  };
}

const stream = (): BatchStream<number> & { pos: number; restore(s: unknown): void } => ({
  pos: 0,
  async next() {
    return this.pos++;
  },
  state() {
    return { pos: this.pos };
  },
  restore(s: unknown) {
    this.pos = (s as { pos: number }).pos;
  },
});

function opts(
  dir: string,
  maxSteps: number,
  hooks: TrainHook<number>[],
  resume = false,
): TrainOptions<number> {
  return {
    maxSteps,
    timeBudget: null,
    checkpointEvery: 2,
    logEvery: 1,
    optimizer: optimizerSchema.parse({ type: 'sgd', lr: LR, momentum: 0 }),
    schedule: scheduleSchema.parse({ type: 'constant' }),
    run: new RunDir(dir),
    meta: { architecture: {}, config: {} },
    resume,
    hooks,
  };
}

const read = (p: Params, name: string) => Array.from(p.get(name).dataSync());
const close = (a: number[], b: number[], tol = 1e-5) =>
  a.forEach((v, i) => assert.ok(Math.abs(v - b[i]) <= tol, `${a} vs ${b}`));
const tmp = () => mkdtempSync(join(tmpdir(), 'pc-hooks-'));

test('an extra loss term adds its gradient: w1 = w0 − lr·(2(w0 − t) + 2λw0)', async () => {
  const t = quadratic();
  const lambda = 0.3;
  const l2: TrainHook<number> = {
    name: 'l2',
    loss: (_ctx, base) => ({
      loss: tf.mul(lambda, tf.sum(tf.square(base.outputs!.w))) as tf.Scalar,
      metrics: { l2: 1 },
    }),
  };
  await train(t, stream(), opts(tmp(), 1, [l2]));
  close(
    read(t.params, 'w'),
    W0.map((w, i) => w - LR * (2 * (w - TARGET[i]) + 2 * lambda * w)),
  );
  t.params.dispose();
});

test('a gradient transform ties a group to its mean gradient; a subset freezes the rest', async () => {
  const t = quadratic();
  const tie: TrainHook<number> = {
    name: 'tie',
    gradients: (g) => ({ ...g, w: tf.mul(tf.onesLike(g.w), tf.mean(g.w)) }),
  };
  const onlyW = parameterSubsetHook<number>('only-w', (n) => n === 'w');
  const before = tf.memory().numTensors;
  await train(t, stream(), opts(tmp(), 1, [onlyW, tie]));
  const mean = W0.reduce((s, w, i) => s + 2 * (w - TARGET[i]), 0) / 3;
  close(
    read(t.params, 'w'),
    W0.map((w) => w - LR * mean),
  );
  close(read(t.params, 'b'), [1], 0);
  assert.equal(tf.memory().numTensors, before, 'the replaced gradients are disposed');
  assert.throws(() => parameterSubsetHook<number>('none', () => false).trainable!(['w'], t.params), /none/);
  t.params.dispose();
});

/** An EMA of w updated after every step, saved with checkpoints. */
function emaHook(decay: number): TrainHook<number> & { value(): number[] } {
  let teacher: tf.Variable | undefined;
  return {
    name: 'ema',
    start: ({ params }) => {
      teacher = tf.variable(params.get('w').clone(), false);
    },
    afterStep: ({ params }) => {
      teacher!.assign(tf.tidy(() => tf.add(tf.mul(teacher!, decay), tf.mul(params.get('w'), 1 - decay))));
    },
    tensors: () => [{ name: 'w', tensor: teacher! }],
    restoreTensors: (saved) => teacher!.assign(saved.get('w')!),
    end: () => teacher?.dispose(),
    value: () => Array.from(teacher!.dataSync()),
  };
}

test('an after-step EMA teacher matches the hand recursion and resumes exactly', async () => {
  const decay = 0.5;
  // by hand: plain SGD on w, teacher ← d·teacher + (1 − d)·w after each step
  let w = [...W0];
  let teacher = [...W0];
  for (let s = 0; s < 4; s++) {
    w = w.map((v, i) => v - LR * 2 * (v - TARGET[i]));
    teacher = teacher.map((v, i) => decay * v + (1 - decay) * w[i]);
  }
  const straight = quadratic();
  const e1 = emaHook(decay);
  let final: number[] = [];
  await train(straight, stream(), opts(tmp(), 4, [{ ...e1, end: () => ((final = e1.value()), e1.end!()) }]));
  close(final, teacher);
  straight.params.dispose();

  const dir = tmp();
  const first = quadratic();
  await train(first, stream(), opts(dir, 2, [emaHook(decay)]));
  first.params.dispose();
  const resumed = quadratic();
  const e2 = emaHook(decay);
  let after: number[] = [];
  await train(
    resumed,
    stream(),
    opts(dir, 4, [{ ...e2, end: () => ((after = e2.value()), e2.end!()) }], true),
  );
  close(after, teacher);
  close(read(resumed.params, 'w'), w);
  resumed.params.dispose();
});

test('a hook can stop the loop; every hook still sees that step', async () => {
  const t = quadratic();
  const seen: number[] = [];
  const stopper: TrainHook<number> = {
    name: 'stop',
    afterStep: ({ step }) => (step === 3 ? { stop: 'early-stop' } : undefined),
  };
  const watcher: TrainHook<number> = { name: 'watch', afterStep: ({ step }) => void seen.push(step) };
  const s = await train(t, stream(), opts(tmp(), 10, [stopper, watcher]));
  assert.equal(s.steps, 3);
  assert.equal(s.stoppedBy, 'early-stop');
  assert.deepEqual(seen, [1, 2, 3]);
  await assert.rejects(train(t, stream(), opts(tmp(), 1, [watcher, { ...watcher }])), /two trainer hooks/);
  t.params.dispose();
});
