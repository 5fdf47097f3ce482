/**
 * Tiny fixtures for the transfer-method runs (methods.test.ts): the detection test's 4 × 4 m
 * prepared rooms, a "pre-trained" init checkpoint written directly (a seeded Res16UNet14A-w4 with
 * a 32-wide normalised output and a PointInfoNCE temperature in its config), and a fine-tuning
 * config at 20 cm voxels, batches of 2, a constant learning rate (so a 2-step run resumed to 4
 * follows the 4-step run) and no validation.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { parse as parseYaml, stringify } from 'yaml';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { architectureSchema, buildNetwork } from '../../../src/models/build.js';
import { saveCheckpoint } from '../../../src/train/checkpoint.js';
import { writeTinyDetDataset } from '../detect/fixture.js';

export const INIT_TEMPERATURE = 0.1;
export const INIT_ARCH = {
  backbone: 'Res16UNet14A-w4' as const,
  inChannels: 3,
  outChannels: 32,
  normalize: true,
};

/** Writes the dataset, the init checkpoint and the config; returns their paths. */
export async function methodsFixture(): Promise<{ dir: string; data: string; init: string; config: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'pc-seg-methods-'));
  const data = join(dir, 'data');
  writeTinyDetDataset(data, 3, 1);
  const net = buildNetwork(architectureSchema.parse(INIT_ARCH), 11);
  const init = join(dir, 'init');
  await saveCheckpoint(
    init,
    {
      architecture: { task: 'pretrain', ...INIT_ARCH, voxelSize: 0.2, features: 'ones' },
      step: 0,
      config: { loss: { type: 'point-info-nce', temperature: INIT_TEMPERATURE } },
    },
    net.params.entries().map(([name, tensor]) => ({ name, tensor })),
  );
  net.params.dispose();
  // the shipped config with its schedule replaced (a _base_ would merge poly's `power` in)
  const base = new URL('../../../configs/finetune/synthetic-seg.yaml', import.meta.url).pathname;
  const cfg = parseYaml(readFileSync(base, 'utf8')) as Record<string, unknown>;
  Object.assign(cfg, {
    name: 'tiny-methods',
    init,
    data: {
      ...(cfg.data as object),
      dir: data,
      valSplit: null,
      loader: { voxelSize: 0.2, batchSize: 2, features: 'ones', workers: 0, transforms: 'scannet-seg' },
    },
    schedule: { type: 'constant' },
    train: { maxSteps: 4, checkpointEvery: 100, logEvery: 1 },
  });
  const config = join(dir, 'seg.yaml');
  writeFileSync(config, stringify(cfg));
  return { dir, data, init, config };
}
