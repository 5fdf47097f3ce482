/**
 * Tiny configs for the segmentation CLI test (seg-cli.test.ts): the shipped pre-training,
 * fine-tuning and demo configs as `_base_`, shrunk to a 10 cm voxel, batches of 1–2, in-process
 * loading (workers: 0) and a handful of steps, so every command runs in seconds on 2 cores.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';

const configs = (rel: string) => fileURLToPath(new URL(`../../../configs/${rel}`, import.meta.url));

function write(path: string, cfg: Record<string, unknown>): string {
  writeFileSync(path, stringify(cfg));
  return path;
}

/** configs/pretrain/synthetic-small.yaml on the pairs in `pairsDir` (Res16UNet14A-w4, 64 matches). */
export function writeTinyPretrainConfig(dir: string, pairsDir: string): string {
  return write(join(dir, 'pretrain.yaml'), {
    _base_: configs('pretrain/synthetic-small.yaml'),
    data: {
      source: { dir: pairsDir },
      loader: { voxelSize: 0.1, batchSize: 1, workers: 0 },
    },
    loss: { npos: 64 },
    train: { maxSteps: 2, checkpointEvery: 100, logEvery: 1 },
  });
}

/** configs/finetune/synthetic-seg.yaml on the prepared dataset `dataDir`: 3 steps, validated at step 3. */
export function writeTinySegConfig(dir: string, dataDir: string): string {
  return write(join(dir, 'seg.yaml'), {
    _base_: configs('finetune/synthetic-seg.yaml'),
    data: {
      dir: dataDir,
      loader: { voxelSize: 0.1, batchSize: 2, workers: 0 },
    },
    train: { maxSteps: 3, checkpointEvery: 100, logEvery: 1 },
    validation: { every: 3, maxScenes: 2 },
  });
}

/** configs/demo.yaml with 5 labelled scenes, 2 pre-training scenes and 2 steps per training run. */
export function writeTinyDemoConfig(dir: string, pretrainConfig: string, segConfig: string): string {
  return write(join(dir, 'demo.yaml'), {
    _base_: configs('demo.yaml'),
    labelledScenes: 5,
    trainScenes: 2,
    pointsPerScene: 50,
    pretrainScenes: 2,
    viewsPerScene: 3,
    voxelSize: 0.1,
    pretrain: { config: pretrainConfig, set: ['train.maxSteps=2'] },
    finetune: { config: segConfig, set: ['train.maxSteps=2'] },
    predictScenes: 1,
  });
}
