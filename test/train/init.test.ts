/**
 * Loading a pre-trained backbone for fine-tuning: same-shape parameters load, the new head is
 * left alone, another backbone is an error listing the layers, and a stem pre-trained on
 * constant-one inputs adapted to (1, r, g, b) inputs computes exactly the pre-trained function,
 * as does one pre-trained on (1, height) adapted to (1, r, g, b, height); a layout that drops a
 * pre-trained channel is not adapted.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { architectureSchema, buildNetwork } from '../../src/models/build.js';
import { saveCheckpoint } from '../../src/train/checkpoint.js';
import { loadBackbone } from '../../src/train/init.js';
import { checkInputChannels } from '../../src/config/finetune.js';
import { SparseTensor } from '../../src/sparse/sparse-tensor.js';
import { assertClose, useBackend } from '../helpers/backends.js';

const COORDS = new Int32Array(
  Array.from({ length: 300 }, (_, i) => [0, i % 10, Math.floor(i / 10) % 10, Math.floor(i / 100)]).flat(),
);

async function pretrained(features: string, inChannels = 3) {
  const net = buildNetwork(
    architectureSchema.parse({
      backbone: 'Res16UNet14A-w4',
      inChannels,
      outChannels: 32,
      normalize: true,
    }),
    7,
  );
  const dir = join(mkdtempSync(join(tmpdir(), 'pc-init-')), 'last');
  await saveCheckpoint(
    dir,
    { architecture: { backbone: 'Res16UNet14A-w4', features }, step: 1, config: {} },
    net.params.entries().map(([name, v]) => ({ name, tensor: v })),
  );
  return { net, dir };
}

test('same-shape loading: backbone loaded, head new, wrong backbone is an error naming layers', async () => {
  await useBackend('cpu');
  const { net, dir } = await pretrained('ones');
  const seg = buildNetwork(
    architectureSchema.parse({ backbone: 'Res16UNet14A-w4', inChannels: 3, outChannels: 20 }),
    1,
  );
  const report = loadBackbone(seg.params, dir);
  assert.deepEqual(report.skipped.map((s) => s.name).sort(), ['final.bias', 'final.weight']);
  assertClose(
    seg.params.get('block3.0.conv1.weight').dataSync(),
    net.params.get('block3.0.conv1.weight').dataSync(),
    0,
    'weights copied',
  );
  const other = buildNetwork(
    architectureSchema.parse({ backbone: 'Res16UNet14A-w2', inChannels: 3, outChannels: 20 }),
    1,
  );
  assert.throws(
    () => loadBackbone(other.params, dir),
    /does not match the network; \d+ layers differ:\n {2}conv0p1s1\.weight: shape/,
  );
});

/**
 * Pre-trains on layout `from` (cin channels), fine-tunes with `to` (cout channels) and returns both
 * networks' outputs on inputs that agree on the pre-trained channels (`inputs` gives both).
 */
async function adaptedOutputs(
  from: string,
  cin: number,
  to: string,
  cout: number,
  inputs: (n: number) => [tf.Tensor2D, tf.Tensor2D],
) {
  const { net, dir } = await pretrained(from, cin);
  const ft = buildNetwork(
    architectureSchema.parse({
      backbone: 'Res16UNet14A-w4',
      inChannels: cout,
      outChannels: 32,
      normalize: true,
    }),
    3,
  );
  loadBackbone(ft.params, dir, 'final.', to);
  for (const name of ['final.weight', 'final.bias']) ft.params.get(name).assign(net.params.get(name));
  const [x, y] = inputs(COORDS.length / 4);
  const a = net.forward(SparseTensor.fromCoords(COORDS, x), { training: false }).features.dataSync();
  const b = ft.forward(SparseTensor.fromCoords(COORDS, y), { training: false }).features.dataSync();
  return { a, b, ft };
}

test('a stem pre-trained on constant ones, adapted to (1, r, g, b), keeps the pre-trained function', async () => {
  await useBackend('cpu');
  const { a, b } = await adaptedOutputs('ones', 3, 'ones-rgb', 4, (n) => {
    const rgb = tf.randomUniform([n, 3], -0.5, 0.5, 'float32', 2);
    return [tf.ones([n, 3]), tf.concat([tf.ones([n, 1]), rgb], 1) as tf.Tensor2D];
  });
  assertClose(b, a, 1e-5, 'adapted network output');
  assert.throws(
    () => checkInputChannels(3, 'ones-rgb', 'x.yaml'),
    /x\.yaml: model\.inChannels is 3 but data\.loader\.features 'ones-rgb' gives 4 channels/,
  );
});

test('a stem pre-trained on (1, height), adapted to (1, r, g, b, height), keeps the pre-trained function', async () => {
  await useBackend('cpu');
  const { a, b, ft } = await adaptedOutputs('ones-height', 2, 'ones-rgb-height', 5, (n) => {
    const rgb = tf.randomUniform([n, 3], -0.5, 0.5, 'float32', 2);
    const height = tf.randomUniform([n, 1], 0, 3, 'float32', 4);
    const one = tf.ones([n, 1]);
    return [tf.concat([one, height], 1) as tf.Tensor2D, tf.concat([one, rgb, height], 1) as tf.Tensor2D];
  });
  assertClose(b, a, 1e-5, 'adapted network output');
  const stem = ft.params.get('conv0p1s1.weight');
  const [vol, , cout] = stem.shape as [number, number, number];
  const colour = tf.slice(stem, [0, 1, 0], [vol, 3, cout]);
  assert.equal(tf.max(tf.abs(colour)).dataSync()[0], 0, 'colour channels start at zero');
  // A colour checkpoint into a layout without colour: not adapted, so the stem is a shape mismatch.
  const { dir: rgbDir } = await pretrained('rgb');
  const noColour = buildNetwork(
    architectureSchema.parse({ backbone: 'Res16UNet14A-w4', inChannels: 2, outChannels: 20 }),
    1,
  );
  assert.throws(
    () => loadBackbone(noColour.params, rgbDir, 'final.', 'ones-height'),
    /conv0p1s1\.weight: shape/,
  );
});
