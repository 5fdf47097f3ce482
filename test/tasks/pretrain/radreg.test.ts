/**
 * RadReg in `pretrain` on tiny synthetic data: an interrupted and resumed run equals an
 * uninterrupted one (adversary head and downstream loader position restored); the logged
 * penalty equals a float64 recomputation from the step-1 head, signs and features; the term is
 * λ·penalty on top of the unchanged contrastive loss; λ = 0 leaves the run identical to one
 * without the regulariser; bad keys are errors naming them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { parse as parseYaml } from 'yaml';
import { prepareDataset } from '../../../src/data/prepared/prepare.js';
import { generatePairs } from '../../../src/data/pairs/generate.js';
import { createLoader } from '../../../src/data/loader/loader.js';
import { buildNetwork } from '../../../src/models/build.js';
import { loadCheckpoint } from '../../../src/train/checkpoint.js';
import { rademacher } from '../../../src/losses/radreg.js';
import { runPretrain } from '../../../src/tasks/pretrain/run.js';
import { resolvePretrainConfig } from '../../../src/tasks/pretrain/schema.js';
import {
  radregFeatures,
  radregLoaderConfig,
  radregRowSeed,
  radregRows,
  radregSignSeed,
  radregSource,
} from '../../../src/tasks/pretrain/radreg-hook.js';
import type { VoxelBatch } from '../../../src/data/loader/types.js';
import { writeTinyPretrainConfig } from '../segment/fixture.js';
import { useBackend } from '../../helpers/backends.js';

interface Rec {
  step: number;
  loss: number;
  radreg?: number;
}
const records = (run: string) =>
  readFileSync(join(run, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Rec)
    .filter((r) => typeof r.loss === 'number');

const close = (a: number, b: number, tol: number, what: string) =>
  assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);

test('pretrain regularizer radreg: resume, penalty recomputation, λ·penalty, unchanged without it', async (t) => {
  await useBackend('cpu');
  const dir = mkdtempSync(join(tmpdir(), 'pc-radreg-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const data = join(dir, 'data');
  const pairs = join(dir, 'pairs');
  await prepareDataset({ type: 'synth', source: { scenes: 5, seed: 0, pointsPerM2: 30 }, out: data });
  await generatePairs({
    from: 'synth',
    out: pairs,
    scenes: 1,
    viewsPerScene: 3,
    voxel: 0.1,
    pointsPerM2: 300,
  });
  const config = writeTinyPretrainConfig(dir, pairs);
  const radreg = [
    'regularizer=radreg',
    `radreg.data=${data}`,
    'radreg.voxels=24',
    'radreg.perScene=12',
    'radreg.lambda=0.5',
    'radreg.ascentSteps=2',
    'radreg.ascentLr=0.5',
    'train.checkpointEvery=1',
  ];
  const run = (name: string, overrides: string[], maxSteps: number, resume = false) =>
    runPretrain({ config, out: join(dir, name), overrides, maxSteps, resume });

  const before = tf.memory().numTensors;
  await run('A', radreg, 3);
  assert.equal(tf.memory().numTensors, before, 'a RadReg run leaks tensors');
  await run('B', radreg, 2);
  await run('B', [], 3, true);
  const a = records(join(dir, 'A'));
  const b = records(join(dir, 'B'));

  await t.test('interrupted + resumed equals uninterrupted (loss, penalty, adversary, weights)', () => {
    assert.deepEqual(
      b.map((r) => r.step),
      [1, 2, 3],
    );
    for (let i = 0; i < 3; i++) {
      assert.equal(typeof a[i].radreg, 'number');
      close(b[i].loss, a[i].loss, 1e-5, `loss at step ${i + 1}`);
      close(b[i].radreg!, a[i].radreg!, 1e-5, `radreg at step ${i + 1}`);
    }
    const ca = loadCheckpoint(join(dir, 'A', 'last'), true);
    const cb = loadCheckpoint(join(dir, 'B', 'last'), true);
    // the downstream loader continued where it stopped (not from its start) on the resume
    assert.ok(ca.meta.trainState?.radregLoader !== undefined, 'the checkpoint saves the RadReg loader');
    assert.deepEqual(cb.meta.trainState?.radregLoader, ca.meta.trainState?.radregLoader);
    const adversary = [...ca.optimizer!.keys()].filter((k) => k.startsWith('hooks/radreg/'));
    assert.deepEqual(adversary.sort(), [
      'hooks/radreg/radreg.fc1.bias',
      'hooks/radreg/radreg.fc1.weight',
      'hooks/radreg/radreg.fc2.bias',
      'hooks/radreg/radreg.fc2.weight',
    ]);
    for (const k of adversary) {
      const d = tf.tidy(
        () => tf.max(tf.abs(tf.sub(ca.optimizer!.get(k)!, cb.optimizer!.get(k)!))).dataSync()[0],
      );
      assert.ok(d < 1e-5, `${k} differs by ${d}`);
    }
    for (const [k, v] of ca.weights) {
      const d = tf.tidy(() => tf.max(tf.abs(tf.sub(v, cb.weights.get(k)!))).dataSync()[0]);
      assert.ok(d < 1e-5, `${k} differs by ${d}`);
    }
    tf.dispose([
      ...ca.weights.values(),
      ...ca.optimizer!.values(),
      ...cb.weights.values(),
      ...cb.optimizer!.values(),
    ]);
    const saved = parseYaml(readFileSync(join(dir, 'A', 'config.yaml'), 'utf8')) as {
      regularizer: string;
      radreg: Record<string, unknown>;
    };
    assert.equal(saved.regularizer, 'radreg');
    assert.deepEqual(saved.radreg, {
      data,
      split: 'train',
      lambda: 0.5,
      width: 32,
      outputs: 24,
      ascentSteps: 2,
      ascentLr: 0.5,
      bound: 1,
      voxels: 24,
      perScene: 12,
    });
  });

  await t.test(
    'the logged penalty equals a float64 recomputation from the step-1 head and signs',
    async () => {
      const cfg = resolvePretrainConfig(join(dir, 'A', 'config.yaml'));
      // the backbone of step 1 is the initialisation; the head saved after step 1 is the one its penalty used
      const net = buildNetwork(cfg.model, cfg.seed);
      const ck = loadCheckpoint(join(dir, 'A', 'checkpoints', 'step-1'), true);
      const w = (n: string) => ck.optimizer!.get(`hooks/radreg/radreg.${n}`)!.dataSync();
      const [w1, b1, w2, b2] = [w('fc1.weight'), w('fc1.bias'), w('fc2.weight'), w('fc2.bias')];
      const loader = await createLoader({
        source: radregSource(cfg.radreg),
        config: radregLoaderConfig(cfg),
      });
      const batch = (await loader.next()) as VoxelBatch;
      await loader.close();
      const rows = radregRows(batch.offsets, 12, 24, radregRowSeed(cfg.seed, 0));
      assert.equal(rows.length, 24);
      // at most 12 rows per scene, each row inside its scene
      for (let s = 0; s + 1 < batch.offsets.length; s++)
        assert.ok(rows.filter((r) => r >= batch.offsets[s] && r < batch.offsets[s + 1]).length <= 12);
      const hT = radregFeatures(net, batch, rows);
      const h = hT.dataSync();
      const D = hT.shape[1];
      hT.dispose();
      const K = 24;
      const H = 32;
      const sigma = rademacher(rows.length, K, radregSignSeed(cfg.seed, 0));
      let sum = 0;
      for (let i = 0; i < rows.length; i++) {
        const z = new Float64Array(H);
        for (let j = 0; j < H; j++) {
          let v = b1[j];
          for (let d = 0; d < D; d++) v += h[i * D + d] * w1[d * H + j];
          z[j] = Math.max(0, v);
        }
        for (let k = 0; k < K; k++) {
          let v = b2[k];
          for (let j = 0; j < H; j++) v += z[j] * w2[j * K + k];
          sum += sigma[i * K + k] * v;
        }
      }
      close(a[0].radreg!, sum / rows.length, 1e-4, 'penalty at step 1');
      assert.notEqual(a[0].radreg, 0);
      net.params.dispose();
      tf.dispose([...ck.weights.values(), ...ck.optimizer!.values()]);
    },
  );

  await t.test('λ·penalty on top of the contrastive loss; λ = 0 is the run without regulariser', async () => {
    await run('none', [], 2);
    await run('zero', [...radreg, 'radreg.lambda=0'], 2);
    const none = records(join(dir, 'none'));
    const zero = records(join(dir, 'zero'));
    assert.ok(none.every((r) => r.radreg === undefined));
    assert.equal(
      (parseYaml(readFileSync(join(dir, 'none', 'config.yaml'), 'utf8')) as { regularizer: string })
        .regularizer,
      'none',
    );
    // step 1 sees the same initial weights and pair batch: the radreg run adds exactly λ·penalty
    close(a[0].loss, none[0].loss + 0.5 * a[0].radreg!, 1e-5, 'step-1 loss with λ 0.5');
    for (let i = 0; i < 2; i++) {
      assert.equal(typeof zero[i].radreg, 'number');
      close(zero[i].loss, none[i].loss, 1e-6, `λ 0 loss at step ${i + 1}`);
    }
  });

  await t.test('bad radreg keys are errors naming them', () => {
    assert.throws(() => resolvePretrainConfig(config, ['regularizer=radreg']), /radreg\.data: required/);
    assert.throws(() => resolvePretrainConfig(config, ['regularizer=l2']), /regularizer: /);
    assert.throws(() => resolvePretrainConfig(config, ['radreg.lambda=-1']), /radreg\.lambda: /);
    assert.throws(() => resolvePretrainConfig(config, ['radreg.width=0']), /radreg\.width: /);
    assert.throws(() => resolvePretrainConfig(config, ['radreg.heads=2']), /radreg\.heads: unknown key/);
    assert.throws(
      () =>
        resolvePretrainConfig(config, ['regularizer=radreg', `radreg.data=${data}`, 'radreg.perScene=2048']),
      /radreg\.perScene \(2048\) exceeds radreg\.voxels/,
    );
  });
});
