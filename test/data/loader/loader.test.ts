import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { createLoader } from '../../../src/data/loader/loader.js';
import { parseLoaderConfig, type LoaderConfigInput } from '../../../src/data/loader/config.js';
import type { SourceSpec } from '../../../src/data/loader/sources.js';
import type { Batch } from '../../../src/data/loader/types.js';
import { createSource, type ToyOptions } from './toy-source.js';

const toyModule = fileURLToPath(new URL('./toy-source.ts', import.meta.url));
const spec = (o: ToyOptions): SourceSpec => ({ type: 'module', module: toyModule, options: o });

const sceneCfg: LoaderConfigInput = {
  voxelSize: 0.05,
  batchSize: 3,
  seed: 17,
  pointToVoxel: true,
  featureJitter: { sigma: 0.01, p: 0.95 },
  transforms: [
    { type: 'elastic', p: 0.95 },
    { type: 'rotate-xyz', x: [-0.05, 0.05], y: [-0.05, 0.05], z: [-3.14, 3.14] },
    { type: 'scale', range: [0.9, 1.1] },
    { type: 'dropout', ratio: 0.2, p: 0.5 },
    { type: 'flip', p: 0.95 },
    { type: 'chromatic-auto-contrast', p: 0.2 },
    { type: 'chromatic-translation', ratio: 0.1, p: 0.95 },
    { type: 'chromatic-jitter', std: 0.05, p: 0.95 },
  ],
};
const pairCfg: LoaderConfigInput = {
  voxelSize: 0.05,
  batchSize: 2,
  seed: 3,
  features: 'ones',
  featureJitter: { sigma: 0.01, p: 0.95 },
  transforms: [
    { type: 'center' },
    { type: 'rotate', axis: 'random', range: [-3.1416, 3.1416] },
    { type: 'crop', radius: 1.2 },
  ],
};

async function take(n: number, loader: { next(): Promise<Batch | null> }): Promise<Batch[]> {
  const out: Batch[] = [];
  for (let i = 0; i < n; i++) {
    const b = await loader.next();
    assert.ok(b);
    out.push(b);
  }
  return out;
}

describe('data loader', () => {
  test('worker and in-thread modes give identical scene batches (across an epoch boundary)', async () => {
    const o: ToyOptions = { kind: 'scenes', count: 7, points: 2000 };
    const inThread = await createLoader({
      source: createSource(o),
      config: parseLoaderConfig({ ...sceneCfg, workers: 0 }),
    });
    const worker = await createLoader({
      source: spec(o),
      config: parseLoaderConfig({ ...sceneCfg, workers: 1, prefetch: 3 }),
    });
    try {
      assert.equal(worker.batchesPerEpoch, 3);
      const a = await take(5, inThread);
      const b = await take(5, worker);
      assert.deepEqual(b, a);
      assert.deepEqual([a[2].epoch, a[2].index, a[3].epoch, a[3].index], [0, 2, 1, 0]);
      assert.equal(a[2].batchSize, 1); // 7 = 3 + 3 + 1
      assert.ok(
        b[0].kind === 'scenes' && b[0].feats instanceof Float32Array && b[0].coords instanceof Int32Array,
      );
    } finally {
      await worker.close();
      await inThread.close();
    }
  });

  test('worker (two threads) and in-thread modes give identical pair batches', async () => {
    const o: ToyOptions = { kind: 'pairs', count: 5, points: 1500 };
    const inThread = await createLoader({
      source: spec(o),
      config: parseLoaderConfig({ ...pairCfg, workers: 0 }),
    });
    const worker = await createLoader({
      source: spec(o),
      config: parseLoaderConfig({ ...pairCfg, workers: 2, prefetch: 2 }),
    });
    try {
      const a = await take(4, inThread);
      const b = await take(4, worker);
      assert.deepEqual(b, a);
      const p = b[0];
      assert.ok(p.kind === 'pairs' && p.corr.length > 0 && p.view0.featDim === 3);
    } finally {
      await worker.close();
      await inThread.close();
    }
  });

  test('every sample appears once per epoch; epochs are shuffled differently; the stream ends after `epochs`', async () => {
    const o: ToyOptions = { kind: 'scenes', count: 10, points: 50 };
    const loader = await createLoader({
      source: createSource(o),
      config: parseLoaderConfig({ ...sceneCfg, transforms: [], batchSize: 4, epochs: 2, workers: 0 }),
    });
    const names: string[][] = [[], []];
    for await (const b of loader) names[b.epoch].push(...b.sceneNames);
    assert.deepEqual(names[0].slice().sort(), names[1].slice().sort());
    assert.equal(new Set(names[0]).size, 10);
    assert.notDeepEqual(names[0], names[1]);
    assert.equal(await loader.next(), null);
  });

  test('resuming from a saved state gives exactly the next batches', async () => {
    const o: ToyOptions = { kind: 'scenes', count: 5, points: 1000 };
    const config = { ...sceneCfg, batchSize: 2, workers: 1, prefetch: 2 };
    // the first run builds in-thread, the resumed one in a worker: modes are interchangeable
    const first = await createLoader({
      source: spec(o),
      config: parseLoaderConfig({ ...config, workers: 0 }),
    });
    let saved;
    let expected: Batch[];
    try {
      await take(4, first); // 3 batches per epoch: this crosses into epoch 1
      saved = first.state();
      assert.deepEqual({ epoch: saved.epoch, batch: saved.batch }, { epoch: 1, batch: 1 });
      expected = await take(3, first);
    } finally {
      await first.close();
    }
    const resumed = await createLoader({
      source: spec(o),
      config: parseLoaderConfig(config),
      resume: JSON.parse(JSON.stringify(saved)),
    });
    try {
      assert.deepEqual(await take(3, resumed), expected);
    } finally {
      await resumed.close();
    }
    await assert.rejects(
      createLoader({
        source: createSource(o),
        config: parseLoaderConfig({ ...config, workers: 0, seed: 99 }),
        resume: saved,
      }),
      /resume state: seed is 17 but the loader has 99/,
    );
  });

  test('errors: a failing sample read in a worker names the sample; config typos name the key', async () => {
    const o: ToyOptions = { kind: 'scenes', count: 4, points: 100, failAt: 2 };
    const loader = await createLoader({
      source: spec(o),
      config: parseLoaderConfig({ ...sceneCfg, shuffle: false, batchSize: 2, workers: 1 }),
    });
    try {
      await loader.next();
      await assert.rejects(loader.next(), /batch 1 of epoch 0 failed: toy source: cannot read sample 2/);
      await assert.rejects(loader.next(), /batch 1 of epoch 0 failed/);
    } finally {
      await loader.close();
    }
    assert.throws(
      () => parseLoaderConfig({ ...sceneCfg, voxelsize: 0.02 }, 'train.yaml: data'),
      /train\.yaml: data\.voxelsize: unknown key/,
    );
    await assert.rejects(
      createLoader({ source: createSource(o), config: parseLoaderConfig({ ...sceneCfg, workers: 1 }) }),
      /a source object cannot be sent to a worker/,
    );
    await assert.rejects(
      createLoader({
        source: { type: 'module', module: toyModule, export: 'nope' },
        config: parseLoaderConfig({ ...sceneCfg, workers: 0 }),
      }),
      /no exported function 'nope'/,
    );
  });
});
