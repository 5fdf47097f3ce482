/**
 * A run's config.yaml is the fully resolved config: every shipped config, once resolved (its
 * `_base_` chain, defaults of every section including the embedded loader and source schemas,
 * augmentation recipes expanded), is written by RunDir exactly as the run uses it, and reading
 * that file back resolves to the same config (a fixed point, so --resume trains the same run).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { RunDir } from '../../src/train/run-dir.js';
import { resolvePretrainConfig } from '../../src/tasks/pretrain/schema.js';
import { resolveSegConfig } from '../../src/tasks/segment/schema.js';
import { resolveDetConfig } from '../../src/tasks/detect/schema.js';

const CONFIGS = fileURLToPath(new URL('../../configs/', import.meta.url));
const plain = (v: unknown): unknown => JSON.parse(JSON.stringify(v));

const cases: [string, (file: string) => unknown][] = [
  ...readdirSync(join(CONFIGS, 'pretrain')).map((f): [string, (file: string) => unknown] => [
    join('pretrain', f),
    resolvePretrainConfig,
  ]),
  ...readdirSync(join(CONFIGS, 'finetune'))
    .filter((f) => !f.includes('det'))
    .map((f): [string, (file: string) => unknown] => [join('finetune', f), resolveSegConfig]),
  ...readdirSync(join(CONFIGS, 'finetune'))
    .filter((f) => f.includes('det'))
    .map((f): [string, (file: string) => unknown] => [join('finetune', f), resolveDetConfig]),
];

for (const [rel, resolve] of cases) {
  test(`config.yaml of ${rel} holds the resolved config and resolves to itself`, () => {
    const cfg = resolve(join(CONFIGS, rel)) as {
      data: { loader: Record<string, unknown>; source?: { type: string } };
    };
    const run = new RunDir(mkdtempSync(join(tmpdir(), 'pc-resolved-')));
    run.writeConfig(cfg);
    const file = join(run.path, 'config.yaml');
    const written = parse(readFileSync(file, 'utf8')) as typeof cfg;
    assert.deepEqual(written, plain(cfg));
    // defaults the shipped files leave out are in the saved file
    for (const key of ['prefetch', 'workers', 'shuffle', 'epochs', 'featureJitter', 'pointToVoxel'])
      assert.ok(key in written.data.loader, `${rel}: data.loader.${key} missing from config.yaml`);
    const transforms = written.data.loader.transforms as { type: string }[];
    assert.ok(Array.isArray(transforms), `${rel}: transforms saved as the expanded list`);
    for (const t of transforms) assert.equal(typeof t.type, 'string');
    if (rel.startsWith('pretrain')) assert.equal(typeof written.data.source?.type, 'string');
    assert.deepEqual(plain(resolve(file)), plain(cfg), `${rel}: resolving config.yaml changes it`);
  });
}

test('a bad loader or source key in a task config names the file and the full key', () => {
  const base = join(CONFIGS, 'pretrain', 'synthetic-small.yaml');
  assert.throws(
    () => resolvePretrainConfig(base, ['data.loader.transforms=[{type: rotate, angel: 1}]']),
    /synthetic-small\.yaml: data\.loader\.transforms\[0\]\.angel: unknown key/,
  );
  assert.throws(
    () => resolvePretrainConfig(base, ['data.source.type=nope']),
    /synthetic-small\.yaml: data\.source\.type/,
  );
  assert.throws(
    () => resolvePretrainConfig(base, ['data.loader.batchSize=0']),
    /synthetic-small\.yaml: data\.loader\.batchSize/,
  );
});
