/**
 * Self-training data for docs/benchmarks.md ("Pseudo-labels on an unlabelled real room"), not a
 * shipped method: labels the scenes of an unlabelled prepared dataset with the complement rule of
 * scripts/complement-ensemble.ts (the fine-tuned network among the classes its labels have, its
 * synthetic init for the ABSENT ones, discount t), keeps per predicted class the KEEP fraction of
 * its most confident points (class-balanced selection, Zou et al., ECCV 2018) and writes them,
 * beside the labelled dataset's train scenes (with the IGNORE classes' labels removed, as
 * `data.ignoreClasses` does), as one prepared dataset whose train split holds both.
 * Usage: npx tsx scripts/pseudo-label.ts FINETUNED INIT UNLABELLED_DIR LABELLED_DIR IGNORE,…|- ABSENT,… T KEEP OUT
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openPreparedDataset } from '../src/data/prepared/dataset.js';
import {
  buildManifest,
  computeSceneStats,
  manifestLabelMap,
  manifestToJson,
  type ManifestScene,
} from '../src/data/prepared/manifest.js';
import { writePreparedSceneFile } from '../src/data/prepared/scene-file.js';
import { sceneFileName } from '../src/data/prepared/prepare-scene.js';
import { discountedChoice, loadNetworkPair } from './two-networks.js';

const [finetuned, init, unlabelledDir, labelledDir, ignoreArg, absentArg, tArg, keepArg, out] =
  process.argv.slice(2);
if (!out)
  throw new Error(
    'usage: pseudo-label.ts FINETUNED INIT UNLABELLED_DIR LABELLED_DIR IGNORE,…|- ABSENT,… T KEEP OUT',
  );
const t = Number(tArg);
const keep = Number(keepArg);
const { ft, base, k, names, classIds, probs } = await loadNetworkPair(finetuned, init);
const ignore = new Set(classIds(ignoreArg));
const absent = new Set(classIds(absentArg));

mkdirSync(out, { recursive: true });
const labelled = openPreparedDataset(labelledDir);
const entries: ManifestScene[] = [];
for (const name of labelled.sceneNames('train')) {
  const scene = labelled.readScene(name);
  const labels = Int32Array.from(scene.cloud.labels!, (l) => (ignore.has(l) ? -1 : l));
  const cloud = { ...scene.cloud, labels };
  const file = sceneFileName(name);
  writePreparedSceneFile(join(out, file), { ...scene, cloud });
  const n = labels.length;
  entries.push({
    name,
    file,
    split: 'train',
    ...computeSceneStats(labels, cloud.instances, n, k, scene.boxes.length),
  });
}

const unlabelled = openPreparedDataset(unlabelledDir);
const report: Record<string, Record<string, number>> = {};
for (const name of unlabelled.sceneNames()) {
  const scene = unlabelled.readScene(name);
  const { cloud } = scene;
  const f = probs(ft, cloud);
  const q = probs(base, cloud);
  const n = cloud.positions.length / 3;
  const pred = new Int32Array(n);
  const score = new Float32Array(n);
  for (let i = 0; i < n; i++) ({ pred: pred[i], score: score[i] } = discountedChoice(f, q, k, absent, i, t));
  // class-balanced selection: per predicted class, its `keep` most confident points
  const labels = new Int32Array(n).fill(-1);
  const counts: Record<string, number> = {};
  for (let c = 0; c < k; c++) {
    const idx: number[] = [];
    for (let i = 0; i < n; i++) if (pred[i] === c) idx.push(i);
    if (idx.length === 0) continue;
    idx.sort((a, b) => score[b] - score[a]);
    const m = Math.ceil(idx.length * keep);
    for (let j = 0; j < m; j++) labels[idx[j]] = c;
    counts[names[c]] = m;
  }
  report[name] = counts;
  const file = sceneFileName(name);
  writePreparedSceneFile(join(out, file), { ...scene, cloud: { ...cloud, labels } });
  entries.push({
    name,
    file,
    split: 'train',
    ...computeSceneStats(labels, cloud.instances, n, k, scene.boxes.length),
  });
}
const manifest = buildManifest(
  manifestLabelMap(labelled.manifest),
  entries,
  {
    type: 'pseudo-labels',
    options: { finetuned, init, unlabelledDir, labelledDir, ignoreArg, absentArg, t, keep },
  },
  labelled.manifest.versions.pointcontrast,
);
writeFileSync(join(out, 'manifest.json'), manifestToJson(manifest));
process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
