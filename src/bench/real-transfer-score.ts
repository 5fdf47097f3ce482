/**
 * How `bench real-transfer` scores a finished cell: its last checkpoint on each eval scene on its
 * own, every original point (segmentation), every box (detection, percent as `evaluate det`).
 */
import type { PreparedDataset } from '../data/prepared/dataset.js';
import { percentMetrics } from '../eval/detection-report.js';
import { evaluateDetSplit, loadDetector } from '../tasks/detect/infer.js';
import { evaluateSplit } from '../tasks/segment/infer.js';
import { loadModel } from '../train/load-model.js';
import { heldOutIoU, type SceneScore } from './real-transfer-summary.js';

/**
 * mIoU / mAcc / allAcc / per-class IoU of a segmentation checkpoint on each eval scene (every
 * point), and the mean IoU of the classes `heldOut` of its training labels.
 */
export function evaluateSeg(
  ckpt: string,
  ds: PreparedDataset,
  scenes: string[],
  names: string[],
  heldOut?: readonly string[],
): SceneScore[] {
  const model = loadModel(ckpt);
  try {
    return scenes.map((scene) => {
      const ev = evaluateSplit(model.net, ds, [scene], {
        voxelSize: model.voxelSize,
        features: model.features,
        numClasses: names.length,
      });
      const m = ev.points.metrics(names);
      const held = heldOut?.length ? heldOutIoU(m.per_class, heldOut) : undefined;
      return {
        scene,
        mIoU: m.mIoU,
        mAcc: m.mAcc,
        allAcc: m.allAcc,
        perClassIoU: m.per_class,
        ...(held === undefined ? {} : { heldOutIoU: held }),
      };
    });
  } finally {
    model.net.params.dispose();
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
