/**
 * Config files: _base_ inheritance, --set overrides, and errors that name the file and key.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { z } from 'zod';
import { applyOverride, loadConfigObject, validateConfig } from '../../src/config/config-file.js';

test('_base_ deep-merges and --set overrides with YAML values', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pc-cfg-'));
  writeFileSync(join(dir, 'base.yaml'), 'optim:\n  lr: 0.1\n  momentum: 0.9\ntrain:\n  maxSteps: 10\n');
  writeFileSync(join(dir, 'child.yaml'), '_base_: base.yaml\noptim:\n  lr: 0.05\n');
  const cfg = loadConfigObject(join(dir, 'child.yaml'), [
    'train.maxSteps=20',
    'data.list=[1, 2]',
    'name=run-a',
  ]);
  assert.deepEqual(cfg, {
    optim: { lr: 0.05, momentum: 0.9 },
    train: { maxSteps: 20 },
    data: { list: [1, 2] },
    name: 'run-a',
  });
  assert.throws(() => applyOverride({}, 'novalue'), /expected key=value/);
});

test('validation errors name the file and the key; YAML errors the line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pc-cfg-'));
  const schema = z.strictObject({ optim: z.strictObject({ lr: z.number().positive() }) });
  const file = join(dir, 'bad.yaml');
  writeFileSync(file, 'optim:\n  lr: -1\n  lrr: 2\n');
  assert.throws(
    () => validateConfig(schema, loadConfigObject(file), file),
    (e: Error) => {
      assert.match(e.message, new RegExp(`${file.replace(/[/\\]/g, '.')}: optim\\.lrr: unknown key`));
      assert.match(e.message, /optim\.lr: .*>0/);
      return true;
    },
  );
  writeFileSync(file, 'optim:\n  lr: [1, 2\n');
  assert.throws(() => loadConfigObject(file), /bad\.yaml:\d+:\d+: invalid YAML/);
  writeFileSync(join(dir, 'loop.yaml'), '_base_: loop.yaml\n');
  assert.throws(() => loadConfigObject(join(dir, 'loop.yaml')), /_base_ cycle/);
});
