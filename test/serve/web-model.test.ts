/**
 * A segmentation checkpoint for the browser: `exportWebModel` writes manifest.json + model.json +
 * weights.bin (no training state, no optimizer, no local paths) that still load as a checkpoint
 * and predict exactly like the original; `view` serves the same files under /model/ and nothing
 * else of the checkpoint folder; non-segmentation checkpoints are refused with a clear message.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { architectureSchema, buildNetwork } from '../../src/models/build.js';
import { saveCheckpoint } from '../../src/train/checkpoint.js';
import { loadModel } from '../../src/train/load-model.js';
import { predictScene } from '../../src/tasks/segment/infer.js';
import { COMPLEMENT_FOLDER, exportWebModel, readWebModel } from '../../src/serve/web-model.js';
import { webComplementProblem } from '../../src/models/web-model-manifest.js';
import { loadComplementInit } from '../../src/tasks/segment/complement-setup.js';
import { startViewServer } from '../../src/serve/server.js';
import { writePly } from '../../src/data/formats/index.js';
import { useBackend, rng } from '../helpers/backends.js';
import { rawRequest } from './http-helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'pc-webmodel-'));
const run = join(tmp, 'run');
const classes = [
  { id: 0, name: 'wall', color: [174, 199, 232] },
  { id: 1, name: 'floor', color: [152, 223, 138] },
  { id: 2, name: 'chair', color: [188, 189, 34] },
];
const arch = {
  task: 'segmentation',
  backbone: 'Res16UNet14A-w4',
  inChannels: 3,
  outChannels: 3,
  voxelSize: 0.1,
  features: 'rgb',
  ignoreLabel: -1,
};

function cloud(n: number) {
  const r = rng(5);
  return {
    positions: Float32Array.from({ length: n * 3 }, () => r() * 3),
    colors: Uint8Array.from({ length: n * 3 }, () => Math.floor(r() * 256)),
  };
}

before(async () => {
  await useBackend('cpu');
  const { task: _t, voxelSize: _v, features: _f, ignoreLabel: _i, ...netArch } = arch;
  const net = buildNetwork(architectureSchema.parse(netArch), 3);
  const weights = [...net.params.entries()].map(([name, tensor]) => ({ name, tensor }));
  const meta = { architecture: arch, step: 5, config: { data: { dir: '/home/me/secret' } }, classes };
  await saveCheckpoint(join(run, 'last'), { ...meta, trainState: { seed: 1 } }, weights, [
    { name: 'opt.m', tensor: tf.zeros([2]) },
  ]);
  await saveCheckpoint(
    join(tmp, 'pretrain'),
    { ...meta, architecture: { ...arch, task: undefined } },
    weights,
  );
  // a second network of the same classes (the complement rule's init) and one of other classes
  const otherWeights = weights.map(({ name, tensor }) => ({ name, tensor: tf.mul(tensor, 0.5) }));
  await saveCheckpoint(join(tmp, 'init', 'last'), meta, otherWeights);
  await saveCheckpoint(
    join(tmp, 'other-classes', 'last'),
    { ...meta, classes: [...classes.slice(0, 2), { id: 2, name: 'table', color: [1, 2, 3] }] },
    otherWeights,
  );
  // a pre-training checkpoint (no classes)
  await saveCheckpoint(
    join(tmp, 'contrastive'),
    { architecture: { ...arch, task: 'pretrain' }, step: 5, config: null },
    weights,
  );
  tf.dispose(otherWeights.map((w) => w.tensor));
  net.params.dispose();
});

test('export: three files, no training state, loads and predicts like the checkpoint', () => {
  const out = join(tmp, 'export');
  const m = exportWebModel(run, out);
  assert.deepEqual(readdirSync(out).sort(), ['manifest.json', 'model.json', 'weights.bin']);
  const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
  assert.deepEqual(manifest, m.manifest);
  assert.equal(manifest.format, 'pointcontrast-web-model');
  assert.deepEqual(
    [manifest.task, manifest.backbone, manifest.voxelSize, manifest.features, manifest.source.step],
    ['segmentation', 'Res16UNet14A-w4', 0.1, 'rgb', 5],
  );
  assert.deepEqual(manifest.classes, classes);
  assert.equal(manifest.weightsBytes, readFileSync(join(run, 'last', 'weights.bin')).length);
  const model = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8'));
  assert.equal(model.config, null, 'the resolved config (local paths) stays home');
  assert.equal(model.trainState, undefined);
  assert.ok(!readFileSync(join(out, 'model.json'), 'utf8').includes('/home/me/secret'));
  assert.ok(readFileSync(join(out, 'weights.bin')).equals(readFileSync(join(run, 'last', 'weights.bin'))));

  const c = cloud(3000);
  const o = { voxelSize: 0.1, features: 'rgb' as const, numClasses: 3 };
  const a = loadModel(run);
  const b = loadModel(out);
  const before = tf.memory().numTensors;
  const pa = predictScene(a.net, c, o);
  const pb = predictScene(b.net, c, o);
  assert.equal(tf.memory().numTensors, before, 'inference frees its tensors');
  assert.deepEqual(Array.from(pb.pred), Array.from(pa.pred));
  assert.deepEqual(Array.from(pb.confidence), Array.from(pa.confidence));
  a.net.params.dispose();
  b.net.params.dispose();
});

test('export with the complement rule: the init as a web model in complement/, the values in manifest.json', () => {
  const init = join(tmp, 'init');
  // the init: the same architecture and classes, other weights
  const out = join(tmp, 'export-complement');
  const rule = { initDir: join(init, 'last'), absent: [2], thresholds: [0.42], rate: 0.005, minShare: 0.01 };
  const m = exportWebModel(run, out, rule);
  assert.deepEqual(readdirSync(out).sort(), ['complement', 'manifest.json', 'model.json', 'weights.bin']);
  const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
  assert.deepEqual(manifest, m.manifest);
  assert.deepEqual(manifest.complement, {
    model: COMPLEMENT_FOLDER,
    source: 'init/last',
    absent: [2],
    thresholds: [0.42],
    rate: 0.005,
    minShare: 0.01,
  });
  assert.equal(webComplementProblem(manifest.complement, classes.length), null);
  const nested = join(out, 'complement');
  assert.deepEqual(readdirSync(nested).sort(), ['manifest.json', 'model.json', 'weights.bin']);
  assert.equal(JSON.parse(readFileSync(join(nested, 'manifest.json'), 'utf8')).complement, undefined);
  assert.ok(
    readFileSync(join(nested, 'weights.bin')).equals(readFileSync(join(init, 'last', 'weights.bin'))),
  );
  assert.ok(!readFileSync(join(out, 'weights.bin')).equals(readFileSync(join(nested, 'weights.bin'))));
  // an init of other classes is refused, naming both; nothing is written
  assert.throws(
    () => exportWebModel(run, join(tmp, 'y'), { ...rule, initDir: join(tmp, 'other-classes') }),
    /complement: its init .*other-classes\/last predicts wall, floor, table; .*run\/last predicts wall, floor, chair/,
  );
  assert.ok(!existsSync(join(tmp, 'y')));
  assert.throws(
    () => readWebModel(run, { ...rule, initDir: join(tmp, 'pretrain') }),
    /not a segmentation checkpoint/,
  );
  // calibration loads the init first: a pre-training checkpoint is named as one
  assert.throws(
    () =>
      loadComplementInit(
        join(tmp, 'contrastive'),
        classes.map((c) => c.name),
      ),
    /complement: its init .*contrastive predicts no classes \(a pre-training checkpoint\?\); the rule needs a segmentation network/,
  );
});

test('a complement block that the page cannot apply is named by key', () => {
  const good = {
    model: 'complement/',
    source: 'x',
    absent: [2],
    thresholds: [0.4],
    rate: 0.005,
    minShare: 0.01,
  };
  assert.equal(webComplementProblem(good, 3), null);
  const cases: [unknown, RegExp][] = [
    [null, /complement: expected an object/],
    [{ ...good, model: '../up/' }, /complement\.model: expected a relative folder/],
    [{ ...good, model: 'complement' }, /complement\.model/],
    [{ ...good, absent: [3] }, /complement\.absent: expected distinct class ids 0\.\.2, got \[3\]/],
    [{ ...good, absent: [1, 1], thresholds: [0, 0] }, /complement\.absent/],
    [{ ...good, absent: [], thresholds: [] }, /complement\.absent/],
    [{ ...good, thresholds: [0.4, 0.5] }, /complement\.thresholds: expected 1 finite numbers/],
    [{ ...good, thresholds: [null] }, /complement\.thresholds/],
    [{ ...good, minShare: 2 }, /complement\.minShare: expected 0\.\.1, got 2/],
    [{ ...good, rate: '0.1' }, /complement\.rate/],
  ];
  for (const [c, re] of cases) assert.match(webComplementProblem(c, 3) ?? 'null', re, JSON.stringify(c));
});

test('export refuses checkpoints that are not segmentation models, naming them', () => {
  assert.throws(
    () => exportWebModel(join(tmp, 'pretrain'), join(tmp, 'x')),
    /pretrain: not a segmentation checkpoint \(its task is 'unknown'\)/,
  );
  assert.throws(() => exportWebModel(join(tmp, 'nothing'), join(tmp, 'x')), /not a checkpoint folder/);
  assert.ok(!existsSync(join(tmp, 'x')));
});

test('view serves the checkpoint under /model/ (only its three files) or says why not', async () => {
  const scans = join(tmp, 'scans');
  mkdirSync(scans);
  writeFileSync(join(scans, 'a.ply'), writePly(cloud(10)));
  const viewerDir = join(tmp, 'viewer');
  mkdirSync(viewerDir);
  writeFileSync(join(viewerDir, 'index.html'), '<!doctype html>');
  const s = await startViewServer({ root: scans, checkpoint: run, port: 0, viewerDir });
  try {
    assert.deepEqual(s.model, { dir: join(run, 'last') });
    const listing = JSON.parse((await rawRequest(s.port, '/api/scenes')).body.toString());
    assert.deepEqual(listing.model, { url: 'model/' }, 'the scene list tells the page where the model is');
    const manifest = JSON.parse((await rawRequest(s.port, '/model/manifest.json')).body.toString());
    assert.deepEqual(manifest, exportWebModel(run, join(tmp, 'export2')).manifest);
    const model = JSON.parse((await rawRequest(s.port, '/model/model.json')).body.toString());
    assert.equal(model.trainState, undefined);
    const w = await rawRequest(s.port, '/model/weights.bin');
    assert.ok(w.body.equals(readFileSync(join(run, 'last', 'weights.bin'))));
    for (const [p, status] of [
      ['/model/optimizer.bin', 404],
      ['/model/optimizer.json', 404],
      ['/model/x/weights.bin', 404],
      ['/model/', 400],
    ] as const)
      assert.equal((await rawRequest(s.port, p)).status, status, p);
    const csp = (await rawRequest(s.port, '/')).headers['content-security-policy'];
    assert.match(String(csp), /script-src 'self' 'wasm-unsafe-eval'/, 'tfjs wasm needs to compile');
  } finally {
    await s.close();
  }
  const plain = await startViewServer({ root: scans, port: 0, viewerDir });
  try {
    const listing = JSON.parse((await rawRequest(plain.port, '/api/scenes')).body.toString());
    assert.match(listing.model.reason, /not a segmentation run/);
    const r = await rawRequest(plain.port, '/model/manifest.json');
    assert.equal(r.status, 404);
    assert.match(
      JSON.parse(r.body.toString()).error,
      /scans: not a segmentation run, and no --checkpoint given \(.*not a checkpoint folder/,
    );
  } finally {
    await plain.close();
  }
  await assert.rejects(
    startViewServer({ root: scans, checkpoint: join(tmp, 'pretrain'), port: 0, viewerDir }),
    /not a segmentation checkpoint/,
  );
});
