/**
 * `pointcontrast finetune seg --config FILE`: semantic-segmentation fine-tuning.
 */
import type { Command } from 'commander';
import { addRunOptions, type TrainCliOptions } from '../config-option.js';
import { FINETUNE_INPUT_KEYS, finetuneSubcommand, runFinetuneCommand } from '../finetune-command.js';
import { printJson, stepsDone } from '../output.js';
import { runFinetuneSeg } from '../../tasks/segment/run.js';
import { SEG_HEADS } from '../../models/heads/registry.js';

export function register(finetune: Command): void {
  addRunOptions(
    finetuneSubcommand(
      finetune,
      'seg',
      'semantic segmentation: cross-entropy on voxel labels, validation mIoU picks best/',
      "YAML config (configs/finetune/*.yaml); with --resume, the run folder's config.yaml",
    )
      .option('--scenes-fraction <x>', 'train on the first x (0–1] of the train scenes')
      .option('--points-per-scene <k>', 'keep k labelled points per train scene (the rest → ignore)')
      .option('--seed <n>', 'seed of the run (initialisation, labelled-point choice, sampling)')
      .option('--freeze-backbone', 'linear probing: train only the final layer (alias of --trainable head)')
      .option(
        '--head <type>',
        `segmentation head: ${Object.entries(SEG_HEADS)
          .map(([name, h]) => `${name} (${h.doc})`)
          .join(' or ')}`,
      )
      .option(
        '--trainable <set>',
        'parameters to train: all, head (linear probe), bn (BN γ/β + head), lora (adapters + head)',
      )
      .option(
        '--bn-stats <mode>',
        'batch norms while training: update (batch statistics, running ones updated), batch (running ones frozen), running (frozen, as at inference); default update with --trainable all, else running',
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
    const res = await runFinetuneCommand(cmd, opts, {
      keys: {
        ...FINETUNE_INPUT_KEYS,
        scenesFraction: 'data.scenesFraction',
        pointsPerScene: 'data.pointsPerScene',
        seed: 'seed',
        freezeBackbone: 'freezeBackbone',
        head: 'head.type',
        trainable: 'trainable',
        bnStats: 'bnStats',
        loraRank: 'lora.rank',
        smart: 'smart.enabled',
        neuronGroups: 'neuronGroups.ratio',
        neuronGroupsRandom: 'neuronGroups.random',
      },
      run: runFinetuneSeg,
      startLine: (i, backend) =>
        `finetune seg: ${i.config.model.backbone} (${(i.params / 1e6).toFixed(2)}M params, ${i.trainableParams} trained) from ${i.init ?? 'scratch'}, ${i.scenes} train scenes, backend ${backend.name} ×${backend.threads} → ${i.run}\n`,
      stepValues: (s) => ({ acc: s.metrics.trainAcc ?? 0 }),
      validation: ['valIoU', (miou) => +miou.toFixed(2)],
    });
    const s = res.summary;
    if (opts.json) printJson({ run: res.run, trainableParams: res.trainableParams, ...s });
    else
      process.stdout.write(
        `finetune seg: ${stepsDone(s)}, final loss ${s.finalLoss.toFixed(4)}` +
          `${s.bestScore !== undefined ? `, best val mIoU ${s.bestScore.toFixed(2)} (step ${s.bestStep})` : ''} → ${res.run}\n`,
      );
  });
}
