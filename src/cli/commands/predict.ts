/**
 * `pointcontrast predict --checkpoint DIR [--det-checkpoint DIR] (--data PREPARED_DIR [--split S] | --input FILE…) --out DIR`:
 * per-point labels and confidences (and predicted boxes with a detector) → PLY files + index.json
 * for the viewer.
 */
import type { Command } from 'commander';
import { basename } from 'node:path';
import { collect } from '../config-option.js';
import { backendFromOptions } from '../context.js';
import { printJson } from '../output.js';
import { quietProgress } from '../progress.js';
import { loadModel, type LoadedModel } from '../../train/load-model.js';
import { preparedInputs, writePredictions, type PredictInput } from '../../tasks/segment/predict.js';
import { openPreparedDataset } from '../../data/prepared/dataset.js';
import { evaluationScenes } from '../../data/selection.js';
import { COMPLEMENT_HELP, EVALUATE_SPLIT_HELP } from '../options.js';
import { readPointCloud } from '../../data/io/read-cloud.js';
import { detectScene, loadDetector } from '../../tasks/detect/infer.js';
import { VIEW_DECODE } from '../../models/heads/decode.js';
import { missingInputs } from '../../models/checkpoint-model.js';
import { complementFromCheckpoint } from '../../tasks/segment/complement-setup.js';

interface PredictOptions {
  checkpoint: string;
  detCheckpoint?: string;
  data?: string;
  split?: string;
  input: string[];
  maxScenes?: string;
  out: string;
  tta?: boolean;
  complement?: string | boolean;
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command('predict')
    .description(
      'predict every point of scans (a prepared split, or any PLY/PCD files) → PLY + index.json for `view`',
    )
    .requiredOption('--checkpoint <dir>', 'segmentation checkpoint or run folder')
    .option(
      '--det-checkpoint <dir>',
      'also predict boxes with this detection checkpoint (finetune det) into index.json',
    )
    .option('--data <dir>', 'prepared dataset folder (ground truth included)')
    .option('--split <name>', `with --data: ${EVALUATE_SPLIT_HELP}`)
    .option('--input <file>', 'a PLY/PCD/TXT scan to predict (repeatable)', collect, [])
    .option('--max-scenes <n>', 'predict at most n scenes of --data')
    .requiredOption('--out <dir>', 'output folder (e.g. <run>/predictions)')
    .option('--tta', 'test-time augmentation (4 rotations × 3 scales)')
    .option('--complement [init]', COMPLEMENT_HELP)
    .option('--json', 'print the index summary as JSON')
    .action(async (opts: PredictOptions, cmd: Command) => {
      await backendFromOptions(cmd);
      if (!opts.data && opts.input.length === 0)
        throw new Error('predict: give --data <prepared dir> or --input <file> (repeatable)');
      const model = loadModel(opts.checkpoint);
      // every network loaded here is freed on the way out, also when an input is refused
      const networks = [model.net.params];
      try {
        if (model.task !== 'segmentation')
          throw new Error(`${model.dir}: a ${model.task} checkpoint; predict needs a segmentation model`);
        predictWith(model, opts, networks);
      } finally {
        for (const p of networks) p.dispose();
      }
    });
}

/** The predictions of `model` as the options say; adds each network it loads to `networks`. */
function predictWith(model: LoadedModel, opts: PredictOptions, networks: { dispose(): void }[]): void {
  const complement = opts.complement
    ? complementFromCheckpoint(model, {
        init: typeof opts.complement === 'string' ? opts.complement : undefined,
        tta: Boolean(opts.tta),
      })
    : undefined;
  if (complement) networks.push(complement.init.net.params);
  const det = opts.detCheckpoint ? loadDetector(opts.detCheckpoint) : undefined;
  if (det) networks.push(det.det.params);
  let inputs: PredictInput[] = [];
  let labelSet: string | undefined;
  if (opts.data) {
    const ds = openPreparedDataset(opts.data);
    labelSet = ds.manifest.labelMap.name;
    let names = evaluationScenes(ds, opts.split).names;
    if (opts.maxScenes) names = names.slice(0, Number(opts.maxScenes));
    inputs = preparedInputs(ds, names);
  }
  for (const file of opts.input) {
    const cloud = readPointCloud(file);
    const missing =
      missingInputs(model.features, cloud, file) ??
      (complement
        ? missingInputs(
            complement.init.features,
            cloud,
            file,
            `the network answering for the absent classes (${complement.init.dir})`,
          )
        : null);
    if (missing) throw new Error(missing);
    inputs.push({ name: basename(file), cloud });
  }
  if (complement && !opts.json)
    process.stdout.write(
      `complement: ${complement.absent.map((c) => model.classes[c].name).join(', ')} from ${complement.init.dir}\n`,
    );
  const bar = quietProgress(opts.json, 'predict', inputs.length, 'scene');
  const index = writePredictions(model, inputs, {
    out: opts.out,
    tta: opts.tta,
    complement,
    labelSet,
    detect: det
      ? (input) =>
          detectScene(det.det, input.cloud, det.features, VIEW_DECODE, input.name).map((b) => ({
            label: b.label,
            score: b.score,
            center: b.center,
            size: b.size,
          }))
      : undefined,
    onScene: (d) => bar?.update(d),
  });
  bar?.stop();
  if (opts.json) {
    const scenes = index.scenes.map((s) => ({ name: s.name, points: s.points, mIoU: s.metrics?.mIoU }));
    printJson({ out: opts.out, scenes });
    return;
  }
  for (const s of index.scenes)
    process.stdout.write(
      `${s.name}: ${s.points} points${s.metrics?.mIoU !== undefined ? `, mIoU ${s.metrics.mIoU.toFixed(1)}` : ''}\n`,
    );
  process.stdout.write(
    `wrote ${index.scenes.length} scenes to ${opts.out}\nopen them with: npx pointcontrast view ${opts.out}\n`,
  );
}
