/**
 * `bench transfer --methods`: the method table (each method's backbone and fine-tuning
 * overrides, the contract's keys), the arms a list expands to, per-method --finetune-set, runs of
 * earlier benches read back as scratch/baseline, and the summary arithmetic on a hand case.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  METHOD_TABLE,
  TRANSFER_METHODS,
  armRunName,
  methodOverrides,
  parseMethods,
  runMethod,
  trainableFromSummary,
  transferArms,
} from '../../src/bench/transfer-methods.js';
import { methodsTable, pairedGain, summariseMethods } from '../../src/bench/transfer-summary.js';
import { summarise, type TransferRun } from '../../src/bench/transfer.js';
import { resolveSegConfig } from '../../src/tasks/segment/schema.js';

test('method table: every contract method, its backbone and its fine-tuning keys', () => {
  assert.deepEqual(
    [...TRANSFER_METHODS],
    [
      'baseline',
      'scratch',
      'prototype',
      'prototype-a1',
      'prototype-a2',
      'prototype-probe',
      'scratch-prototype',
      'lora',
      'bn',
      'head',
      'smart',
      'lwf',
      'lwf-absent',
      'groups',
      'groups-random',
      'radreg',
      'synthetic-mix',
      'synthetic-joint',
      'complement',
    ],
  );
  const inits = Object.fromEntries(TRANSFER_METHODS.map((m) => [m, METHOD_TABLE[m].init]));
  assert.deepEqual(inits, {
    baseline: 'pretrained',
    scratch: 'scratch',
    prototype: 'pretrained',
    'prototype-a1': 'pretrained',
    'prototype-a2': 'pretrained',
    'prototype-probe': 'pretrained',
    'scratch-prototype': 'scratch',
    lora: 'pretrained',
    bn: 'pretrained',
    head: 'pretrained',
    smart: 'pretrained',
    lwf: 'pretrained',
    'lwf-absent': 'pretrained',
    groups: 'pretrained',
    'groups-random': 'pretrained',
    radreg: 'radreg',
    'synthetic-mix': 'any',
    'synthetic-joint': 'any',
    complement: 'pretrained',
  });
  assert.deepEqual(methodOverrides('baseline'), []);
  // the complement rule fine-tunes as plain fine-tuning does (bench real-transfer scores that run)
  assert.deepEqual(methodOverrides('complement'), []);
  assert.equal(METHOD_TABLE.complement.complementsInit, true);
  assert.deepEqual(methodOverrides('scratch'), []);
  assert.deepEqual(methodOverrides('radreg'), []);
  assert.deepEqual(methodOverrides('prototype'), ['head.type=prototype', 'head.form=A3']);
  assert.deepEqual(methodOverrides('prototype-a1'), ['head.type=prototype', 'head.form=A1']);
  assert.deepEqual(methodOverrides('prototype-a2'), ['head.type=prototype', 'head.form=A2']);
  assert.deepEqual(methodOverrides('lora'), ['trainable=lora', 'optim.lr=0.1']);
  assert.deepEqual(methodOverrides('bn'), ['trainable=bn']);
  assert.deepEqual(methodOverrides('head'), ['freezeBackbone=true']);
  assert.deepEqual(methodOverrides('smart'), ['smart.enabled=true', 'smart.epsilon=0.1']);
  assert.deepEqual(methodOverrides('lwf'), [
    'smart.enabled=true',
    'smart.lambda=0',
    'smart.steps=0',
    'smart.beta=1',
  ]);
  assert.deepEqual(methodOverrides('lwf-absent'), [
    'smart.enabled=true',
    'smart.lambda=0',
    'smart.steps=0',
    'smart.beta=1',
    'smart.partition=absent',
  ]);
  assert.deepEqual(methodOverrides('groups'), ['neuronGroups.ratio=0.5']);
  assert.deepEqual(methodOverrides('groups-random'), ['neuronGroups.ratio=0.5', 'neuronGroups.random=true']);
});

test('every method resolves against the bench fine-tuning config to the arm it names', () => {
  const file = new URL('../../configs/finetune/synthetic-seg.yaml', import.meta.url).pathname;
  const plain = resolveSegConfig(file, []);
  const arm = (m: (typeof TRANSFER_METHODS)[number]) => {
    const c = resolveSegConfig(file, methodOverrides(m));
    return {
      head: c.head.type === 'prototype' ? c.head.form : 'linear',
      trainable: c.trainable,
      smart: c.smart.enabled,
      groups: c.neuronGroups.ratio === null ? null : c.neuronGroups.random ? 'random' : 'kmeans',
      lr: c.optim.lr,
      epsilon: c.smart.epsilon,
      ratio: c.neuronGroups.ratio,
      bnStats: c.bnStats,
    };
  };
  const none = {
    head: 'linear',
    trainable: 'all',
    smart: false,
    groups: null,
    lr: 0.02,
    epsilon: 1,
    ratio: null,
    bnStats: 'update',
  };
  assert.deepEqual(arm('baseline'), none);
  assert.deepEqual(arm('prototype'), { ...none, head: 'A3' });
  assert.deepEqual(arm('prototype-a1'), { ...none, head: 'A1' });
  assert.deepEqual(arm('scratch-prototype'), { ...none, head: 'A3' });
  assert.deepEqual(arm('prototype-probe'), { ...none, head: 'A3', trainable: 'head', bnStats: 'running' });
  // the dev-chosen values (docs/benchmarks.md); bn and lora train on the running statistics
  assert.deepEqual(arm('lora'), { ...none, trainable: 'lora', lr: 0.1, bnStats: 'running' });
  assert.deepEqual(arm('bn'), { ...none, trainable: 'bn', bnStats: 'running' });
  assert.deepEqual(arm('head'), { ...none, trainable: 'head', bnStats: 'running' });
  assert.deepEqual(arm('smart'), { ...none, smart: true, epsilon: 0.1 });
  assert.deepEqual(arm('groups'), { ...none, groups: 'kmeans', ratio: 0.5 });
  // learning without forgetting: the proximal term alone, its teacher frozen at θ₀
  const lwf = resolveSegConfig(file, methodOverrides('lwf')).smart;
  assert.deepEqual(
    [lwf.enabled, lwf.lambda, lwf.steps, lwf.mu, lwf.beta, lwf.partition],
    [true, 0, 0, 1, 1, 'classes'],
  );
  const absent = resolveSegConfig(file, methodOverrides('lwf-absent')).smart;
  assert.deepEqual({ ...absent, partition: 'classes' }, lwf);
  assert.equal(absent.partition, 'absent');
  assert.deepEqual(arm('groups-random'), { ...none, groups: 'random', ratio: 0.5 });
  // the method keys are the only difference from the plain config
  assert.deepEqual({ ...resolveSegConfig(file, methodOverrides('baseline')) }, { ...plain });
});

test('--finetune-set: plain entries go to every method, method: entries to that method, last wins', () => {
  const set = ['optim.lr=0.01', 'groups:neuronGroups.ratio=0.125', 'lora:lora.rank=8', 'data.dir=/a:b'];
  assert.deepEqual(methodOverrides('groups', set), [
    'neuronGroups.ratio=0.5',
    'optim.lr=0.01',
    'neuronGroups.ratio=0.125',
    'data.dir=/a:b',
  ]);
  assert.deepEqual(methodOverrides('baseline', set), ['optim.lr=0.01', 'data.dir=/a:b']);
  assert.deepEqual(methodOverrides('lora', set), [
    'trainable=lora',
    'optim.lr=0.1',
    'optim.lr=0.01',
    'lora.rank=8',
    'data.dir=/a:b',
  ]);
});

test('--methods parsing and the arms it expands to', () => {
  assert.deepEqual(parseMethods('baseline,lora,,lora'), ['baseline', 'lora']);
  assert.throws(
    () => parseMethods('baseline,ladder'),
    /--methods: unknown method 'ladder' \(expected some of baseline, scratch/,
  );
  assert.throws(() => parseMethods(''), /--methods: expected/);
  assert.deepEqual(
    transferArms(['scratch', 'baseline', 'lora', 'radreg'], ['point-info-nce', 'shape-context']),
    [
      { label: 'scratch', method: 'scratch', init: 'scratch' },
      { label: 'baseline', method: 'baseline', init: 'point-info-nce' },
      { label: 'shape-context', method: 'baseline', init: 'shape-context' },
      { label: 'lora', method: 'lora', init: 'point-info-nce' },
      { label: 'radreg', method: 'radreg', init: 'point-info-nce+radreg' },
    ],
  );
  assert.throws(() => transferArms(['head'], []), /--methods head: needs a pre-trained backbone/);
  assert.throws(
    () => transferArms(['synthetic-mix'], ['point-info-nce']),
    /--methods synthetic-mix: mixes labelled synthetic rooms into real training scenes; only bench real-transfer runs it/,
  );
  assert.throws(
    () => transferArms(['synthetic-joint'], ['point-info-nce']),
    /--methods synthetic-joint: mixes/,
  );
  assert.deepEqual(methodOverrides('synthetic-joint'), ['data.mix.placement=beside']);
  assert.deepEqual(transferArms(['scratch'], []), [{ label: 'scratch', method: 'scratch', init: 'scratch' }]);
  // baseline and scratch keep the run folder names of earlier benches (so those runs are reused)
  const [scratch, baseline, , lora] = transferArms(['scratch', 'baseline', 'lora'], ['point-info-nce', 'x']);
  assert.equal(armRunName('points', 20, baseline, 1), 'points20-point-info-nce-s1');
  assert.equal(armRunName('scenes', 1, scratch, 0), 'scenes1-scratch-s0');
  assert.equal(armRunName('scenes-per-seed', 1, lora, 2), 'scenes1-per-seed-lora-s2');
  assert.equal(runMethod({ init: 'scratch' }), 'scratch');
  assert.equal(runMethod({ init: 'point-info-nce' }), 'baseline');
  assert.equal(runMethod({ init: 'point-info-nce', method: 'lora' }), 'lora');
  assert.equal(trainableFromSummary('# x\n\n- trainable parameters: 1234 of 5678 (trainable: lora)\n'), 1234);
  assert.equal(trainableFromSummary('# x\n- steps: 3\n'), null);
});

const run = (
  init: string,
  seed: number,
  mIoU: number,
  extra: Partial<TransferRun> = {},
  protocol = 'points',
  budget = 20,
): TransferRun => ({
  protocol,
  budget,
  init,
  seed,
  mIoU,
  mAcc: mIoU + 10,
  allAcc: 0,
  seconds: 10 * (seed + 1),
  ...extra,
});

test('summary: mean ± std, params, time and paired gains vs baseline by hand', () => {
  // baseline and scratch as an earlier bench wrote them (no method, no parameter count)
  const runs: TransferRun[] = [
    run('point-info-nce', 0, 40),
    run('point-info-nce', 1, 42),
    run('point-info-nce', 2, 44),
    run('scratch', 0, 30),
    run('point-info-nce', 0, 43, { method: 'lora', trainableParams: 500 }),
    run('point-info-nce', 1, 44, { method: 'lora', trainableParams: 500 }),
    run('point-info-nce', 2, 47, { method: 'lora', trainableParams: 500 }),
    run('point-info-nce', 0, 41, { method: 'head', trainableParams: 100 }),
    run('point-info-nce', 1, 40, { method: 'head', trainableParams: 100 }),
    run('point-info-nce', 0, 50, { method: 'lora' }, 'scenes', 1), // another budget, no baseline there
  ];
  const arms = transferArms(['baseline', 'scratch', 'lora', 'head'], ['point-info-nce']);
  const rows = summariseMethods(runs, arms);
  assert.deepEqual(
    rows.map((r) => `${r.protocol}${r.budget}:${r.method}:${r.n}`),
    ['points20:baseline:3', 'points20:scratch:1', 'points20:lora:3', 'points20:head:2', 'scenes1:lora:1'],
  );
  const [base, scratch, lora, head, other] = rows;
  assert.deepEqual(base.mIoU, { mean: 42, std: 2 });
  assert.deepEqual(base.mAcc, { mean: 52, std: 2 });
  assert.equal(base.seconds, 20);
  assert.equal(base.trainableParams, null);
  assert.equal(base.gain, null);
  assert.deepEqual(scratch.mIoU, { mean: 30, std: 0 });
  assert.deepEqual(scratch.gain?.perSeed, [{ seed: 0, gain: -10 }]);
  assert.equal(scratch.gain?.significant, false); // one pair has no spread to compare with
  // lora − baseline = 3, 2, 3: mean 8/3, sample std √(1/3) → significant (8/3 > 2·0.577)
  assert.ok(Math.abs(lora.mIoU.mean - 134 / 3) < 1e-12);
  assert.ok(Math.abs(lora.mIoU.std - Math.sqrt(13 / 3)) < 1e-12);
  assert.equal(lora.trainableParams, 500);
  assert.deepEqual(
    lora.gain?.perSeed.map((p) => [p.seed, p.gain]),
    [
      [0, 3],
      [1, 2],
      [2, 3],
    ],
  );
  assert.ok(Math.abs(lora.gain!.mean - 8 / 3) < 1e-12);
  assert.ok(Math.abs(lora.gain!.std - Math.sqrt(1 / 3)) < 1e-12);
  assert.equal(lora.gain!.significant, true);
  // head − baseline = +1, −2 over the two seeds it has: mean −0.5, std 3/√2 → not significant
  assert.ok(Math.abs(head.gain!.mean + 0.5) < 1e-12);
  assert.ok(Math.abs(head.gain!.std - 3 / Math.SQRT2) < 1e-12);
  assert.equal(head.gain!.significant, false);
  assert.equal(other.gain, null);
  // exactly at the boundary (gains 1, 2, 3: mean 2 = 2 × sample std 1, both exact) is not
  // significant; the same spread shifted up by 0.5 is
  const base3 = [run('b', 0, 0), run('b', 1, 0), run('b', 2, 0)];
  const eq = pairedGain([run('a', 0, 1), run('a', 1, 2), run('a', 2, 3)], base3);
  assert.ok(eq);
  assert.deepEqual([eq.mean, eq.std, eq.significant], [2, 1, false]);
  const above = pairedGain([run('a', 0, 1.5), run('a', 1, 2.5), run('a', 2, 3.5)], base3);
  assert.ok(above);
  assert.deepEqual([above.mean, above.std, above.significant], [2.5, 1, true]);

  const table = methodsTable(rows).split('\n');
  assert.equal(table.length, 2 + 5);
  assert.equal(table[2], '| 20 points / scene | baseline | 42.0 ± 2.0 | 52.0 ± 2.0 | – | 20 | – | – |');
  // one run: no spread to print
  assert.match(
    table[3],
    /^\| 20 points \/ scene \| scratch \| 30\.0 \(1 seed\) \| \d+\.\d \(1 seed\) \| .* \| −10\.0 \(1 seed\) \| no \|$/,
  );
  assert.equal(
    table[4],
    '| 20 points / scene | lora | 44.7 ± 2.1 | 54.7 ± 2.1 | 500 | 20 | +2.7 ± 0.6 (+3.0, +2.0, +3.0) | yes |',
  );
  assert.equal(
    table[5],
    '| 20 points / scene | head | 40.5 ± 0.7 | 50.5 ± 0.7 | 100 | 15 | −0.5 ± 2.1 (+1.0, −2.0) | no |',
  );

  // the init table keeps one column per initialisation for baseline/scratch and per method otherwise
  const initRows = summarise(runs);
  assert.deepEqual(
    initRows.map((r) => `${r.protocol}${r.budget}:${r.init}:${r.method}:${r.n}`),
    [
      'points20:point-info-nce:baseline:3',
      'points20:scratch:scratch:1',
      'points20:lora:lora:3',
      'points20:head:head:2',
      'scenes1:lora:lora:1',
    ],
  );
});
