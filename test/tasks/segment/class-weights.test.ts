/**
 * `loss.classWeights: inverse-sqrt`: the weights by hand (odd and even numbers of labelled
 * classes, classes without labels), the errors naming the key, and a run whose summary lists
 * the weights of its own training scenes' histogram with a held-out class removed (the weighted
 * loss itself: loss-and-tta.test.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { useBackend } from '../../helpers/backends.js';
import { methodsFixture } from './methods-fixture.js';
import { inverseSqrtWeights, resolveClassWeights } from '../../../src/tasks/segment/class-weights.js';
import { runFinetuneSeg } from '../../../src/tasks/segment/run.js';
import { openPreparedDataset } from '../../../src/data/prepared/dataset.js';

const close = (a: number[], b: number[]) =>
  assert.ok(a.length === b.length && a.every((v, i) => Math.abs(v - b[i]) < 1e-12), `${a} vs ${b}`);

test('inverseSqrtWeights: √(median / n) over the labelled classes, 1 for a class without labels', () => {
  // labelled 25, 100, 400: median 100
  close(inverseSqrtWeights([100, 400, 0, 25]), [1, 0.5, 1, 2]);
  // labelled 1, 4, 9, 16: median 6.5
  close(inverseSqrtWeights([16, 1, 9, 4]), [
    Math.sqrt(6.5 / 16),
    Math.sqrt(6.5),
    Math.sqrt(6.5 / 9),
    Math.sqrt(6.5 / 4),
  ]);
  close(inverseSqrtWeights([0, 0]), [1, 1]);
  close(resolveClassWeights([1, 2, 3], 3)!, [1, 2, 3]);
  assert.equal(resolveClassWeights(null, 3), null);
  assert.throws(() => resolveClassWeights([1, 2], 3), /loss\.classWeights: 2 weights for 3 classes/);
  assert.throws(
    () => resolveClassWeights('inverse-sqrt', 3, () => [1, 2]),
    /loss\.classWeights: 'inverse-sqrt' needs/,
  );
});

test('a run with inverse-sqrt weights its loss by its own training labels (held-out classes removed)', async () => {
  await useBackend('wasm');
  const { data, config } = await methodsFixture();
  const ds = openPreparedDataset(data);
  const names = ds.manifest.classes.map((c) => c.name);
  const train = ds.manifest.scenes.filter((s) => s.split === 'train');
  // hold out the first class with labels, so that the computed weights must drop it
  const hist = names.map((_, c) => train.reduce((a, s) => a + s.histogram[c], 0));
  const heldOut = hist.findIndex((n) => n > 0);
  hist[heldOut] = 0;
  const want = inverseSqrtWeights(hist);
  const out = join(mkdtempSync(join(tmpdir(), 'pc-cw-')), 'run');
  await runFinetuneSeg({
    config,
    out,
    overrides: [
      'loss.classWeights=inverse-sqrt',
      `data.ignoreClasses=${JSON.stringify([names[heldOut]])}`,
      'train.maxSteps=1',
    ],
  });
  const line = readFileSync(join(out, 'summary.md'), 'utf8')
    .split('\n')
    .find((l) => l.startsWith('- class weights (inverse-sqrt of the training labels): '));
  assert.ok(line, 'the summary lists the weights');
  const got = line
    .slice(line.indexOf(': ') + 2)
    .split(', ')
    .map((e) => Number(e.slice(e.lastIndexOf(' ') + 1)));
  close(
    got,
    want.map((w) => Number(w.toFixed(3))),
  );
  assert.ok(
    want.some((w) => Math.abs(w - 1) > 0.01),
    'the fixture has unequal classes',
  );
});
