/**
 * The trainer: a run killed mid-way and resumed from its last checkpoint reproduces the
 * uninterrupted loss curve exactly (weights, optimizer state, step, schedule, RNG, data order);
 * the tensor count is flat across steps including checkpoints; max-steps 0 writes the
 * initialised network.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { architectureSchema, buildNetwork } from '../../src/models/build.js';
import { SparseTensor } from '../../src/sparse/sparse-tensor.js';
import { pointInfoNCE } from '../../src/losses/point-info-nce.js';
import { Rng, deriveSeed } from '../../src/core/rng.js';
import { RunDir } from '../../src/train/run-dir.js';
import { train, type BatchStream, type TrainTask } from '../../src/train/trainer.js';
import { optimizerSchema } from '../../src/train/optimizer.js';
import { scheduleSchema } from '../../src/train/schedule.js';
import { useBackend } from '../helpers/backends.js';

interface Batch {
  coords: Int32Array;
  feats: Float32Array;
  corr: Int32Array;
  index: number;
}

/** Deterministic batches: batch i depends only on i (like the loader's seeded order). */
function makeBatch(i: number): Batch {
  const rng = new Rng(deriveSeed(11, i));
  const seen = new Set<number>();
  const rows: number[] = [];
  while (rows.length < 200 * 4) {
    const x = rng.int(12);
    const y = rng.int(12);
    const z = rng.int(5);
    const key = (x * 16 + y) * 16 + z;
    if (seen.has(key)) continue;
    seen.add(key);
    rows.push(0, x, y, z);
  }
  const feats = Float32Array.from({ length: 200 * 3 }, () => rng.uniform(-1, 1));
  const corr = Int32Array.from({ length: 120 }, (_, t) => (t % 2 === 0 ? t / 2 : (t * 7) % 200));
  return { coords: new Int32Array(rows), feats, corr, index: i };
}

class Stream implements BatchStream<Batch> {
  constructor(
    public pos = 0,
    private readonly failAt = -1,
  ) {}
  async next(): Promise<Batch> {
    if (this.pos === this.failAt) throw new Error('simulated crash');
    return makeBatch(this.pos++);
  }
  state(): unknown {
    return { pos: this.pos };
  }
  restore(s: unknown): void {
    this.pos = (s as { pos: number }).pos;
  }
}

function task(): TrainTask<Batch> {
  const net = buildNetwork(
    architectureSchema.parse({ backbone: 'Res16UNet14A-w4', inChannels: 3, outChannels: 8, normalize: true }),
    5,
  );
  return {
    params: net.params,
    loss(b, step) {
      const x = SparseTensor.fromCoords(b.coords, tf.tensor2d(b.feats, [200, 3]), 1);
      const f = net.forward(x, { training: true }).features;
      const r = pointInfoNCE(f, f, b.corr, new Rng(deriveSeed(3, step)), { npos: 40, temperature: 0.4 });
      return { loss: r.loss, metrics: { posSim: r.diagnostics.posSim } };
    },
  };
}

function losses(run: string): number[] {
  return readFileSync(join(run, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { loss?: number })
    .filter((r) => r.loss !== undefined)
    .map((r) => r.loss!);
}

const OPTS = {
  maxSteps: 8,
  timeBudget: null,
  checkpointEvery: 2,
  logEvery: 1,
  optimizer: optimizerSchema.parse({ type: 'sgd', lr: 0.05, momentum: 0.8, weightDecay: 1e-4 }),
  schedule: scheduleSchema.parse({ type: 'exponential', gamma: 0.9, every: 3 }),
  meta: { architecture: {}, config: {} },
};

test('a killed and resumed run reproduces the uninterrupted loss curve; tensors stay flat', async () => {
  await useBackend('cpu');
  const root = mkdtempSync(join(tmpdir(), 'pc-train-'));
  const counts: number[] = [];
  const a = task();
  await train(a, new Stream(), {
    ...OPTS,
    run: new RunDir(join(root, 'a')),
    resume: false,
    onStep: () => counts.push(tf.memory().numTensors),
  });
  a.params.dispose();
  assert.equal(new Set(counts.slice(1)).size, 1, `tensor count changed across steps: ${counts.join(',')}`);

  const b1 = task();
  await assert.rejects(
    train(b1, new Stream(0, 5), { ...OPTS, run: new RunDir(join(root, 'b')), resume: false }),
    /simulated crash/,
  );
  b1.params.dispose();
  assert.equal(losses(join(root, 'b')).length, 5);
  const b2 = task();
  const summary = await train(b2, new Stream(), { ...OPTS, run: new RunDir(join(root, 'b')), resume: true });
  b2.params.dispose();
  assert.equal(summary.steps, 8);
  const la = losses(join(root, 'a'));
  const lb = losses(join(root, 'b'));
  assert.equal(lb.length, 8);
  assert.deepEqual(lb, la);
  assert.ok(la[7] < la[0], 'loss should go down over 8 steps');
  assert.ok(existsSync(join(root, 'b', 'checkpoints', 'step-4', 'model.json')));
});

test('max-steps 0 writes the initialised network', async () => {
  await useBackend('cpu');
  const root = mkdtempSync(join(tmpdir(), 'pc-train0-'));
  const t = task();
  const s = await train(t, new Stream(), { ...OPTS, maxSteps: 0, run: new RunDir(root), resume: false });
  assert.equal(s.steps, 0);
  const meta = JSON.parse(readFileSync(join(root, 'last', 'model.json'), 'utf8')) as { step: number };
  assert.equal(meta.step, 0);
  t.params.dispose();
});
