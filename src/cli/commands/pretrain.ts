/**
 * `pointcontrast pretrain --config FILE`: contrastive pre-training → backbone checkpoint.
 */
import type { Command } from 'commander';
import { collect, configOf } from '../config-option.js';
import { backendFromOptions } from '../context.js';
import { printJson, stepsDone } from '../output.js';
import { StepBar } from '../progress.js';
import { runPretrain } from '../../tasks/pretrain/run.js';
import { preflight } from '../../train/preflight.js';

export function register(program: Command): void {
  program
    .command('pretrain')
    .description('contrastive pre-training of a sparse U-Net backbone on pairs of partial views')
    .option(
      '--config <file>',
      "YAML config (configs/pretrain/*.yaml); with --resume, the run folder's config.yaml",
    )
    .option('--set <key=value>', 'override a config key (repeatable), e.g. --set optim.lr=0.1', collect, [])
    .option(
      '--regularizer <none|radreg>',
      'regularizer (config key regularizer); radreg also reads radreg.data (prepared downstream dataset, labels dropped), radreg.split, radreg.lambda, radreg.width, radreg.outputs, radreg.ascentSteps, radreg.ascentLr, radreg.bound, radreg.voxels, radreg.perScene (set with --set)',
    )
    .option('--out <dir>', 'run folder (default runs/<name>-<time>)')
    .option('--resume', 'continue the run in --out from its last checkpoint')
    .option('--max-steps <n>', 'override train.maxSteps (0 writes the initialised network)')
    .option('--time-budget <seconds>', 'stop after this many seconds (checkpoint written)')
    .option('--json', 'print the summary as one JSON object')
    .action(
      async (
        opts: {
          config: string;
          set: string[];
          regularizer?: string;
          out?: string;
          resume?: boolean;
          maxSteps?: string;
          timeBudget?: string;
          json?: boolean;
        },
        cmd: Command,
      ) => {
        const backend = await backendFromOptions(cmd);
        preflight();
        const bar = new StepBar('pretrain');
        const res = await runPretrain({
          config: configOf(opts),
          // the flag overrides the file and --set, like every other flag
          overrides: [
            ...opts.set,
            ...(opts.regularizer !== undefined ? [`regularizer=${opts.regularizer}`] : []),
          ],
          out: opts.out,
          resume: opts.resume,
          maxSteps: opts.maxSteps === undefined ? undefined : Number(opts.maxSteps),
          timeBudget: opts.timeBudget === undefined ? undefined : Number(opts.timeBudget),
          onStart: (i) => {
            process.stderr.write(
              `pretrain: ${i.config.model.backbone} (${(i.params / 1e6).toFixed(2)}M params), ${i.config.loss.type}, ${i.pairs} pairs, backend ${backend.name} ×${backend.threads} → ${i.run}\n`,
            );
            bar.start(i.config.train.maxSteps);
          },
          onStep: (s) => bar.step(s, { posSim: s.metrics.posSim ?? 0 }),
        });
        bar.stop();
        const s = res.summary;
        if (opts.json) printJson({ run: res.run, ...s });
        else
          process.stdout.write(
            s.steps === 0
              ? `pretrain: 0 steps, the initialised (untrained) network → ${res.run}/last\n`
              : `pretrain: ${stepsDone(s)}, final loss ${s.finalLoss.toFixed(4)} → ${res.run}/last\n`,
          );
      },
    );
}
