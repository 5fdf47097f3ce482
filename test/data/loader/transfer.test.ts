import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { MessageChannel } from 'node:worker_threads';
import { createBatchBuilder } from '../../../src/data/loader/build-batch.js';
import { parseLoaderConfig } from '../../../src/data/loader/config.js';
import { batchTransferList } from '../../../src/data/loader/transfer.js';
import type { Batch } from '../../../src/data/loader/types.js';
import { toyPair, toyScene } from './toy-source.js';

function views(x: unknown, out: ArrayBufferView[] = []): ArrayBufferView[] {
  if (ArrayBuffer.isView(x)) out.push(x);
  else if (Array.isArray(x)) x.forEach((v) => views(v, out));
  else if (x && typeof x === 'object') Object.values(x).forEach((v) => views(v, out));
  return out;
}

describe('batch transfer list', () => {
  const cfg = parseLoaderConfig({
    voxelSize: 0.1,
    batchSize: 2,
    pointToVoxel: true,
    transforms: 'scannet-seg',
  });
  const o = { kind: 'scenes' as const, count: 2, points: 300 };
  const batches: Batch[] = [
    createBatchBuilder(cfg).scenes([toyScene(0, o), toyScene(1, o)], [1, 2], 0, 0),
    createBatchBuilder({ ...cfg, transforms: [] }).pairs(
      [toyPair(0, { ...o, kind: 'pairs' }), toyPair(1, { ...o, kind: 'pairs' })],
      [
        [1, 2],
        [3, 4],
      ],
      0,
      0,
    ),
  ];

  for (const b of batches) {
    test(`${b.kind}: every typed array of the batch is moved, none is copied`, async () => {
      const list = batchTransferList(b);
      const all = views(b);
      assert.equal(new Set(list).size, list.length);
      assert.equal(new Set(all.map((v) => v.buffer)).size, list.length, 'each array owns one buffer');
      for (const v of all) assert.ok(list.includes(v.buffer as ArrayBuffer));
      const lengths = all.map((v) => v.byteLength);
      const { port1, port2 } = new MessageChannel();
      const received = new Promise<Batch>((resolve) => port2.once('message', resolve));
      port1.postMessage(b, list);
      const got = await received;
      port1.close();
      port2.close();
      assert.ok(
        all.every((v) => v.byteLength === 0),
        'the sender’s arrays are detached',
      );
      assert.deepEqual(
        views(got).map((v) => v.byteLength),
        lengths,
      );
    });
  }
});
