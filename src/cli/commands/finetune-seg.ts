/**
 * `pointcontrast finetune seg --config FILE`: semantic-segmentation fine-tuning.
 */
import type { Command } from 'commander';
import { configOf } from '../config-option.js';
import { backendFromOptions } from '../context.js';
import { createProgress, type Progress } from '../progress.js';
import { runFinetuneSeg } from '../../tasks/segment/run.js';
import { preflight } from '../../train/preflight.js';

function collect(v: string, prev: string[]): string[] {
  return [...prev, v];
}

export function register(finetune: Command): void {
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
    .option('--neuron-groups <ratio>', 'tie updates of ⌈ratio·C⌉ activation groups per layer (0 < ratio ≤ 1)')
    .option(
      '--neuron-groups-random',
      'neuron groups: random groups of the same sizes (control; needs --neuron-groups)',
    )
    .option('--set <key=value>', 'override a config key (repeatable)', collect, [])
    .option('--out <dir>', 'run folder (default runs/<name>-<time>)')
    .option('--resume', 'continue the run in --out from its last checkpoint')
    .option('--max-steps <n>', 'override train.maxSteps')
    .option('--time-budget <seconds>', 'stop after this many seconds')
    .option('--json', 'print the summary as one JSON object')
    .action(async (opts: Record<string, string | boolean | string[] | undefined>, cmd: Command) => {
      const backend = await backendFromOptions(cmd);
      preflight();
      const o = [...(opts.set as string[])];
      if (opts.data) o.push(`data.dir=${opts.data}`);
      if (opts.init) o.push(`init=${opts.init}`);
      if (opts.scenesFraction) o.push(`data.scenesFraction=${opts.scenesFraction}`);
      if (opts.pointsPerScene) o.push(`data.pointsPerScene=${opts.pointsPerScene}`);
      if (opts.freezeBackbone) o.push('freezeBackbone=true');
      if (opts.head) o.push(`head.type=${opts.head}`);
      if (opts.trainable) o.push(`trainable=${opts.trainable}`);
      if (opts.loraRank) o.push(`lora.rank=${opts.loraRank}`);
      if (opts.smart) o.push('smart.enabled=true');
      if (opts.neuronGroups) o.push(`neuronGroups.ratio=${opts.neuronGroups}`);
      if (opts.neuronGroupsRandom) o.push('neuronGroups.random=true');
      if (opts.maxSteps) o.push(`train.maxSteps=${opts.maxSteps}`);
      if (opts.timeBudget) o.push(`train.timeBudget=${opts.timeBudget}`);
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
