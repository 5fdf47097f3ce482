/**
 * Prediction files (DESIGN.md "Files"): per scan a binary PLY with the original points and
 * extra vertex properties `pred` (short), `confidence` (float) and `gt` (short, when known),
 * plus `index.json` (classes, scenes, per-scene metrics, boxes) that the viewer opens.
 * index.json is written last, atomically, so a folder is never half-listed.
 */
import { join } from 'node:path';
import type { PointCloud } from '../../geometry/point-cloud.js';
import type { PreparedDataset } from '../../data/prepared/dataset.js';
import { writeFileAtomic } from '../../data/io/atomic-write.js';
import { writeJsonAtomic } from '../../data/io/atomic-write.js';
import { ConfusionMatrix } from '../../eval/confusion.js';
import type { LoadedModel } from '../../train/load-model.js';
import { modelInference, predictScene } from './infer.js';
import { complementScene, type ComplementSetup } from './complement-setup.js';
import { predictionPly, scanStem } from './prediction-cloud.js';
import {
  PREDICTIONS_INDEX,
  type Box,
  type PredictionsIndex,
  type Rgb,
  type SceneEntry,
} from '../../core/viewer-contract.js';

export interface PredictInput {
  name: string;
  cloud: PointCloud;
  /** Ground-truth train ids per point (−1 = ignore), when known. */
  gt?: Int32Array;
  boxes?: { gt?: Box[] };
}

/** The scenes `names` of a prepared dataset as prediction inputs, with their labels and boxes as ground truth. */
export function preparedInputs(ds: PreparedDataset, names: readonly string[]): PredictInput[] {
  return names.map((name) => {
    const s = ds.readScene(name);
    return {
      name,
      cloud: s.cloud,
      gt: s.cloud.labels,
      boxes: { gt: s.boxes.map((b) => ({ label: b.label, center: b.center, size: b.size })) },
    };
  });
}

export interface PredictOptions {
  out: string;
  tta?: boolean;
  labelSet?: string;
  /** The complement rule (complement-setup.ts): the init answers for the classes the labels lack. */
  complement?: ComplementSetup;
  /** Extra per-scene boxes (detection); called after segmentation. */
  detect?: (input: PredictInput) => Box[];
  onScene?: (done: number, name: string) => void;
}

/** A class colour as the index holds it (the checkpoint's [r, g, b]). */
function rgb(color: number[]): Rgb {
  return [color[0], color[1], color[2]];
}

/** A file-system-safe scene file name ("scans/x.ply" → "x.ply"). */
function fileName(name: string): string {
  return `${scanStem(name).replace(/[^A-Za-z0-9._-]+/g, '_')}.ply`;
}

/** Predicts every input and writes the folder; returns the index. */
export function writePredictions(
  model: LoadedModel,
  inputs: Iterable<PredictInput>,
  opts: PredictOptions,
): PredictionsIndex {
  const k = model.classes.length;
  if (k === 0) throw new Error(`${model.dir}: the checkpoint has no classes (not a segmentation model)`);
  const names = model.classes.map((c) => c.name);
  const scenes: SceneEntry[] = [];
  const index = {
    format: 'pointcontrast-predictions',
    version: 1,
    labelSet: opts.labelSet,
    ignoreLabel: model.ignoreLabel,
    classes: model.classes.map((c, i) => ({
      id: c.id,
      name: c.name,
      color: c.color ? rgb(c.color) : [(i * 67) % 256, (i * 131) % 256, (i * 29) % 256],
    })),
    checkpoint: model.dir,
    scenes,
  } satisfies PredictionsIndex;
  const used = new Set<string>();
  let done = 0;
  if (opts.complement && opts.complement.tta !== Boolean(opts.tta))
    throw new Error(
      `predict: the complement rule was calibrated ${opts.complement.tta ? 'with' : 'without'} test-time augmentation and the predictions are asked ${opts.tta ? 'with' : 'without'} it; calibrate it on the passes it predicts with`,
    );
  for (const input of inputs) {
    const p = opts.complement
      ? complementScene(model, opts.complement, input.cloud)
      : predictScene(model.net, input.cloud, modelInference(model, opts.tta));
    let file = fileName(input.name);
    for (let i = 2; used.has(file); i++) file = fileName(`${input.name}-${i}`);
    used.add(file);
    writeFileAtomic(
      join(opts.out, file),
      predictionPly(input.name, input.cloud, {
        pred: p.pred,
        confidence: p.confidence,
        gt: input.gt,
        instances: input.cloud.instances,
      }),
    );
    const entry: SceneEntry = { name: input.name, file, points: p.pred.length };
    if (input.gt) {
      const cm = new ConfusionMatrix(k);
      cm.add(input.gt, p.pred);
      const m = cm.metrics(names);
      // classes absent from both ground truth and prediction have no IoU: left out
      const perClass: Record<string, number> = {};
      for (const [name, v] of Object.entries(m.per_class)) if (v !== null) perClass[name] = v;
      entry.metrics = { mIoU: m.mIoU, mAcc: m.mAcc, allAcc: m.allAcc, per_class: perClass };
    }
    const pred = opts.detect?.(input);
    if (input.boxes?.gt || pred) entry.boxes = { gt: input.boxes?.gt, pred };
    scenes.push(entry);
    opts.onScene?.(++done, input.name);
  }
  writeJsonAtomic(join(opts.out, PREDICTIONS_INDEX), index);
  return index;
}
