/** The segmentation box's text: total time by stage, backend and device, skipped backends. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { segmentSummary } from '../src/segment/summary.js';

const base = {
  file: 'scan.ply',
  points: 80583,
  voxels: 64497,
  timings: { parse: 41, network: 2680, runs: [2680], prepare: 150 },
  totalMs: 3650,
  model: 'Res16UNet14A-w4, 20 classes',
};

test('first file: total time with model load, parsing and network; backend and device; skipped reasons', () => {
  const s = segmentSummary({
    ...base,
    loadMs: 330,
    info: {
      backend: 'wasm',
      device: '2 threads',
      skipped: [
        'webgpu: the browser offers no adapter',
        'webgl: software renderer (SwiftShader); wasm is faster',
      ],
    },
  });
  assert.equal(
    s.result,
    'scan.ply: 80,583 points, 64,497 voxels segmented on wasm in 3.65 s total (model load 0.33 s, parsing 0.04 s, network 2.68 s) (wasm: 2 threads; Res16UNet14A-w4, 20 classes)',
  );
  assert.equal(
    s.skipped,
    'skipped: webgpu: the browser offers no adapter; webgl: software renderer (SwiftShader); wasm is faster',
  );
});

test('later files say the model was already loaded; nothing skipped is an empty line', () => {
  const s = segmentSummary({
    ...base,
    loadMs: null,
    info: { backend: 'webgpu', device: 'google swiftshader (software)', skipped: [] },
  });
  assert.match(
    s.result,
    /in 3\.65 s total \(model already loaded, parsing 0\.04 s, network 2\.68 s\) \(webgpu: google swiftshader \(software\);/,
  );
  assert.equal(s.skipped, '');
});
