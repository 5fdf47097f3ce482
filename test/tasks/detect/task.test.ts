/**
 * Detection fine-tuning: configs validate (errors name file and key), the detection class rule,
 * the limited-box choice and source (CSC protocol), the training task (tensor count flat), and a
 * run end to end on a tiny dataset: files, validation, resume, strict reload and evaluation.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { buildNetwork } from '../../../src/models/build.js';
import { DetTask } from '../../../src/tasks/detect/task.js';
import { detectionClasses, resolveDetConfig, type DetConfig } from '../../../src/tasks/detect/schema.js';
import { runFinetuneDet } from '../../../src/tasks/detect/run.js';
import { chooseBoxes } from '../../../src/tasks/detect/source.js';
import { preparedSource } from '../../../src/data/loader/prepared-source.js';
import { detectScene, evaluateDetSplit, loadDetector } from '../../../src/tasks/detect/infer.js';
import { openPreparedDataset } from '../../../src/data/prepared/dataset.js';
import { createBatchBuilder } from '../../../src/data/loader/build-batch.js';
import { parseLoaderConfig } from '../../../src/data/loader/config.js';
import { loadLabelMap } from '../../../src/data/datasets/label-maps.js';
import { useBackend } from '../../helpers/backends.js';
import { writeTinyDetConfig, writeTinyDetDataset } from './fixture.js';
import { referenceAP } from './ap-oracle.js';

const CONFIGS = new URL('../../../configs/finetune/', import.meta.url).pathname;

function tiny() {
  const dir = mkdtempSync(join(tmpdir(), 'pc-det-'));
  const data = join(dir, 'data');
  writeTinyDetDataset(data);
  return { dir, data, config: writeTinyDetConfig(dir, data) };
}

test('every detection config validates and builds its backbone', () => {
  const files = readdirSync(CONFIGS).filter((f) => f.endsWith('.yaml') && f.includes('det'));
  assert.ok(files.includes('synthetic-det.yaml') && files.includes('scannet-det-fixture.yaml'), files.join());
  for (const f of files) {
    const cfg = resolveDetConfig(join(CONFIGS, f));
    assert.ok(
      buildNetwork({ ...cfg.model, outChannels: 1, normalize: false }, 0, false).params.count() > 0,
      f,
    );
  }
});

test('config errors name the file and key', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pc-det-cfg-'));
  const file = join(dir, 'bad.yaml');
  writeFileSync(file, `_base_: ${join(CONFIGS, 'synthetic-det.yaml')}\nhead:\n  radius: -1\n  hiden: 3\n`);
  assert.throws(
    () => resolveDetConfig(file),
    (e: Error) => /bad\.yaml: head\.radius/.test(e.message) && /hiden/.test(e.message),
  );
  const base = join(CONFIGS, 'synthetic-det.yaml');
  assert.throws(
    () => resolveDetConfig(base, ['data.pointsPerScene=20']),
    /data\.pointsPerScene: not used by detection/,
  );
  assert.throws(() => resolveDetConfig(base, ['loss.near=0.7']), /loss\.near must be below loss\.far/);
  assert.throws(() => resolveDetConfig(base, ['data.boxesPerScene=0']), /data\.boxesPerScene/);
});

test('detection classes: the flagged ones, or every class when none carries the flag', () => {
  const synth = loadLabelMap('synthetic').classes;
  const det = detectionClasses(synth);
  assert.equal(det.length, 20);
  assert.ok(!det.some((c) => ['wall', 'floor', 'ceiling', 'otherprop'].includes(c.name)));
  const plain = [
    { id: 0, name: 'a', color: [0, 0, 0] as [number, number, number] },
    { id: 1, name: 'b', color: [0, 0, 0] as [number, number, number] },
  ];
  assert.deepEqual(
    detectionClasses(plain).map((c) => c.id),
    [0, 1],
  );
});

test('limited boxes: K per scene, seeded; the other objects lose boxes and instance ids', async () => {
  const { dir, data } = tiny();
  const ds = openPreparedDataset(data);
  const a = chooseBoxes(ds, ['tiny_0', 'tiny_1'], 2, 5);
  assert.deepEqual(a, chooseBoxes(ds, ['tiny_0', 'tiny_1'], 2, 5));
  assert.equal(a.tiny_0.length, 2);
  assert.deepEqual(chooseBoxes(ds, ['tiny_0'], 9, 5).tiny_0, [0, 1, 2]);
  const seeds = new Set(Array.from({ length: 12 }, (_, s) => chooseBoxes(ds, ['tiny_0'], 1, s).tiny_0[0]));
  assert.equal(seeds.size, 3, 'every box gets chosen by some seed');
  const keep = join(dir, 'keep.json');
  writeFileSync(keep, JSON.stringify({ tiny_0: [1], tiny_1: [0, 2] }));
  const src = preparedSource({ dir: data, split: 'train', keepBoxes: keep });
  const s0 = await src.read(0);
  assert.deepEqual(
    s0.boxes!.map((b) => b.instance),
    [1],
  );
  const full = ds.readScene('tiny_0');
  const inst = s0.cloud.instances!;
  for (let i = 0; i < inst.length; i++) assert.equal(inst[i], full.cloud.instances![i] === 1 ? 1 : -1);
  assert.deepEqual(s0.cloud.labels, full.cloud.labels, 'semantic labels are untouched');
  assert.deepEqual(
    (await src.read(1)).boxes!.map((b) => b.instance),
    [0, 2],
  );
});

test('DetTask: finite loss with every part, tensor count flat over steps', async () => {
  await useBackend('wasm');
  const { config, data } = tiny();
  const cfg: DetConfig = resolveDetConfig(config);
  const ds = openPreparedDataset(data);
  const classIds = detectionClasses(ds.manifest.classes).map((c) => c.id);
  const task = new DetTask(cfg, classIds, 0.2);
  const builder = createBatchBuilder(parseLoaderConfig(cfg.data.loader));
  const s = ds.readScene('tiny_0');
  const batch = builder.scenes([{ name: s.name, cloud: s.cloud, boxes: s.boxes }], [3], 0, 0);
  assert.ok(batch.instances, 'the loader carries voxel instances');
  const vars = task.params.trainable();
  let count = -1;
  for (let step = 0; step < 3; step++) {
    tf.tidy(() => {
      let metrics: Record<string, number> = {};
      const { value, grads } = tf.variableGrads(() => {
        const r = task.loss(batch, step);
        metrics = r.metrics;
        return r.loss;
      }, vars);
      assert.ok(Number.isFinite(value.dataSync()[0]));
      assert.ok(
        Object.keys(grads).some((k) => k.startsWith('head.proposal.class')),
        'proposal head gets gradients',
      );
      for (const k of ['loss_vote', 'loss_seedObjectness', 'loss_seedClass', 'loss_objectness'])
        assert.ok(Number.isFinite(metrics[k]), k);
      assert.ok(metrics.objectVoxels > 0 && metrics.objectVoxels < metrics.voxels);
    });
    if (count >= 0) assert.equal(tf.memory().numTensors, count, `tensors after step ${step}`);
    count = tf.memory().numTensors;
  }
  task.params.dispose();
});

test('a run end to end: files, validation, limited boxes, resume, strict reload, evaluation', async () => {
  await useBackend('wasm');
  const { dir, data, config } = tiny();
  const out = join(dir, 'run');
  const first = await runFinetuneDet({ config, out, overrides: ['data.boxesPerScene=1', 'seed=3'] });
  assert.equal(first.summary.steps, 2);
  for (const f of [
    'config.yaml',
    'metrics.jsonl',
    'summary.md',
    'selection.json',
    'labelled-boxes.json',
    'last/model.json',
    'best/model.json',
  ])
    assert.ok(existsSync(join(out, f)), f);
  const kept = JSON.parse(readFileSync(join(out, 'labelled-boxes.json'), 'utf8')) as Record<string, number[]>;
  assert.deepEqual(Object.keys(kept), ['tiny_0', 'tiny_1']);
  assert.ok(Object.values(kept).every((v) => v.length === 1));
  const log = readFileSync(join(out, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  const val = log.find((r) => r.validation);
  assert.ok(val && val.mAP25 >= 0 && val.mAP25 <= 100 && val.step === 2);
  await assert.rejects(runFinetuneDet({ config, out }), /already holds a run/);

  const resumed = await runFinetuneDet({ config, out, resume: true, overrides: ['train.maxSteps=3'] });
  assert.equal(resumed.summary.steps, 3);
  // a backbone of another width fails before anything is written
  const bad = join(dir, 'bad-init');
  await assert.rejects(
    runFinetuneDet({
      config,
      out: bad,
      overrides: [`init=${join(out, 'last')}`, 'model.backbone=Res16UNet14A-w2'],
    }),
    /the checkpoint's backbone \(Res16UNet14A-w4\) does not match model\.backbone Res16UNet14A-w2 \(set by --set model\.backbone=Res16UNet14A-w2\)/,
  );
  assert.ok(!existsSync(bad), 'a backbone that does not fit creates no run folder');
  // a backbone pre-trained on constant ones starts a colour run: the stem's constant channel is the
  // sum of the three pre-trained channels, the colour channels start at zero
  const ones = join(dir, 'ones');
  await runFinetuneDet({ config, out: ones, overrides: ['data.loader.features=ones', 'train.maxSteps=1'] });
  const rgb = join(dir, 'rgb-from-ones');
  await runFinetuneDet({
    config,
    out: rgb,
    overrides: [
      `init=${join(ones, 'last')}`,
      'data.loader.features=ones-rgb',
      'model.inChannels=4',
      'train.maxSteps=1',
      'optim.lr=1e-12',
    ],
  });
  const stem = (p: string) => loadDetector(p).det.params.get('conv0p1s1.weight').arraySync() as number[][][];
  const [w3, w4] = [stem(join(ones, 'last')), stem(join(rgb, 'last'))];
  assert.equal(w4[0].length, 4);
  for (let v = 0; v < w3.length; v++)
    for (let o = 0; o < w3[v][0].length; o++) {
      const sum = w3[v][0][o] + w3[v][1][o] + w3[v][2][o];
      assert.ok(Math.abs(w4[v][0][o] - sum) < 1e-5, `constant channel ${v},${o}`);
      for (const c of [1, 2, 3]) assert.ok(Math.abs(w4[v][c][o]) < 1e-6, `colour channel ${c} ${v},${o}`);
    }
  // a detector as init (bench real-transfer's synthetic-supervised detector): same classes, so its
  // voting head loads with the backbone and fine-tuning starts from the whole trained detector
  const heads = (p: string) => {
    const { det } = loadDetector(p);
    const names = det.params.specs.map((s) => s.name).filter((n) => n.startsWith('head.'));
    const values = names.map((n) => Array.from(det.params.get(n).dataSync()));
    det.params.dispose();
    return { names, values };
  };
  const [h3, h4] = [heads(join(ones, 'last')), heads(join(rgb, 'last'))];
  assert.ok(h3.names.length > 0);
  assert.deepEqual(h4.names, h3.names);
  for (const [i, v] of h3.values.entries())
    for (const [j, x] of v.entries()) assert.ok(Math.abs(h4.values[i][j] - x) < 1e-6, `${h3.names[i]}[${j}]`);
  assert.deepEqual(JSON.parse(readFileSync(join(out, 'labelled-boxes.json'), 'utf8')), kept);

  const m = loadDetector(join(out, 'last'));
  assert.equal(m.det.classIds.length, 20);
  assert.equal(m.det.head.config.proposals, 16);
  const ds = openPreparedDataset(data);
  const boxes = detectScene(m.det, ds.readScene('tiny_2').cloud, m.features);
  for (const b of boxes) assert.ok(b.score >= 0 && b.score <= 1 && b.size.every((v) => v > 0));
  const ev = evaluateDetSplit(m.det, ds, ['tiny_2'], m.features);
  assert.equal(ev.metrics.classesEvaluated, 3);
  // the reported APs equal an independent VOC AP over the same boxes, on non-empty inputs
  const scenes = [{ gt: ds.readScene('tiny_2').boxes, pred: ev.scenes[0].boxes }];
  assert.ok(scenes[0].gt.length > 0 && scenes[0].pred.length > 0, 'ground truth and predictions');
  assert.ok(Object.values(ev.metrics.per_class).some((c) => c.gt > 0 && c.predictions > 0));
  const aps: Record<string, number[]> = { '25': [], '50': [] };
  for (const [name, c] of Object.entries(ev.metrics.per_class)) {
    const [a25, a50] = [0.25, 0.5].map((t) => referenceAP(scenes, c.id, t));
    assert.ok(a25 === c.ap25 || Math.abs(a25! - c.ap25!) < 1e-12, `${name} AP25 ${c.ap25} vs ${a25}`);
    assert.ok(a50 === c.ap50 || Math.abs(a50! - c.ap50!) < 1e-12, `${name} AP50 ${c.ap50} vs ${a50}`);
    if (a25 !== null) aps['25'].push(a25);
    if (a50 !== null) aps['50'].push(a50!);
  }
  const mean = (v: number[]) => v.reduce((x, y) => x + y, 0) / v.length;
  assert.ok(Math.abs(ev.metrics.mAP25! - mean(aps['25'])) < 1e-12);
  assert.ok(Math.abs(ev.metrics.mAP50! - mean(aps['50'])) < 1e-12);
  m.det.params.dispose();
  assert.throws(() => loadDetector(join(dir, 'nowhere')), /not a checkpoint folder/);
});
