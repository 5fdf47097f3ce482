/**
 * Scene budgets of the data-efficient protocols: which train scenes a fraction and an offset
 * select, and how the transfer benchmark labels its rows.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { budgetScenes } from '../../src/data/selection.js';
import {
  lossOverride,
  meanStd,
  summarise,
  transferTable,
  type TransferRun,
} from '../../src/bench/transfer.js';
import { resolvePretrainConfig } from '../../src/tasks/pretrain/schema.js';

const pretrainConfig = new URL('../../configs/pretrain/synthetic-small.yaml', import.meta.url).pathname;

const names = Array.from({ length: 32 }, (_, i) => `s${i}`);

test('budgetScenes: the first ⌈x·n⌉ scenes, at least one', () => {
  assert.deepEqual(budgetScenes(names, 1 / 32), ['s0']);
  assert.deepEqual(budgetScenes(names, 2 / 32), ['s0', 's1']);
  assert.deepEqual(budgetScenes(names, 0.001), ['s0']);
  assert.equal(budgetScenes(names, 1).length, 32);
  // 0.1 × 32 = 3.2 → 4 scenes
  assert.deepEqual(budgetScenes(names, 0.1), ['s0', 's1', 's2', 's3']);
});

test('budgetScenes: an offset draws disjoint subsets of equal size and wraps around', () => {
  const k = 8;
  const draws = [0, 1, 2, 3].map((s) => budgetScenes(names, k / 32, s * k));
  assert.deepEqual(draws[1], ['s8', 's9', 's10', 's11', 's12', 's13', 's14', 's15']);
  assert.equal(new Set(draws.flat()).size, 32); // four disjoint draws cover the split
  assert.deepEqual(budgetScenes(names, 3 / 32, 30), ['s30', 's31', 's0']);
});

test('transfer table: mean ± sample std per budget and init, per-seed scene rows named apart', () => {
  const run = (protocol: string, init: string, seed: number, mIoU: number): TransferRun => ({
    protocol,
    budget: 1,
    init,
    seed,
    mIoU,
    mAcc: 0,
    allAcc: 0,
    seconds: 1,
  });
  const runs = [
    run('scenes', 'scratch', 0, 10),
    run('scenes', 'scratch', 1, 12),
    run('scenes-per-seed', 'scratch', 0, 10),
    run('scenes-per-seed', 'scratch', 1, 14),
  ];
  const rows = summarise(runs);
  assert.equal(rows.length, 2);
  const perSeed = rows.find((r) => r.protocol === 'scenes-per-seed');
  assert.ok(perSeed);
  assert.equal(perSeed.mean, 12);
  assert.ok(Math.abs(perSeed.std - Math.SQRT2 * 2) < 1e-12); // sample std of {10, 14}
  assert.deepEqual(meanStd([10, 12]), { mean: 11, std: Math.SQRT2 });
  const table = transferTable(rows, ['scratch']).split('\n');
  assert.equal(table[2], '| 1 scene, all points | 11.0 ± 1.4 |');
  assert.equal(table[3], '| 1 scene (other rooms per seed), all points | 12.0 ± 2.8 |');
});

test('bench transfer switches the pre-training loss with a block each loss schema accepts', () => {
  // synthetic-small is a PointInfoNCE config (npos 1024, τ 0.4): hardest-contrastive has no
  // temperature, so changing only loss.type would be rejected by its strict schema
  const hc = resolvePretrainConfig(pretrainConfig, [lossOverride(pretrainConfig, 'hardest-contrastive')]);
  assert.equal(hc.loss.type, 'hardest-contrastive');
  assert.equal(hc.loss.npos, 1024);
  const sc = resolvePretrainConfig(pretrainConfig, [lossOverride(pretrainConfig, 'shape-context')]);
  assert.equal(sc.loss.type, 'shape-context');
  assert.ok(sc.loss.type === 'shape-context' && sc.loss.temperature === 0.4 && sc.loss.partitions === 4);
  const nce = resolvePretrainConfig(pretrainConfig, [lossOverride(pretrainConfig, 'point-info-nce')]);
  assert.deepEqual(nce.loss, { type: 'point-info-nce', npos: 1024, temperature: 0.4 });
  assert.throws(
    () => resolvePretrainConfig(pretrainConfig, ['loss.type=hardest-contrastive']),
    /loss\.temperature: unknown key/,
  );
});

test("the transfer benchmark's pre-training config is synthetic-small at τ 0.1 for 1600 steps", () => {
  const transferConfig = new URL('../../configs/pretrain/synthetic-transfer.yaml', import.meta.url).pathname;
  const small = resolvePretrainConfig(pretrainConfig);
  const cfg = resolvePretrainConfig(transferConfig);
  // same network and data pipeline, so its backbones fine-tune with configs/finetune/synthetic-seg.yaml
  assert.deepEqual(cfg.model, small.model);
  assert.deepEqual(cfg.data.loader, small.data.loader);
  assert.deepEqual(cfg.optim, small.optim);
  assert.deepEqual(cfg.loss, { type: 'point-info-nce', npos: 1024, temperature: 0.1 });
  assert.equal(cfg.train.maxSteps, 1600);
  // switching the loss keeps τ 0.1 for ShapeContext and drops it for hardest-contrastive
  const sc = resolvePretrainConfig(transferConfig, [lossOverride(transferConfig, 'shape-context')]);
  assert.ok(sc.loss.type === 'shape-context' && sc.loss.temperature === 0.1);
  const hc = resolvePretrainConfig(transferConfig, [lossOverride(transferConfig, 'hardest-contrastive')]);
  assert.equal(hc.loss.type, 'hardest-contrastive');
});
