/**
 * `pointcontrast finetune seg --config FILE`: semantic-segmentation fine-tuning.
 */
import type { Command } from 'commander';
import { addRunOptions, configOf, overridesOf, type TrainCliOptions } from '../config-option.js';
import { backendFromOptions } from '../context.js';
import { createProgress, type Progress } from '../progress.js';
import { runFinetuneSeg } from '../../tasks/segment/run.js';
import { preflight } from '../../train/preflight.js';

export function register(finetune: Command): void {
  addRunOptions(
    finetune
      .command('seg')
      .description('semantic segmentation: cross-entropy on voxel labels, validation mIoU picks best/')
      .option(
        '--config <file>',
        "YAML config (configs/finetune/*.yaml); with --resume, the run folder's config.yaml",
      )
      .option('--data <dir>', 'prepared dataset folder (overrides data.dir)')
      .option('--init <checkpoint>', 'pre-trained backbone: checkpoint or run folder (overrides init)')
      .option('--scenes-fraction <x>', 'train on the first x (0–1] of the train scenes')
      .option('--points-per-scene <k>', 'keep k labelled points per train scene (the rest → ignore)')
      .option('--seed <n>', 'seed of the run (initialisation, labelled-point choice, sampling)')
      .option('--freeze-backbone', 'linear probing: train only the final layer (alias of --trainable head)')
      .option(
        '--head <type>',
        'segmentation head: linear (new 1×1 layer) or prototype (pre-training form; head.form, head.temperature)',
      )
      .option(
        '--trainable <set>',
        'parameters to train: all, head (linear probe), bn (BN γ/β + head), lora (adapters + head)',
      )
      .option('--lora-rank <r>', 'LoRA rank with --trainable lora (lora.rank, default 4)')
      .option('--smart', 'SMART: adversarial smoothness + Bregman proximal terms (smart.* keys)')
      .option(
        '--neuron-groups <ratio>',
        'tie updates of ⌈ratio·C⌉ activation groups per layer (0 < ratio ≤ 1)',
      )
      .option(
        '--neuron-groups-random',
        'neuron groups: random groups of the same sizes (control; needs --neuron-groups)',
      ),
  ).action(async (opts: TrainCliOptions, cmd: Command) => {
    const backend = await backendFromOptions(cmd);
    preflight();
    const o = overridesOf(opts, {
      data: 'data.dir',
      init: 'init',
      scenesFraction: 'data.scenesFraction',
      pointsPerScene: 'data.pointsPerScene',
      seed: 'seed',
      freezeBackbone: 'freezeBackbone',
      head: 'head.type',
      trainable: 'trainable',
      loraRank: 'lora.rank',
      smart: 'smart.enabled',
      neuronGroups: 'neuronGroups.ratio',
      neuronGroupsRandom: 'neuronGroups.random',
    });
    let bar: Progress | undefined;
    let lastVal: number | string = '-';
    const res = await runFinetuneSeg({
      config: configOf(opts),
      overrides: o,
      out: opts.out as string | undefined,
      resume: Boolean(opts.resume),
      onStart: (i) => {
        process.stderr.write(
          `finetune seg: ${i.config.model.backbone} (${(i.params / 1e6).toFixed(2)}M params, ${i.trainableParams} trained) from ${i.init ?? 'scratch'}, ${i.scenes} train scenes, backend ${backend.name} ×${backend.threads} → ${i.run}\n`,
        );
        bar = createProgress('finetune', i.config.train.maxSteps, 'step');
      },
      onStep: (s) =>
        bar?.update(s.step, { loss: s.loss, lr: s.lr, acc: s.metrics.trainAcc ?? 0, valIoU: lastVal }),
      onValidation: (_step, miou) => (lastVal = +miou.toFixed(2)),
    });
    bar?.stop();
    const s = res.summary;
    if (opts.json)
      process.stdout.write(
        `${JSON.stringify({ run: res.run, trainableParams: res.trainableParams, ...s })}\n`,
      );
    else
      process.stdout.write(
        `finetune seg: ${s.steps} steps in ${s.seconds.toFixed(1)} s, final loss ${s.finalLoss.toFixed(4)}` +
          `${s.bestScore !== undefined ? `, best val mIoU ${s.bestScore.toFixed(2)} (step ${s.bestStep})` : ''} → ${res.run}\n`,
      );
  });
}
