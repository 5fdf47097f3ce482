/**
 * How `bench real-transfer` scores a finished cell: its last checkpoint on each eval scene on its
 * own, every original point (segmentation), every box (detection, percent as `evaluate det`).
 */
import type { PreparedDataset } from '../data/prepared/dataset.js';
import { percentMetrics } from '../eval/detection-report.js';
import { evaluateDetSplit, loadDetector } from '../tasks/detect/infer.js';
import { COMPLEMENT_DEFAULTS, type ComplementValues } from '../tasks/segment/complement.js';
import {
  calibrateComplement,
  complementSplit,
  loadComplementInit,
} from '../tasks/segment/complement-setup.js';
import { evaluateSplit, STANDARD_TTA } from '../tasks/segment/infer.js';
import type { ConfusionMatrix } from '../eval/confusion.js';
import { loadModel } from '../train/load-model.js';
import { heldOutIoU, type SceneScore } from './real-transfer-summary.js';

/** One eval scene's segmentation scores from its point confusion matrix. */
function segScore(
  scene: string,
  cm: ConfusionMatrix,
  names: string[],
  heldOut?: readonly string[],
): SceneScore {
  const m = cm.metrics(names);
  const held = heldOut?.length ? heldOutIoU(m.per_class, heldOut) : undefined;
  return {
    scene,
    mIoU: m.mIoU,
    mAcc: m.mAcc,
    allAcc: m.allAcc,
    perClassIoU: m.per_class,
    ...(held === undefined ? {} : { heldOutIoU: held }),
  };
}

/**
 * mIoU / mAcc / allAcc / per-class IoU of a segmentation checkpoint on each eval scene (every
 * point), and the mean IoU of the classes `heldOut` of its training labels; `tta`: with
 * test-time augmentation (STANDARD_TTA).
 */
export function evaluateSeg(
  ckpt: string,
  ds: PreparedDataset,
  scenes: string[],
  names: string[],
  heldOut?: readonly string[],
  tta = false,
): SceneScore[] {
  const model = loadModel(ckpt);
  try {
    return scenes.map((scene) => {
      const ev = evaluateSplit(model.net, ds, [scene], {
        voxelSize: model.voxelSize,
        features: model.features,
        numClasses: names.length,
        ...(tta ? { tta: STANDARD_TTA } : {}),
      });
      return segScore(scene, ev.points, names, heldOut);
    });
  } finally {
    model.net.params.dispose();
  }
}

/**
 * {@link evaluateSeg} for the complement rule (tasks/segment/complement.ts): the fine-tuned
 * checkpoint `ckpt` decides among the classes with a labelled point in `train`'s train split
 * (`heldOut` classes count as unlabelled), the segmentation network `init` among the others, with
 * thresholds calibrated on those labelled points (on test-time-augmented passes with `tta`, as
 * it then predicts). `init` must have the same classes.
 */
export function evaluateSegComplement(
  ckpt: string,
  init: string,
  train: PreparedDataset,
  ds: PreparedDataset,
  scenes: string[],
  names: string[],
  heldOut?: readonly string[],
  values: ComplementValues = COMPLEMENT_DEFAULTS,
  tta = false,
): SceneScore[] {
  const base = loadComplementInit(init, names);
  const model = loadModel(ckpt);
  try {
    const setup = calibrateComplement(base, train, 'train', heldOut, values, tta);
    return scenes.map((scene) => segScore(scene, complementSplit(model, setup, ds, [scene]), names, heldOut));
  } finally {
    model.net.params.dispose();
    base.net.params.dispose();
  }
}

/** mAP@0.25 / @0.5 (percent, as `evaluate det` reports them) of a detection checkpoint on each eval scene. */
export function evaluateDet(ckpt: string, ds: PreparedDataset, scenes: string[]): SceneScore[] {
  const d = loadDetector(ckpt);
  try {
    return scenes.map((scene) => {
      const ev = evaluateDetSplit(d.det, ds, [scene], d.features);
      const m = percentMetrics(ev.metrics);
      return { scene, mAP25: m.mAP25 ?? 0, mAP50: m.mAP50 ?? 0 };
    });
  } finally {
    d.det.params.dispose();
  }
}
