/**
 * The transfer methods of `finetune seg` end to end on tiny rooms (methods-fixture.ts): config
 * keys and their errors; LoRA (only adapters + head move, the backbone stays the init's, resume
 * equals an uninterrupted run, the merged model evaluates as the unmerged one); the prototype
 * head (θ₀'s prototypes are the hand-computed class means of the init's normalised output over
 * the kept labelled voxels, and the reloaded model's logits are f̂·p̂/τ); SMART (statistics,
 * teacher, resume); neuron groups (ties, control, resume); `evaluate linearization` against a
 * recomputation from the run's two checkpoints.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml, stringify } from 'yaml';
import { useBackend } from '../../helpers/backends.js';
import { methodsFixture, INIT_ARCH, INIT_TEMPERATURE } from './methods-fixture.js';
import { resolveSegConfig } from '../../../src/tasks/segment/schema.js';
import { runFinetuneSeg } from '../../../src/tasks/segment/run.js';
import { smartHook } from '../../../src/tasks/segment/methods/smart.js';
import { absentClasses } from '../../../src/tasks/segment/training-histogram.js';
import type { SegArchitecture } from '../../../src/models/seg-model.js';
import { SegTask } from '../../../src/tasks/segment/task.js';
import type { VoxelBatch } from '../../../src/data/loader/types.js';
import { loadCheckpoint } from '../../../src/train/checkpoint.js';
import { loadModel } from '../../../src/train/load-model.js';
import { architectureSchema, buildNetwork, loadWeights } from '../../../src/models/build.js';
import { buildSegNetwork, segArchitectureSchema } from '../../../src/models/seg-model.js';
import { openPreparedDataset } from '../../../src/data/prepared/dataset.js';
import { sceneVoxels, sparseBatch } from '../../../src/tasks/segment/methods/inputs.js';
import type { NeuronGroupsFile } from '../../../src/tasks/segment/methods/groups.js';
import { runLinearization } from '../../../src/tasks/segment/linearization.js';
import { linearizationFromOutputs } from '../../../src/eval/linearization.js';
import { runCli as cli } from '../../helpers/cli.js';

const fixture = useBackend('wasm').then(() => methodsFixture());

const weightsOf = (dir: string) => {
  const ck = loadCheckpoint(dir);
  const out = new Map<string, Float32Array>();
  for (const [n, t] of ck.weights) out.set(n, t.dataSync() as Float32Array);
  tf.dispose([...ck.weights.values()]);
  return out;
};
const losses = (run: string) =>
  readFileSync(join(run, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { step: number; loss?: number })
    .filter((r) => r.loss !== undefined)
    .map((r) => [r.step, r.loss]);

/** Max |a − b| over two weight maps with the same names. */
function maxDiff(
  a: Map<string, Float32Array>,
  b: Map<string, Float32Array>,
  names: Iterable<string>,
): number {
  let m = 0;
  for (const n of names) {
    const x = a.get(n)!;
    const y = b.get(n)!;
    assert.equal(x.length, y.length, n);
    for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i] - y[i]));
  }
  return m;
}

test('method config keys: defaults, aliases, errors naming the keys, resolved config resolves to itself', async () => {
  const { config, dir } = await fixture;
  const cfg = resolveSegConfig(config);
  assert.equal(cfg.trainable, 'all');
  assert.deepEqual(cfg.head, { type: 'linear', form: 'A3', temperature: null, learnTemperature: true });
  assert.equal(cfg.lora, null);
  assert.deepEqual(
    [
      cfg.smart.enabled,
      cfg.smart.lambda,
      cfg.smart.epsilon,
      cfg.smart.steps,
      cfg.smart.mu,
      cfg.smart.beta,
      cfg.smart.sigma,
    ],
    [false, 1, 1, 1, 1, 0.95, 1e-5],
  );
  assert.deepEqual(cfg.neuronGroups, {
    ratio: null,
    random: false,
    voxels: 4096,
  });
  assert.equal(resolveSegConfig(config, ['freezeBackbone=true']).trainable, 'head');
  const probe = resolveSegConfig(config, ['trainable=head']);
  assert.equal(probe.freezeBackbone, true);
  // batch norms: full fine-tuning updates the running statistics, the subsets train on them frozen
  const stats = (o: string[]) => resolveSegConfig(config, o).bnStats;
  assert.deepEqual(
    [stats([]), stats(['trainable=head']), stats(['trainable=bn']), stats(['trainable=lora'])],
    ['update', 'running', 'running', 'running'],
  );
  assert.equal(stats(['trainable=bn', 'bnStats=batch']), 'batch');
  assert.deepEqual(resolveSegConfig(config, ['trainable=lora']).lora, {
    rank: 4,
    alpha: null,
  });

  const bad: [string[], RegExp][] = [
    [['trainable=some'], /seg\.yaml: trainable: /],
    [['head.type=mlp'], /head\.type/],
    [['head.form=A4'], /head\.form/],
    [['head.temperature=0'], /head\.temperature/],
    [['lora.rank=0', 'trainable=lora'], /lora\.rank/],
    [['smart.beta=1.5'], /smart\.beta/],
    [['bnStats=frozen'], /bnStats/],
    [['smart.epsilon=-1'], /smart\.epsilon/],
    [['neuronGroups.ratio=1.5'], /neuronGroups\.ratio/],
    [['neuronGroups.ratio=0'], /neuronGroups\.ratio/],
    [['freezeBackbone=true', 'trainable=bn'], /freezeBackbone: true and trainable: bn conflict/],
    [['lora.rank=8'], /lora\.rank is set but trainable is all/],
    [['neuronGroups.random=true'], /neuronGroups\.random needs neuronGroups\.ratio/],
    [['neuronGroups.ratio=0.5', 'trainable=lora'], /neuronGroups\.ratio with trainable: lora/],
    [['neuronGroups.ratio=0.5', 'trainable=head'], /neuronGroups\.ratio with trainable: head/],
  ];
  for (const [o, re] of bad) assert.throws(() => resolveSegConfig(config, o), re, o.join(' '));

  // every method's keys round-trip through the run's config.yaml
  const all = resolveSegConfig(config, [
    'head.type=prototype',
    'head.form=A2',
    'trainable=bn',
    'bnStats=batch',
    'smart.enabled=true',
    'smart.mu=0',
    'neuronGroups.ratio=0.25',
    'neuronGroups.random=true',
  ]);
  const file = join(dir, 'resolved.yaml');
  writeFileSync(file, stringify(all));
  assert.deepEqual(resolveSegConfig(file), all);
});

test('bnStats: running trains on the inference-mode function, batch normalises by the batch, only update moves the statistics', async () => {
  const { config } = await fixture;
  const n = 40;
  const coords = new Int32Array(n * 4);
  const feats = new Float32Array(n * 3);
  for (let i = 0; i < n; i++) {
    coords.set([0, i % 5, Math.floor(i / 5) % 4, Math.floor(i / 20)], i * 4);
    feats.set([1, (i % 7) / 7, (i % 3) / 3], i * 3);
  }
  const batch = { kind: 'scenes', coords, feats, featDim: 3, batchSize: 1 } as unknown as VoxelBatch;
  const statNames = (task: SegTask) =>
    task.params
      .entries()
      .map(([k]) => k)
      .filter((k) => /moving_(mean|variance)$/.test(k));
  const run = (bnStats: string) => {
    const task = new SegTask(resolveSegConfig(config, ['trainable=bn', `bnStats=${bnStats}`]), 5);
    const names = statNames(task);
    const before = new Map(names.map((k) => [k, task.params.get(k).dataSync().slice()]));
    const x = task.input(batch); // cached by the task, created outside the tidies that use it
    const train = tf.tidy(() => task.forward(batch).dataSync());
    const infer = tf.tidy(() => task.net.forward(x, { training: false }).features.dataSync());
    let moved = 0;
    for (const k of names) {
      const a = before.get(k)!;
      const b = task.params.get(k).dataSync();
      for (let i = 0; i < a.length; i++) moved = Math.max(moved, Math.abs(a[i] - b[i]));
    }
    task.params.dispose();
    x.features.dispose();
    let gap = 0;
    for (let i = 0; i < train.length; i++) gap = Math.max(gap, Math.abs(train[i] - infer[i]));
    return { gap, moved, stats: names.length };
  };
  const running = run('running');
  const frozen = run('batch');
  const update = run('update');
  assert.ok(running.stats > 0);
  assert.equal(running.gap, 0, 'running: the training pass is the inference pass');
  assert.ok(frozen.gap > 1e-3, `batch: batch statistics change the output (gap ${frozen.gap})`);
  assert.deepEqual([running.moved, frozen.moved], [0, 0], 'running and batch leave the statistics alone');
  assert.ok(update.moved > 0, 'update moves the running statistics');
});

test('LoRA: adapters + head train, backbone stays the init, resume = uninterrupted, merged model evaluates alike', async () => {
  await useBackend('wasm');
  const { config, dir, init, data } = await fixture;
  const lora = ['trainable=lora', 'lora.rank=2', 'data.pointsPerScene=40'];
  const S = join(dir, 'lora-straight');
  const R = join(dir, 'lora-resumed');
  const straight = await runFinetuneSeg({ config, out: S, overrides: lora });
  await runFinetuneSeg({
    config,
    out: R,
    overrides: [...lora, 'train.maxSteps=2'],
  });
  const resumed = await runFinetuneSeg({
    config,
    out: R,
    resume: true,
    overrides: ['train.maxSteps=4'],
  });
  assert.equal(resumed.summary.steps, 4);
  const cfg = parseYaml(readFileSync(join(S, 'config.yaml'), 'utf8')) as {
    trainable: string;
    lora: unknown;
    data: { pointsPerScene: number };
  };
  assert.deepEqual(
    [cfg.trainable, cfg.lora, cfg.data.pointsPerScene],
    ['lora', { rank: 2, alpha: null }, 40],
  );

  // trainable parameters by hand: every 3-D conv kernel vol×Cin×Cout gets (vol·Cin + Cout)·r, plus the head
  const initW = loadCheckpoint(init);
  let expected = 0;
  for (const [n, t] of initW.weights)
    if (t.shape.length === 3 && !n.startsWith('final.'))
      expected += (t.shape[0] * t.shape[1] + t.shape[2]) * 2;
  const feat = initW.weights.get('final.weight')!.shape[0];
  const k = openPreparedDataset(data).manifest.classes.length;
  expected += feat * k + k;
  tf.dispose([...initW.weights.values()]);
  assert.equal(straight.trainableParams, expected);
  assert.equal(resumed.trainableParams, expected);
  for (const l of readFileSync(join(S, 'metrics.jsonl'), 'utf8').trim().split('\n'))
    assert.equal(
      (JSON.parse(l) as { trainableParams: number }).trainableParams,
      expected,
      'in every step record',
    );
  assert.match(
    readFileSync(join(S, 'summary.md'), 'utf8'),
    new RegExp(`trainable parameters: ${expected} of `),
  );

  const w0 = weightsOf(join(S, 'checkpoints', 'step-0'));
  const wS = weightsOf(join(S, 'last'));
  const wR = weightsOf(join(R, 'last'));
  const wI = weightsOf(init);
  assert.deepEqual([...wS.keys()].sort(), [...wR.keys()].sort());
  assert.ok(maxDiff(wS, wR, wS.keys()) < 1e-6, 'resumed run ends where the uninterrupted one does');
  const sl = losses(S);
  const rl = losses(R);
  assert.equal(sl.length, 4);
  sl.forEach(([s, l], i) => {
    assert.equal(rl[i][0], s);
    assert.ok(Math.abs(l! - rl[i][1]!) < 1e-5, `loss at step ${s}: ${l} vs ${rl[i][1]}`);
  });
  const backbone = [...wI.keys()].filter((n) => !n.startsWith('final.'));
  assert.equal(maxDiff(w0, wI, backbone), 0, 'θ₀ holds the init backbone');
  assert.equal(maxDiff(wS, wI, backbone), 0, 'conv weights, BN parameters and running statistics unchanged');
  for (const [n, v] of w0)
    if (n.endsWith('.B'))
      assert.ok(
        v.every((x) => x === 0),
        `${n} starts at zero`,
      );
  const moved = [...wS.keys()].filter((n) => n.endsWith('.B') && wS.get(n)!.some((x) => x !== 0));
  assert.ok(moved.length > 0, 'adapters moved');

  // the merged model (loadModel) computes what the unmerged adapted network computes
  const model = loadModel(S);
  const meta = JSON.parse(readFileSync(join(S, 'last', 'model.json'), 'utf8')) as {
    architecture: Record<string, unknown>;
  };
  assert.deepEqual(meta.architecture.lora, { rank: 2, alpha: null });
  assert.equal(model.net.params.weightTransform, null, 'merged for inference');
  const { task: _t, voxelSize: _v, features: _f, ignoreLabel: _i, ...arch } = meta.architecture;
  const unmerged = buildSegNetwork(segArchitectureSchema.parse(arch));
  const ck = loadCheckpoint(join(S, 'last'));
  loadWeights(unmerged.net.params, ck.weights, 'strict');
  tf.dispose([...ck.weights.values()]);
  const ds = openPreparedDataset(data);
  const s = sceneVoxels(ds, ds.sceneNames('val')[0], 0.2, 'ones');
  const [a, b] = [model.net, unmerged.net].map(
    (net) =>
      tf.tidy(() => net.forward(sparseBatch(s), { training: false }).features.dataSync()) as Float32Array,
  );
  let m = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    m = Math.max(m, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  assert.ok(m <= 1e-4 * Math.max(1, scale), `merged vs unmerged logits differ by ${m}`);
  model.net.params.dispose();
  unmerged.net.params.dispose();
});

test('prototype head: θ₀ prototypes are the class means of the init output over kept labelled voxels; reloaded logits are f̂·p̂/τ with the learned τ', async () => {
  await useBackend('wasm');
  const { config, dir, init, data } = await fixture;
  const P = join(dir, 'proto');
  const setup: string[] = [];
  const res = await runFinetuneSeg({
    config,
    out: P,
    overrides: [
      'head.type=prototype',
      'data.pointsPerScene=60',
      'data.scenesFraction=0.6',
      'train.maxSteps=2',
    ],
    onSetup: (what, done, total) => setup.push(`${what} ${done}/${total}`),
  });
  // imprinting reports its pass over the training selection scene by scene
  assert.deepEqual(setup, ['imprint prototypes 1/2', 'imprint prototypes 2/2']);
  const ds = openPreparedDataset(data);
  const k = ds.manifest.classes.length;
  const meta = JSON.parse(readFileSync(join(P, 'last', 'model.json'), 'utf8')) as {
    architecture: { outChannels: number; head: unknown };
  };
  assert.equal(meta.architecture.outChannels, INIT_ARCH.outChannels);
  assert.deepEqual(meta.architecture.head, {
    type: 'prototype',
    form: 'A3',
    temperature: INIT_TEMPERATURE,
    learnTemperature: true,
    classes: k,
  });
  const dim = INIT_ARCH.outChannels;
  // the head trains: prototypes + the pre-trained output layer + the backbone (trainable all)
  assert.ok(res.trainableParams > dim * k);

  // oracle: the init network's final-layer output per kept labelled voxel, normalised, summed per class
  const net = buildNetwork(architectureSchema.parse({ ...INIT_ARCH, normalize: false }));
  const ck = loadCheckpoint(init);
  loadWeights(net.params, ck.weights, 'strict');
  tf.dispose([...ck.weights.values()]);
  const kept = JSON.parse(readFileSync(join(P, 'labelled-points.json'), 'utf8')) as {
    scenes: Record<string, number[]>;
  };
  const scenes = Object.keys(kept.scenes);
  assert.equal(scenes.length, 2, 'two of three train scenes');
  const sums = new Float64Array(dim * k);
  const count = new Array<number>(k).fill(0);
  for (const name of scenes) {
    const s = sceneVoxels(ds, name, 0.2, 'ones', kept.scenes[name]);
    const f = tf.tidy(() =>
      net.forward(sparseBatch(s), { training: false }).features.dataSync(),
    ) as Float32Array;
    for (let i = 0; i < s.labels.length; i++) {
      const c = s.labels[i];
      if (c < 0) continue;
      let n = 0;
      for (let d = 0; d < dim; d++) n += f[i * dim + d] ** 2;
      n = Math.sqrt(n);
      for (let d = 0; d < dim; d++) sums[d * k + c] += f[i * dim + d] / n;
      count[c]++;
    }
  }
  net.params.dispose();
  const w0 = weightsOf(join(P, 'checkpoints', 'step-0'));
  const p0 = w0.get('head.prototypes')!;
  assert.ok(Math.abs(w0.get('head.logScale')![0] - Math.log(1 / INIT_TEMPERATURE)) < 1e-6, 'θ₀ scale is 1/τ');
  let labelledClasses = 0;
  for (let c = 0; c < k; c++) {
    if (count[c] === 0) continue;
    labelledClasses++;
    let n = 0;
    for (let d = 0; d < dim; d++) n += sums[d * k + c] ** 2;
    n = Math.sqrt(n);
    for (let d = 0; d < dim; d++)
      assert.ok(Math.abs(p0[d * k + c] - sums[d * k + c] / n) < 1e-4, `class ${c} dim ${d}`);
  }
  assert.ok(labelledClasses >= 2, `${labelledClasses} labelled classes`);

  // evaluate/predict's loader rebuilds the head: logits = f̂·p̂/τ from the stored weights
  const model = loadModel(P);
  const w = weightsOf(join(P, 'last'));
  const pT = w.get('head.prototypes')!;
  // the learned scale: stored as log 1/τ, trained from the init's τ
  const tauT = 1 / Math.exp(w.get('head.logScale')![0]);
  assert.ok(tauT > 0 && Math.abs(tauT - INIT_TEMPERATURE) > 0, `learned τ ${tauT}`);
  const s = sceneVoxels(ds, ds.sceneNames('val')[0], 0.2, 'ones');
  const [logits, f] = tf.tidy(() => {
    const x = sparseBatch(s);
    const feats = model.net.features(x, { training: false });
    return [
      model.net.output(feats).features.dataSync() as Float32Array,
      model.net.final.apply(feats).features.dataSync() as Float32Array,
    ];
  });
  const rows = s.labels.length;
  assert.equal(logits.length, rows * k);
  const pn = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    for (let d = 0; d < dim; d++) pn[c] += pT[d * k + c] ** 2;
    pn[c] = Math.sqrt(pn[c]);
  }
  for (let i = 0; i < rows; i += 7) {
    let fn = 0;
    for (let d = 0; d < dim; d++) fn += f[i * dim + d] ** 2;
    fn = Math.sqrt(fn);
    for (let c = 0; c < k; c++) {
      let dot = 0;
      for (let d = 0; d < dim; d++) dot += f[i * dim + d] * pT[d * k + c];
      const want = dot / (fn * pn[c] * tauT);
      assert.ok(
        Math.abs(logits[i * k + c] - want) < 1e-3 * Math.max(1, Math.abs(want)),
        `voxel ${i} class ${c}`,
      );
    }
  }
  model.net.params.dispose();
});

/** The optimizer-state tensors of a checkpoint (hook tensors live there). */
function optimizerState(dir: string): Map<string, Float32Array> {
  const ck = loadCheckpoint(dir, true);
  const out = new Map<string, Float32Array>();
  for (const [n, t] of ck.optimizer ?? new Map<string, tf.Tensor>()) out.set(n, t.dataSync() as Float32Array);
  tf.dispose([...ck.weights.values(), ...(ck.optimizer?.values() ?? [])]);
  return out;
}

test('SMART: running statistics move only with the main pass, teacher = β·θ₀ + (1−β)·θ₁, resume = uninterrupted', async () => {
  await useBackend('wasm');
  const { config, dir } = await fixture;
  const one = ['train.maxSteps=1', 'data.pointsPerScene=40'];
  const plain = join(dir, 'smart-plain');
  const smart = join(dir, 'smart-1');
  await runFinetuneSeg({ config, out: plain, overrides: one });
  await runFinetuneSeg({
    config,
    out: smart,
    overrides: [...one, 'smart.enabled=true', 'smart.beta=0.9'],
  });
  const wp = weightsOf(join(plain, 'last'));
  const ws = weightsOf(join(smart, 'last'));
  const stats = [...wp.keys()].filter((n) => n.endsWith('.moving_mean') || n.endsWith('.moving_variance'));
  assert.ok(stats.length > 10);
  // the same main pass at θ₀ on the same batch: identical statistics, however many SMART passes ran
  assert.ok(maxDiff(wp, ws, stats) < 1e-6, 'perturbed and teacher passes leave running statistics alone');
  assert.ok(maxDiff(wp, ws, ['final.weight']) > 1e-7, 'the SMART terms change the update');
  const rec = readFileSync(join(smart, 'metrics.jsonl'), 'utf8');
  const r0 = JSON.parse(rec.trim().split('\n')[0]) as {
    smartSmooth: number;
    smartBregman: number;
  };
  assert.ok(r0.smartSmooth > 0 && Number.isFinite(r0.smartSmooth), `smoothness ${r0.smartSmooth}`);
  assert.ok(Math.abs(r0.smartBregman) < 1e-6, `Bregman term at θ̃ = θ₀ is 0, got ${r0.smartBregman}`);
  // EMA teacher after one step, from the saved hook tensors: β·θ₀ + (1 − β)·θ₁
  const w0 = weightsOf(join(smart, 'checkpoints', 'step-0'));
  const teacher = optimizerState(join(smart, 'last'));
  for (const n of ['final.weight', 'block1.0.conv1.weight', 'bn0.gamma', 'bn0.moving_mean']) {
    const t = teacher.get(`hooks/smart/${n}`)!;
    const a = w0.get(n)!;
    const b = ws.get(n)!;
    for (let i = 0; i < t.length; i++)
      assert.ok(Math.abs(t[i] - (0.9 * a[i] + 0.1 * b[i])) < 1e-6, `${n}[${i}]`);
  }

  const S = join(dir, 'smart-straight');
  const R = join(dir, 'smart-resumed');
  const o = ['smart.enabled=true', 'smart.beta=0.5', 'data.pointsPerScene=40', 'train.maxSteps=3'];
  await runFinetuneSeg({ config, out: S, overrides: o });
  await runFinetuneSeg({
    config,
    out: R,
    overrides: [...o, 'train.maxSteps=2'],
  });
  await runFinetuneSeg({
    config,
    out: R,
    resume: true,
    overrides: ['train.maxSteps=3'],
  });
  const a = weightsOf(join(S, 'last'));
  const b = weightsOf(join(R, 'last'));
  assert.ok(
    maxDiff(a, b, a.keys()) < 1e-5,
    'resumed SMART run (teacher restored) ends where the straight one does',
  );
  const ta = optimizerState(join(S, 'last'));
  const tb = optimizerState(join(R, 'last'));
  const tn = [...ta.keys()].filter((n) => n.startsWith('hooks/smart/'));
  assert.ok(tn.length === a.size && maxDiff(ta, tb, tn) < 1e-5, 'teachers agree');
});

test('SMART partition absent: the teacher term over the absent classes and one pooled bin, below the full term at the same θ₁', async () => {
  const { config, dir } = await fixture; // before useBackend: the fixture's own backend switch may still run
  await useBackend('wasm');
  // the tiny rooms label floor, cabinet, chair and table; chair is held out as well
  const o = ['train.maxSteps=2', 'smart.enabled=true', 'smart.lambda=0', 'smart.steps=0', 'smart.beta=1'];
  const ho = 'data.ignoreClasses=["chair"]';
  const bregman = (run: string) =>
    readFileSync(join(run, 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { smartBregman?: number }).smartBregman)
      .filter((v): v is number => v !== undefined);
  const full = join(dir, 'lwf-full');
  const part = join(dir, 'lwf-absent');
  await runFinetuneSeg({ config, out: full, overrides: [...o, ho] });
  await runFinetuneSeg({ config, out: part, overrides: [...o, ho, 'smart.partition=absent'] });
  const [f0, f1] = bregman(full);
  const [p0, p1] = bregman(part);
  // step 0: θ = θ₀, both terms 0 with zero gradient, so both runs reach the same θ₁; there the
  // pooled distributions are a coarsening of the full ones (data processing: the term can only shrink)
  assert.ok(Math.abs(f0) < 1e-6 && Math.abs(p0) < 1e-6, `${f0} ${p0}`);
  assert.ok(p1 > 0 && p1 < f1, `partition ${p1} against full ${f1}`);
  // nothing absent: named
  const cfg = resolveSegConfig(config, ['smart.enabled=true', 'smart.partition=absent']);
  assert.throws(
    () => smartHook({} as SegTask, {} as SegArchitecture, cfg.smart, 0, () => []),
    /smart\.partition: 'absent' keeps the classes the training labels lack, and these labels have every class/,
  );
  assert.deepEqual(absentClasses([0, 5, 0, 2]), [0, 2]);
});

test('neuron groups: ⌈ρC⌉ groups, members get equal updates, random control keeps sizes, resume reads neuron-groups.json', async () => {
  await useBackend('wasm');
  const { config, dir } = await fixture;
  const o = [
    'neuronGroups.ratio=0.25',
    'neuronGroups.voxels=512',
    'optim.weightDecay=0',
    'data.pointsPerScene=40',
  ];
  const G = join(dir, 'groups');
  await runFinetuneSeg({
    config,
    out: G,
    overrides: [...o, 'train.maxSteps=1'],
  });
  const file = JSON.parse(readFileSync(join(G, 'neuron-groups.json'), 'utf8')) as NeuronGroupsFile;
  assert.ok(file.layers.length > 10);
  const w0 = weightsOf(join(G, 'checkpoints', 'step-0'));
  const w1 = weightsOf(join(G, 'last'));
  for (const l of file.layers) {
    assert.equal(l.count, Math.ceil(0.25 * l.channels), l.conv);
    assert.equal(new Set(l.groups).size, l.count, l.conv);
    // Δθ of every member of a group: the same column along Cout (weights) and the same γ/β step
    for (const name of [l.conv, `${l.bn}.gamma`, `${l.bn}.beta`]) {
      const a = w0.get(name)!;
      const b = w1.get(name)!;
      const c = l.channels;
      for (let r = 0; r < a.length; r += c)
        for (let j = 0; j < c; j++) {
          const first = l.groups.indexOf(l.groups[j]);
          const dj = b[r + j] - a[r + j];
          const df = b[r + first] - a[r + first];
          assert.ok(Math.abs(dj - df) < 1e-6, `${name}: channel ${j} vs ${first}`);
        }
    }
  }
  const moved = file.layers.some((l) => maxDiff(w0, w1, [l.conv]) > 0);
  assert.ok(moved, 'the grouped layers do train');

  const Rn = join(dir, 'groups-random');
  await runFinetuneSeg({
    config,
    out: Rn,
    overrides: [...o, 'neuronGroups.random=true', 'train.maxSteps=1'],
  });
  const rand = JSON.parse(readFileSync(join(Rn, 'neuron-groups.json'), 'utf8')) as NeuronGroupsFile;
  const sizes = (g: number[]) => {
    const m = new Map<number, number>();
    for (const x of g) m.set(x, (m.get(x) ?? 0) + 1);
    return [...m.values()].sort((x, y) => x - y);
  };
  let differs = 0;
  file.layers.forEach((l, i) => {
    assert.deepEqual(sizes(rand.layers[i].groups), sizes(l.groups), l.conv);
    if (rand.layers[i].groups.join() !== l.groups.join()) differs++;
  });
  assert.ok(differs > 0, 'random control assigns other channels');

  const S = join(dir, 'groups-straight');
  const R = join(dir, 'groups-resumed');
  await runFinetuneSeg({
    config,
    out: S,
    overrides: [...o, 'train.maxSteps=3'],
  });
  await runFinetuneSeg({
    config,
    out: R,
    overrides: [...o, 'train.maxSteps=2'],
  });
  await runFinetuneSeg({
    config,
    out: R,
    resume: true,
    overrides: ['train.maxSteps=3'],
  });
  assert.equal(
    readFileSync(join(R, 'neuron-groups.json'), 'utf8'),
    readFileSync(join(S, 'neuron-groups.json'), 'utf8'),
  );
  const a = weightsOf(join(S, 'last'));
  const b = weightsOf(join(R, 'last'));
  assert.ok(maxDiff(a, b, a.keys()) < 1e-5, 'resumed grouped run ends where the straight one does');
});

/** A checkpoint's weights with their shapes. */
function shapedWeights(dir: string): Map<string, { data: Float32Array; shape: number[] }> {
  const ck = loadCheckpoint(dir);
  const out = new Map<string, { data: Float32Array; shape: number[] }>();
  for (const [n, t] of ck.weights) out.set(n, { data: t.dataSync() as Float32Array, shape: t.shape });
  tf.dispose([...ck.weights.values()]);
  return out;
}

test('evaluate linearization: the run vs its step-0 θ₀, recomputed from both checkpoints with the phase-1 measure', async () => {
  await useBackend('wasm');
  const { config, dir } = await fixture;
  const L = join(dir, 'lin');
  await runFinetuneSeg({
    config,
    out: L,
    overrides: ['train.maxSteps=2', 'data.pointsPerScene=40', 'optim.lr=0.1'],
  });
  const eps = [
    { key: '1e-3', value: 1e-3 },
    { key: '1e-2', value: 1e-2 },
  ];
  const r = runLinearization({ run: L, split: 'val', eps, maxVoxels: 300 });
  assert.equal(r.voxels, 300, 'the first 300 voxels of the val scene');

  // oracle: θ₀ + t·(θ_T − θ₀) computed here, loaded strictly into a fresh network, inference mode
  const w0 = shapedWeights(join(L, 'checkpoints', 'step-0'));
  const wT = shapedWeights(join(L, 'last'));
  const meta = JSON.parse(readFileSync(join(L, 'last', 'model.json'), 'utf8')) as {
    architecture: Record<string, unknown>;
    config: { data: { dir: string } };
  };
  const { task: _t, voxelSize: _v, features: _f, ignoreLabel: _i, ...arch } = meta.architecture;
  const { net } = buildSegNetwork(segArchitectureSchema.parse(arch));
  const ds = openPreparedDataset(meta.config.data.dir);
  const s = sceneVoxels(ds, ds.sceneNames('val')[0], 0.2, 'ones');
  const k = ds.manifest.classes.length;
  const logitsAt = (t: number) => {
    const m = new Map<string, tf.Tensor>();
    for (const [n, a] of w0) {
      const b = wT.get(n)!.data;
      m.set(
        n,
        tf.tensor(
          Float32Array.from(a.data, (x, i) => x + t * (b[i] - x)),
          a.shape,
        ),
      );
    }
    loadWeights(net.params, m, 'strict');
    tf.dispose([...m.values()]);
    const f = tf.tidy(() =>
      net.forward(sparseBatch(s), { training: false }).features.dataSync(),
    ) as Float32Array;
    return f.slice(0, 300 * k);
  };
  const f0 = logitsAt(0);
  const fT = logitsAt(1);
  for (const e of eps) {
    const want = linearizationFromOutputs(f0, logitsAt(e.value), fT, e.value, k);
    assert.ok(
      Math.abs(r.relError[e.key] - want.relError) <= 1e-4 * Math.max(1e-3, want.relError),
      `relError ε ${e.key}`,
    );
    assert.ok(
      Math.abs(r.argmaxAgreement[e.key] - want.argmaxAgreement) <= 1 / 300 + 1e-9,
      `agreement ε ${e.key}`,
    );
    assert.ok(want.relError > 0 && want.deltaRms > 0, 'fine-tuning moved the logits, not exactly linearly');
  }
  net.params.dispose();

  // the command prints the same numbers; its --help and finetune seg's list the options
  const out = cli('evaluate', 'linearization', '--checkpoint', L, '--max-voxels', '300', '--json');
  assert.equal(out.status, 0, out.stderr);
  const j = JSON.parse(out.stdout.trim()) as typeof r;
  assert.deepEqual(Object.keys(j.relError), ['1e-3', '1e-2']);
  for (const e of eps) assert.ok(Math.abs(j.relError[e.key] - r.relError[e.key]) < 1e-9, e.key);
  assert.equal(j.voxels, 300);
  const help = cli('finetune', 'seg', '--help').stdout;
  for (const flag of [
    '--head',
    '--trainable',
    '--lora-rank',
    '--bn-stats',
    '--smart',
    '--neuron-groups',
    '--neuron-groups-random',
  ])
    assert.ok(help.includes(flag), flag);
  const badStats = cli(
    'finetune',
    'seg',
    '--config',
    config,
    '--bn-stats',
    'frozen',
    '--out',
    join(dir, 'bad'),
  );
  assert.equal(badStats.status, 1);
  assert.match(badStats.stderr, /bnStats/);
  const noStep0 = cli('evaluate', 'linearization', '--checkpoint', join(dir, 'init'));
  assert.equal(noStep0.status, 1);
  assert.match(noStep0.stderr, /no checkpoints\/step-0/);
});

test('prototype head + BN-only set: resume (architecture from the run, prototypes from the checkpoint) = uninterrupted', async () => {
  await useBackend('wasm');
  const { config, dir } = await fixture;
  const o = ['head.type=prototype', 'trainable=bn', 'data.pointsPerScene=40'];
  const S = join(dir, 'proto-straight');
  const R = join(dir, 'proto-resumed');
  const s = await runFinetuneSeg({
    config,
    out: S,
    overrides: [...o, 'train.maxSteps=3'],
  });
  await runFinetuneSeg({
    config,
    out: R,
    overrides: [...o, 'train.maxSteps=2'],
  });
  const r = await runFinetuneSeg({
    config,
    out: R,
    resume: true,
    overrides: ['train.maxSteps=3'],
  });
  assert.equal(r.trainableParams, s.trainableParams);
  const a = weightsOf(join(S, 'last'));
  const b = weightsOf(join(R, 'last'));
  assert.ok(maxDiff(a, b, a.keys()) < 1e-5, 'resumed run ends where the straight one does');
  // BN-only: conv kernels and running statistics stay at θ₀; γ/β, output layer and prototypes move
  const w0 = weightsOf(join(S, 'checkpoints', 'step-0'));
  const frozen = [...a.keys()].filter(
    (n) => (n.endsWith('.weight') && !n.startsWith('final.')) || n.includes('.moving_'),
  );
  assert.equal(maxDiff(a, w0, frozen), 0);
  for (const n of ['bn0.gamma', 'final.weight', 'head.prototypes'])
    assert.ok(maxDiff(a, w0, [n]) > 0, `${n} moved`);
});
