/**
 * `bench transfer --methods` end to end on tiny synthetic data: a bench written before methods
 * existed (scratch + pre-trained cells without method or parameter count) is read back and its
 * cells reused; head (the linear probe) and radreg (its own pre-training arm with regularizer
 * radreg on the labelled train scenes) run; the summary reports every method; a re-run runs nothing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { parse as parseYaml } from 'yaml';
import { runTransferBench, type TransferBenchOptions, type TransferRun } from '../../src/bench/transfer.js';
import { loadModel } from '../../src/train/load-model.js';
import { openPreparedDataset } from '../../src/data/prepared/dataset.js';
import { writeTinyPretrainConfig, writeTinySegConfig } from '../tasks/segment/fixture.js';
import { useBackend } from '../helpers/backends.js';

test('bench transfer --methods: earlier cells reused, head and radreg run, summary per method', async (t) => {
  await useBackend('cpu');
  const dir = mkdtempSync(join(tmpdir(), 'pc-bench-methods-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const out = join(dir, 'bench');
  const opts: TransferBenchOptions = {
    out,
    pretrainConfig: writeTinyPretrainConfig(dir, 'unused'),
    finetuneConfig: writeTinySegConfig(dir, 'unused'),
    seeds: [0, 1],
    sceneBudgets: [],
    pointBudgets: [20],
    losses: ['point-info-nce'],
    labelledScenes: 5,
    pretrainScenes: 1,
    pretrainSeed: 1000,
    viewsPerScene: 3,
    voxelSize: 0.1,
    pointsPerM2: { labelled: 30, pairs: 300 },
    pretrainSteps: 2,
    finetuneSteps: 2,
    pretrainSet: ['radreg.voxels=24', 'radreg.perScene=12'],
  };
  const resultsPath = join(out, 'results.json');

  // an earlier bench: scratch and the pre-trained arm, written without method or parameter count
  await runTransferBench({ ...opts, methods: ['scratch', 'baseline'] });
  const old = JSON.parse(readFileSync(resultsPath, 'utf8')) as { runs: TransferRun[] };
  const legacy = old.runs.map((r) => ({
    protocol: r.protocol,
    budget: r.budget,
    init: r.init,
    seed: r.seed,
    mIoU: r.mIoU,
    mAcc: r.mAcc,
    allAcc: r.allAcc,
    seconds: r.seconds,
  }));
  assert.equal(legacy.length, 4);
  writeFileSync(resultsPath, JSON.stringify({ runs: legacy }));

  const events: string[] = [];
  const res = await runTransferBench({
    ...opts,
    methods: ['baseline', 'scratch', 'head', 'radreg'],
    onEvent: (m) => events.push(m),
  });
  assert.equal(res.runs.length, 8);
  // the four earlier cells were not re-run: same numbers, and no fine-tuning event for them
  for (const l of legacy) {
    const r = res.runs.find((x) => x.init === l.init && x.seed === l.seed && x.method === undefined);
    assert.ok(r, `earlier cell ${l.init} s${l.seed} is kept`);
    assert.equal(r.mIoU, l.mIoU);
  }
  const ran = events.filter((e) => /^points20-.*mIoU/.test(e)).map((e) => e.split(':')[0]);
  assert.deepEqual(ran.sort(), [
    'points20-head-s0',
    'points20-head-s1',
    'points20-radreg-s0',
    'points20-radreg-s1',
  ]);

  // trainable parameters: every parameter (backfilled for the earlier cells), the head alone for the probe
  const model = loadModel(join(out, 'finetune', 'points20-point-info-nce-s0', 'last'));
  const all = model.net.params.count();
  const classes = model.net.final.weight.shape[1];
  assert.equal(classes, openPreparedDataset(join(out, 'data')).manifest.classes.length);
  const head = model.net.featureChannels * classes + classes;
  model.net.params.dispose();
  const params = (m: string) => res.methods.find((r) => r.method === m)!.trainableParams;
  assert.equal(params('baseline'), all);
  assert.equal(params('scratch'), all);
  assert.equal(params('radreg'), all);
  assert.equal(params('head'), head);

  // radreg's arm: its own pre-training on the bench's labelled train scenes, penalty logged
  const pre = join(out, 'pretrain-point-info-nce-radreg');
  const cfg = parseYaml(readFileSync(join(pre, 'config.yaml'), 'utf8')) as {
    regularizer: string;
    radreg: { data: string; split: string };
  };
  assert.equal(cfg.regularizer, 'radreg');
  assert.deepEqual([cfg.radreg.data, cfg.radreg.split], [join(out, 'data'), 'train']);
  assert.match(readFileSync(join(pre, 'metrics.jsonl'), 'utf8'), /"radreg":/);
  const radregInit = parseYaml(
    readFileSync(join(out, 'finetune', 'points20-radreg-s0', 'config.yaml'), 'utf8'),
  ) as { init: string };
  assert.equal(radregInit.init, join(pre, 'last'));

  // one row per method with paired gains against the baseline's seeds
  assert.deepEqual(
    res.methods.map((r) => [r.method, r.n]),
    [
      ['baseline', 2],
      ['scratch', 2],
      ['head', 2],
      ['radreg', 2],
    ],
  );
  const base = res.runs.filter((r) => r.init === 'point-info-nce' && r.method === undefined);
  const probe = res.runs.filter((r) => r.method === 'head');
  const gains = [0, 1].map(
    (s) => probe.find((r) => r.seed === s)!.mIoU - base.find((r) => r.seed === s)!.mIoU,
  );
  assert.deepEqual(
    res.methods.find((r) => r.method === 'head')!.gain!.perSeed.map((p) => p.gain),
    gains,
  );
  const saved = JSON.parse(readFileSync(resultsPath, 'utf8')) as { methods: unknown[] };
  assert.equal(saved.methods.length, 4);

  // a re-run finds every cell done
  const again: string[] = [];
  const res2 = await runTransferBench({
    ...opts,
    methods: ['baseline', 'scratch', 'head', 'radreg'],
    onEvent: (m) => again.push(m),
  });
  assert.equal(res2.runs.length, 8);
  assert.equal(again.filter((e) => /mIoU/.test(e)).length, 0);
  assert.ok(existsSync(join(out, 'finetune', 'points20-radreg-s1', 'last')));
});
