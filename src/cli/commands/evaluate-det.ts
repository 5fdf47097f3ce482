/**
 * `pointcontrast evaluate det --checkpoint DIR --data PREPARED_DIR [--split S] [--json]`: VOC
 * mAP@0.25 / @0.5 and per-class AP of a detection checkpoint on a prepared split.
 */
import type { Command } from 'commander';
import { backendFromOptions } from '../context.js';
import { checkDatasetClasses } from '../dataset-classes.js';
import { printJson } from '../output.js';
import { evaluateWithProgress } from '../progress.js';
import { openPreparedDataset } from '../../data/prepared/dataset.js';
import { evaluationScenes } from '../../data/selection.js';
import { EVALUATE_SPLIT_HELP } from '../options.js';
import { evaluateDetSplit, loadDetector } from '../../tasks/detect/infer.js';
import { formatDetTable, percentMetrics } from '../../eval/detection-report.js';

export function register(evaluate: Command): void {
  evaluate
    .command('det')
    .description('3D detection: VOC AP per class, mAP@0.25 and mAP@0.5 (axis-aligned IoU), in percent')
    .requiredOption('--checkpoint <dir>', 'checkpoint folder or run folder (best/, else last/)')
    .requiredOption('--data <dir>', 'prepared dataset folder')
    .option('--split <name>', EVALUATE_SPLIT_HELP)
    .option('--min-score <s>', 'drop boxes scoring below this before NMS', '0.001')
    .option('--nms-iou <t>', 'per-class NMS IoU threshold', '0.25')
    .option('--json', 'print one JSON object')
    .action(
      async (
        opts: {
          checkpoint: string;
          data: string;
          split?: string;
          minScore: string;
          nmsIou: string;
          json?: boolean;
        },
        cmd: Command,
      ) => {
        await backendFromOptions(cmd);
        const minScore = Number(opts.minScore);
        const nmsIou = Number(opts.nmsIou);
        if (!(minScore >= 0 && minScore <= 1))
          throw new Error(`--min-score: expected 0..1, got '${opts.minScore}'`);
        if (!(nmsIou >= 0 && nmsIou <= 1)) throw new Error(`--nms-iou: expected 0..1, got '${opts.nmsIou}'`);
        const model = loadDetector(opts.checkpoint);
        const ds = openPreparedDataset(opts.data);
        if (model.classes.length > 0)
          checkDatasetClasses(
            opts.data,
            ds,
            model.classes.map((c) => c.name),
          );
        const { split, names, title } = evaluationScenes(ds, opts.split);
        const decode = { perClass: true, minScore, nmsIou, maxBoxes: null };
        const { result: ev, seconds } = evaluateWithProgress(opts.json, names.length, (onScene) =>
          evaluateDetSplit(model.det, ds, names, model.features, decode, onScene),
        );
        const result = {
          checkpoint: model.dir,
          data: opts.data,
          split,
          ...percentMetrics(ev.metrics),
          boxes: {
            gt: ev.scenes.reduce((s, x) => s + x.gt, 0),
            predicted: ev.scenes.reduce((s, x) => s + x.boxes.length, 0),
          },
          seconds,
        };
        if (opts.json) printJson(result);
        else process.stdout.write(`${formatDetTable(ev.metrics, `${title}: ${names.length} scenes`)}\n`);
      },
    );
}
