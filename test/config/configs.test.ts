/**
 * Every config in configs/ loads, validates against its schema, and builds its network and
 * loader config (unknown keys and bad values are errors naming the key and file).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { resolvePretrainConfig } from '../../src/tasks/pretrain/schema.js';
import { resolveSegConfig } from '../../src/tasks/segment/schema.js';
import { resolveDetConfig } from '../../src/tasks/detect/schema.js';
import { buildNetwork } from '../../src/models/build.js';

const ROOT = new URL('../../configs/', import.meta.url).pathname;

test('every pre-training config validates and builds its network', () => {
  const files = readdirSync(join(ROOT, 'pretrain')).filter((f) => f.endsWith('.yaml'));
  assert.ok(files.includes('synthetic-small.yaml') && files.includes('scannet-pointcontrast.yaml'));
  for (const f of files) {
    const cfg = resolvePretrainConfig(join(ROOT, 'pretrain', f));
    const net = buildNetwork(cfg.model, 0, false);
    assert.ok(net.params.count() > 0, f);
    if (f === 'scannet-pointcontrast.yaml') assert.equal(Math.round(net.params.count() / 1e4) / 100, 37.85);
  }
});

test('every segmentation fine-tuning config validates and builds its network', () => {
  const files = readdirSync(join(ROOT, 'finetune')).filter((f) => f.endsWith('.yaml') && !f.includes('det'));
  assert.ok(files.length >= 1);
  for (const f of files) {
    const cfg = resolveSegConfig(join(ROOT, 'finetune', f));
    assert.ok(
      buildNetwork({ ...cfg.model, outChannels: 20, normalize: false }, 0, false).params.count() > 0,
      f,
    );
  }
});

/** The fine-tuning configs a pre-training config's header comment names (configs/finetune/*.yaml). */
function partnersOf(file: string): string[] {
  const header = readFileSync(file, 'utf8').split('\n');
  const comments = header
    .slice(
      0,
      header.findIndex((l) => !l.startsWith('#')),
    )
    .join('\n');
  return [...comments.matchAll(/configs\/finetune\/([\w.-]+\.yaml)/g)].map((m) => m[1]);
}

test('every pre-training config names its fine-tuning partners, whose backbone and input fit its checkpoint', () => {
  for (const f of readdirSync(join(ROOT, 'pretrain')).filter((n) => n.endsWith('.yaml'))) {
    const pre = resolvePretrainConfig(join(ROOT, 'pretrain', f));
    const partners = partnersOf(join(ROOT, 'pretrain', f));
    assert.ok(partners.length > 0, `${f}: its header names no configs/finetune/*.yaml partner`);
    for (const p of partners) {
      const path = join(ROOT, 'finetune', p);
      assert.ok(existsSync(path), `${f} names ${p}, which does not exist`);
      const ft = p.includes('det') ? resolveDetConfig(path) : resolveSegConfig(path);
      assert.equal(ft.model.backbone, pre.model.backbone, `${f} → ${p}: backbone`);
      assert.equal(ft.model.stemKernel, pre.model.stemKernel, `${f} → ${p}: stem kernel`);
      // the stem loads as it is (same width) or is adapted (constant ones → ones + colour)
      const adapted = pre.data.loader.features === 'ones' && ft.data.loader.features === 'ones-rgb';
      assert.ok(ft.model.inChannels === pre.model.inChannels || adapted, `${f} → ${p}: input channels`);
    }
  }
  assert.deepEqual(partnersOf(join(ROOT, 'pretrain', 'scannet-pointcontrast.yaml')), [
    'scannet-seg.yaml',
    's3dis-seg.yaml',
  ]);
});

test("the ScanNet and S3DIS fine-tuning configs are the papers' recipes (reference/pointcontrast.md §4.2)", () => {
  // dataset → [voxel (m), lr, validation every]; both: Res16UNet34C, SGD momentum 0.9, dampening
  // 0.1, wd 1e-4, poly 0.9, 60k iterations, batch 48, RGB input
  const recipes = { 'scannet-seg.yaml': [0.02, 0.8, 500], 's3dis-seg.yaml': [0.05, 0.1, 200] };
  for (const [f, [voxel, lr, every]] of Object.entries(recipes)) {
    const c = resolveSegConfig(join(ROOT, 'finetune', f));
    assert.equal(c.model.backbone, 'Res16UNet34C', f);
    assert.equal(c.data.loader.voxelSize, voxel, f);
    assert.equal(c.data.loader.batchSize, 48, f);
    assert.equal(c.data.loader.features, 'rgb', f);
    assert.deepEqual(c.optim, {
      ...c.optim,
      type: 'sgd',
      lr,
      momentum: 0.9,
      dampening: 0.1,
      weightDecay: 1e-4,
    });
    assert.deepEqual(c.schedule, { ...c.schedule, type: 'poly', power: 0.9 });
    assert.equal(c.train.maxSteps, 60000, f);
    assert.equal(c.validation.every, every, f);
    assert.equal(c.model.bnMomentum, 0.02, f);
  }
});

test('config errors name the file and the key', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pc-cfgs-'));
  const file = join(dir, 'bad.yaml');
  writeFileSync(
    file,
    `_base_: ${join(ROOT, 'pretrain', 'synthetic-small.yaml')}\noptim:\n  lr: -1\nmodell: {}\n`,
  );
  assert.throws(
    () => resolvePretrainConfig(file),
    (e: Error) => /bad\.yaml: optim\.lr/.test(e.message) && /modell/.test(e.message),
  );
  assert.throws(
    () => resolvePretrainConfig(join(ROOT, 'pretrain', 'synthetic-small.yaml'), ['data.loader.voxelSiz=0.1']),
    /voxelSiz/,
  );
  assert.throws(
    () => resolvePretrainConfig(join(ROOT, 'pretrain', 'synthetic-small.yaml'), ['model.backbone=Res99']),
    /model\.backbone/,
  );
});
