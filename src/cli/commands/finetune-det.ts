/**
 * `pointcontrast finetune det --config FILE`: 3D detection fine-tuning (VoteNet-style voting head
 * on the sparse backbone), from scratch or a pre-trained backbone, with CSC's limited boxes.
 */
import type { Command } from 'commander';
import { addRunOptions, type TrainCliOptions } from '../config-option.js';
import { FINETUNE_INPUT_KEYS, finetuneSubcommand, runFinetuneCommand } from '../finetune-command.js';
import { printJson, stepsDone } from '../output.js';
import { runFinetuneDet } from '../../tasks/detect/run.js';

export function register(finetune: Command): void {
  addRunOptions(
    finetuneSubcommand(
      finetune,
      'det',
      '3D detection: votes, proposals and boxes; validation mAP picks best/',
      "YAML config (configs/finetune/*-det*.yaml); with --resume, the run folder's config.yaml",
    )
      .option('--boxes-per-scene <k>', 'keep k random boxes per train scene (the other objects → background)')
      .option('--scenes-fraction <x>', 'train on the first x (0–1] of the train scenes')
      .option('--freeze-backbone', 'train only the detection head')
      .option('--seed <n>', 'seed of the run (initialisation, box choice, sampling)'),
  ).action(async (opts: TrainCliOptions, cmd: Command) => {
    const res = await runFinetuneCommand(cmd, opts, {
      keys: {
        ...FINETUNE_INPUT_KEYS,
        boxesPerScene: 'data.boxesPerScene',
        scenesFraction: 'data.scenesFraction',
        freezeBackbone: 'freezeBackbone',
        seed: 'seed',
      },
      run: runFinetuneDet,
      startLine: (i, backend) =>
        `finetune det: ${i.config.model.backbone} (${(i.params / 1e6).toFixed(2)}M params) from ${i.init ?? 'scratch'}, ${i.scenes} train scenes with ${i.boxes} boxes, backend ${backend.name} ×${backend.threads} → ${i.run}\n`,
      stepValues: (s) => ({ votes: s.metrics.loss_vote ?? 0 }),
      validation: ['valAP25', (m) => +m.mAP25.toFixed(1)],
    });
    const s = res.summary;
    if (opts.json) printJson({ run: res.run, ...s });
    else
      process.stdout.write(
        `finetune det: ${stepsDone(s)}, final loss ${s.finalLoss.toFixed(4)}` +
          `${s.bestScore !== undefined ? `, best val ${res.config.validation.metric} ${s.bestScore.toFixed(1)} % (step ${s.bestStep})` : ''} → ${res.run}\n`,
      );
  });
}
