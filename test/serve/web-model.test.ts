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
import { exportWebModel } from '../../src/serve/web-model.js';
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
