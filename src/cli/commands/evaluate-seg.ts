/**
 * `pointcontrast evaluate seg --checkpoint DIR --data PREPARED_DIR [--split S] [--complement [INIT]]
 * [--json]`: point and voxel metrics of a segmentation checkpoint on a prepared split ('val', else
 * every scene); with --complement, the point metrics of the complement rule (no voxel metrics: the
 * rule decides per point).
 */
import type { Command } from 'commander';
import { backendFromOptions } from '../context.js';
import { checkDatasetClasses } from '../dataset-classes.js';
import { printedJson } from '../output.js';
import { evaluateWithProgress } from '../progress.js';
import { loadModel } from '../../train/load-model.js';
import { evaluateSplit, modelInference } from '../../tasks/segment/infer.js';
import { openPreparedDataset } from '../../data/prepared/dataset.js';
import { evaluationScenes } from '../../data/selection.js';
import { COMPLEMENT_HELP, EVALUATE_SPLIT_HELP } from '../options.js';
import { complementFromCheckpoint, complementSplit } from '../../tasks/segment/complement-setup.js';
import { formatSegTable, type ConfusionMatrix, type SegMetrics } from '../../eval/confusion.js';

/** The point-level part of the report: metrics, then every original point's confusion. */
function pointReport(cm: ConfusionMatrix, points: SegMetrics, classNames: string[]) {
  return {
    mIoU: points.mIoU,
    mAcc: points.mAcc,
    allAcc: points.allAcc,
    per_class: points.per_class,
    per_class_acc: points.per_class_acc,
    support: points.support,
    /** Rows ground truth, columns prediction, in class order. */
    confusion: cm.rows(),
    confused_as: cm.confusedAs(classNames),
  };
}

export function register(evaluate: Command): void {
  evaluate
    .command('seg')
    .description(
      'semantic segmentation metrics (mIoU, mAcc, allAcc, per-class IoU) on voxels and on every original point',
    )
    .requiredOption('--checkpoint <dir>', 'checkpoint folder or run folder (best/, else last/)')
    .requiredOption('--data <dir>', 'prepared dataset folder')
    .option('--split <name>', EVALUATE_SPLIT_HELP)
    .option('--tta', 'test-time augmentation: 4 z-rotations × scales 0.95, 1, 1.05, probabilities averaged')
    .option('--complement [init]', COMPLEMENT_HELP)
    .option('--json', 'print one JSON object')
    .action(
      async (
        opts: {
          checkpoint: string;
          data: string;
          split?: string;
          tta?: boolean;
          complement?: string | boolean;
          json?: boolean;
        },
        cmd: Command,
      ) => {
        await backendFromOptions(cmd);
        const model = loadModel(opts.checkpoint);
        if (model.task !== 'segmentation')
          throw new Error(`${model.dir}: a ${model.task} checkpoint, not a segmentation one`);
        const ds = openPreparedDataset(opts.data);
        const classNames = model.classes.map((c) => c.name);
        checkDatasetClasses(opts.data, ds, classNames);
        const { split, names, title } = evaluationScenes(ds, opts.split);
        const common = {
          checkpoint: model.dir,
          data: opts.data,
          split,
          scenes: names.length,
          tta: Boolean(opts.tta),
        };
        if (opts.complement) {
          // calibrated on the same passes it predicts with (test-time augmented or not)
          const setup = complementFromCheckpoint(model, {
            init: typeof opts.complement === 'string' ? opts.complement : undefined,
            tta: Boolean(opts.tta),
          });
          try {
            const { result: cm, seconds } = evaluateWithProgress(opts.json, names.length, (onScene) =>
              complementSplit(model, setup, ds, names, onScene),
            );
            const points = cm.metrics(classNames);
            const absent = setup.absent.map((c) => classNames[c]);
            const result = {
              ...common,
              complement: { init: setup.init.dir, absent },
              ...pointReport(cm, points, classNames),
              seconds,
            };
            if (printedJson(opts.json, result)) return;
            process.stdout.write(
              `${formatSegTable(points, `${title}: ${names.length} scenes, every original point, complement rule (${absent.join(', ') || 'no class'} from ${setup.init.dir})${opts.tta ? ' (TTA)' : ''}`, cm.confusedAs(classNames, 2))}\n`,
            );
          } finally {
            setup.init.net.params.dispose();
          }
          return;
        }
        const inference = modelInference(model, opts.tta);
        const { result: ev, seconds } = evaluateWithProgress(opts.json, names.length, (onScene) =>
          evaluateSplit(model.net, ds, names, inference, onScene),
        );
        const points = ev.points.metrics(classNames);
        const voxels = ev.voxels.metrics(classNames);
        const result = {
          ...common,
          scenes: ev.scenes,
          ...pointReport(ev.points, points, classNames),
          voxels: {
            mIoU: voxels.mIoU,
            mAcc: voxels.mAcc,
            allAcc: voxels.allAcc,
            per_class: voxels.per_class,
          },
          seconds,
        };
        if (printedJson(opts.json, result)) return;
        process.stdout.write(
          `${formatSegTable(points, `${title}: ${ev.scenes} scenes, every original point${opts.tta ? ' (TTA)' : ''}`, ev.points.confusedAs(classNames, 2))}\n`,
        );
        process.stdout.write(
          `voxels: mIoU ${voxels.mIoU.toFixed(1)}  mAcc ${voxels.mAcc.toFixed(1)}  allAcc ${voxels.allAcc.toFixed(1)}\n`,
        );
      },
    );
}
