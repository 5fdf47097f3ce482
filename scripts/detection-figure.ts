/**
 * Renders a detection figure for docs/detection.md: one prepared scene with its ground-truth and
 * predicted boxes (a detection checkpoint, `detectScene` with the viewer's decoding) written as a
 * viewer prediction folder, opened in our viewer in headless chromium, saved as a PNG.
 * Usage: npx tsx scripts/detection-figure.ts CHECKPOINT PREPARED_DIR SCENE OUT.png ['#viewer-hash']
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { initBackend } from '../src/backend/select.js';
import { loadDetector, detectScene } from '../src/tasks/detect/infer.js';
import { VIEW_DECODE } from '../src/models/heads/decode.js';
import { openPreparedDataset } from '../src/data/prepared/dataset.js';
import { writePointCloudPly } from '../src/data/io/read-cloud.js';
import { writeJsonAtomic } from '../src/data/io/atomic-write.js';
import { screenshotViewer } from '../viewer/scripts/screenshot.js';

const [checkpoint, data, sceneName, outPng, hash = '#mode=gt&size=2.5'] = process.argv.slice(2);
if (!outPng) throw new Error('usage: detection-figure.ts CHECKPOINT PREPARED_DIR SCENE OUT.png [#hash]');
await initBackend({});
const model = loadDetector(checkpoint);
const ds = openPreparedDataset(data);
const scene = ds.readScene(sceneName);
const pred = detectScene(
  model.det,
  scene.cloud,
  model.features,
  { ...VIEW_DECODE, minScore: 0.3 },
  sceneName,
);
const dir = resolve('bench-out/detection-figure', sceneName);
mkdirSync(dir, { recursive: true });
const file = `${sceneName}.ply`;
const gt = Int16Array.from(scene.cloud.labels ?? new Int32Array(scene.cloud.positions.length / 3).fill(-1));
writePointCloudPly(join(dir, file), {
  positions: scene.cloud.positions,
  colors: scene.cloud.colors,
  properties: { gt },
});
writeJsonAtomic(join(dir, 'index.json'), {
  format: 'pointcontrast-predictions',
  version: 1,
  labelSet: ds.manifest.labelMap.name,
  ignoreLabel: ds.manifest.ignoreLabel,
  classes: ds.manifest.classes.map((c) => ({ id: c.id, name: c.name, color: c.color })),
  checkpoint: model.dir,
  scenes: [{ name: sceneName, file, points: gt.length, boxes: { gt: scene.boxes, pred } }],
});
console.log(`${sceneName}: ${scene.boxes.length} ground-truth boxes, ${pred.length} predicted (score ≥ 0.3)`);
await screenshotViewer(dir, hash, outPng, 500);
