/**
 * `pointcontrast finetune det --config FILE`: 3D detection fine-tuning (VoteNet-style voting head
 * on the sparse backbone), from scratch or a pre-trained backbone, with CSC's limited boxes.
 */
import type { Command } from 'commander';
import { addRunOptions, configOf, overridesOf, type TrainCliOptions } from '../config-option.js';
import { backendFromOptions } from '../context.js';
import { createProgress, type Progress } from '../progress.js';
import { runFinetuneDet } from '../../tasks/detect/run.js';
import { preflight } from '../../train/preflight.js';

export function register(finetune: Command): void {
  addRunOptions(
    finetune
      .command('det')
      .description('3D detection: votes, proposals and boxes; validation mAP picks best/')
      .option(
        '--config <file>',
        "YAML config (configs/finetune/*-det*.yaml); with --resume, the run folder's config.yaml",
      )
      .option('--data <dir>', 'prepared dataset folder (overrides data.dir)')
      .option('--init <checkpoint>', 'pre-trained backbone: checkpoint or run folder (overrides init)')
      .option('--boxes-per-scene <k>', 'keep k random boxes per train scene (the other objects → background)')
      .option('--scenes-fraction <x>', 'train on the first x (0–1] of the train scenes')
      .option('--freeze-backbone', 'train only the detection head')
      .option('--seed <n>', 'seed of the run (initialisation, box choice, sampling)'),
  ).action(async (opts: TrainCliOptions, cmd: Command) => {
    const backend = await backendFromOptions(cmd);
    preflight();
    const o = overridesOf(opts, {
      data: 'data.dir',
      init: 'init',
      boxesPerScene: 'data.boxesPerScene',
      scenesFraction: 'data.scenesFraction',
      freezeBackbone: 'freezeBackbone',
      seed: 'seed',
    });
    let bar: Progress | undefined;
    let lastVal: number | string = '-';
    const res = await runFinetuneDet({
      config: configOf(opts),
      overrides: o,
      out: opts.out as string | undefined,
      resume: Boolean(opts.resume),
      onStart: (i) => {
        process.stderr.write(
          `finetune det: ${i.config.model.backbone} (${(i.params / 1e6).toFixed(2)}M params) from ${i.init ?? 'scratch'}, ${i.scenes} train scenes with ${i.boxes} boxes, backend ${backend.name} ×${backend.threads} → ${i.run}\n`,
        );
        bar = createProgress('finetune', i.config.train.maxSteps, 'step');
      },
      onStep: (s) =>
        bar?.update(s.step, { loss: s.loss, lr: s.lr, votes: s.metrics.loss_vote ?? 0, valAP25: lastVal }),
      onValidation: (_step, m) => (lastVal = +m.mAP25.toFixed(1)),
    });
    bar?.stop();
    const s = res.summary;
    if (opts.json) process.stdout.write(`${JSON.stringify({ run: res.run, ...s })}\n`);
    else
      process.stdout.write(
        `finetune det: ${s.steps} steps in ${s.seconds.toFixed(1)} s, final loss ${s.finalLoss.toFixed(4)}` +
          `${s.bestScore !== undefined ? `, best val ${res.config.validation.metric} ${s.bestScore.toFixed(1)} % (step ${s.bestStep})` : ''} → ${res.run}\n`,
      );
  });
}
