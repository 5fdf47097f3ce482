/**
 * Every config in configs/ loads, validates against its schema, and builds its network and
 * loader config (unknown keys and bad values are errors naming the key and file).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { resolvePretrainConfig } from '../../src/tasks/pretrain/schema.js';
import { resolveSegConfig } from '../../src/tasks/segment/schema.js';
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
    assert.ok(buildNetwork({ ...cfg.model, outChannels: 20 }, 0, false).params.count() > 0, f);
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
