/**
 * The format benchmark's inputs are the same cloud in every encoding (so the MB/s figures compare
 * like with like), and its results report the right sizes and counts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generatedInputs, runFormatBench, syntheticScan } from '../../src/bench/formats.js';
import { parsePointCloud } from '../../src/data/formats/index.js';
import { sameArray } from '../data/formats/fixtures.js';

test('every generated input decodes to the same synthetic scan', () => {
  const want = syntheticScan(500);
  const inputs = generatedInputs(500);
  assert.deepEqual(
    inputs.map((i) => i.name),
    [
      'ply binary_little_endian',
      'ply binary_big_endian',
      'ply ascii',
      'pcd binary',
      'pcd binary_compressed',
      'pcd ascii',
      'text x y z r g b label',
    ],
  );
  for (const inp of inputs) {
    const c = parsePointCloud(inp.bytes, inp.fileName);
    sameArray(c.positions, want.positions, `${inp.name} positions`);
    sameArray(c.colors, want.colors, `${inp.name} colors`);
    sameArray(c.labels, want.labels, `${inp.name} labels`);
  }
});

test('results carry sizes, counts and consistent throughput', () => {
  const inputs = generatedInputs(2000).slice(0, 2);
  let clock = 0;
  const res = runFormatBench(inputs, 3, undefined, () => (clock += 5));
  assert.equal(res.length, 2);
  for (const [k, r] of res.entries()) {
    assert.equal(r.points, 2000);
    assert.equal(r.bytes, inputs[k].bytes.length);
    assert.ok(r.msBest <= r.msMedian);
    assert.ok(Math.abs(r.mbPerS - r.bytes / 1e6 / (r.msMedian / 1000)) <= 0.05 * r.mbPerS + 0.01);
    assert.equal(r.cpuMsMedian, 5, 'the fake CPU clock advances 5 ms per call');
    assert.equal(r.mbPerSCpu, Math.round((r.bytes / 1e6 / 0.005) * 100) / 100);
  }
});
