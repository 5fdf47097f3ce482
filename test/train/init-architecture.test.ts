/**
 * Fine-tuning from a checkpoint of another backbone: the run takes the checkpoint's architecture
 * (a note says so; the adopted network then loads the checkpoint) unless the user set
 * model.backbone in the config file itself or with --set, which is an error naming both.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { architectureSchema, buildNetwork } from '../../src/models/build.js';
import { saveCheckpoint } from '../../src/train/checkpoint.js';
import { loadBackbone } from '../../src/train/init.js';
import { explicitSetting } from '../../src/config/config-file.js';
import { fitInitArchitecture } from '../../src/config/finetune.js';
import { resolveSegConfig } from '../../src/tasks/segment/schema.js';
import { useBackend } from '../helpers/backends.js';

const SCANNET_SEG = fileURLToPath(new URL('../../configs/finetune/scannet-seg.yaml', import.meta.url));

/** A pre-trained Res16UNet14A-w4 (stem kernel 3) checkpoint; returns its folder. */
async function pretrained14A(): Promise<string> {
  const arch = { backbone: 'Res16UNet14A-w4', inChannels: 3, outChannels: 32, normalize: true } as const;
  const net = buildNetwork(architectureSchema.parse(arch), 3);
  const dir = join(mkdtempSync(join(tmpdir(), 'pc-initarch-')), 'last');
  await saveCheckpoint(
    dir,
    { architecture: { task: 'pretrain', ...arch, stemKernel: 3, features: 'ones' }, step: 1, config: {} },
    net.params.entries().map(([name, v]) => ({ name, tensor: v })),
  );
  net.params.dispose();
  return dir;
}

/** A config that inherits scannet-seg.yaml (Res16UNet34C) without naming a backbone itself. */
function derivedConfig(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'pc-initarch-cfg-')), 'mine.yaml');
  writeFileSync(file, `_base_: ${SCANNET_SEG}\nname: mine\ntrain:\n  maxSteps: 10\n`);
  return file;
}

test('explicitSetting: a --set of the key or its section, else the file itself, never its _base_', () => {
  const file = derivedConfig();
  assert.equal(explicitSetting(file, [], 'model.backbone'), undefined);
  assert.equal(explicitSetting(file, [], 'train.maxSteps'), file);
  assert.equal(explicitSetting(SCANNET_SEG, [], 'model.backbone'), SCANNET_SEG);
  assert.equal(
    explicitSetting(file, ['optim.lr=0.1', 'model.backbone=Res16UNet14A'], 'model.backbone'),
    '--set model.backbone=Res16UNet14A',
  );
  assert.equal(
    explicitSetting(file, ['model={backbone: Res16UNet14A}'], 'model.backbone'),
    '--set model={backbone: Res16UNet14A}',
  );
  assert.equal(explicitSetting(file, ['model.stemKernel=5'], 'model.backbone'), undefined);
});

test("a backbone only inherited from a base config is replaced by the init checkpoint's", async () => {
  await useBackend('cpu');
  const init = await pretrained14A();
  const config = derivedConfig();
  const overrides = [`init=${init}`];
  const target = { cfg: resolveSegConfig(config, overrides), path: 'unused' };
  assert.equal(target.cfg.model.backbone, 'Res16UNet34C');
  const fitted = fitInitArchitecture(target, { config, overrides });
  assert.equal(fitted.cfg.model.backbone, 'Res16UNet14A-w4');
  assert.deepEqual(fitted.notes, [
    `model.backbone Res16UNet14A-w4 taken from the init checkpoint ${init} (the config's default was Res16UNet34C)`,
  ]);
  // everything else is the config's (RGB input, fine-tuning BN momentum)
  assert.deepEqual({ ...fitted.cfg, model: target.cfg.model }, target.cfg);
  assert.equal(fitted.cfg.model.bnMomentum, 0.02);
  // the adopted network takes every pre-trained parameter; only the new head is left
  const seg = buildNetwork({ ...fitted.cfg.model, outChannels: 20, normalize: false }, 1);
  const report = loadBackbone(seg.params, init);
  assert.deepEqual(report.skipped.map((s) => s.name).sort(), ['final.bias', 'final.weight']);
  seg.params.dispose();

  // resumed and from-scratch runs are left as they are
  assert.equal(fitInitArchitecture(target, { config, overrides, resume: true }).cfg, target.cfg);
  const scratch = { cfg: resolveSegConfig(config), path: 'unused' };
  assert.equal(fitInitArchitecture(scratch, { config }).cfg, scratch.cfg);
});

test('a backbone the user set (in the config file or with --set) that the checkpoint lacks is an error naming both', async () => {
  const init = await pretrained14A();
  const both = (where: string) =>
    new RegExp(
      `: the checkpoint's backbone \\(Res16UNet14A-w4\\) does not match model\\.backbone Res16UNet34C \\(set by ${where}\\)`,
    );
  const inFile = [`init=${init}`];
  assert.throws(
    () =>
      fitInitArchitecture(
        { cfg: resolveSegConfig(SCANNET_SEG, inFile), path: 'x' },
        { config: SCANNET_SEG, overrides: inFile },
      ),
    both(SCANNET_SEG.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')),
  );
  const config = derivedConfig();
  const bySet = [`init=${init}`, 'model.backbone=Res16UNet34C'];
  assert.throws(
    () =>
      fitInitArchitecture({ cfg: resolveSegConfig(config, bySet), path: 'x' }, { config, overrides: bySet }),
    both('--set model\\.backbone=Res16UNet34C'),
  );
});
