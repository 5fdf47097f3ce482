/**
 * `pointcontrast evaluate linearization --checkpoint RUN [--data DIR --split val --eps 1e-3,1e-2
 * --max-voxels N] [--json]`: how linear a fine-tuning run was (kernel view): relative
 * finite-difference linearisation error and argmax agreement of θ_T versus its θ₀.
 */
import type { Command } from 'commander';
import { backendFromOptions } from '../context.js';
import { runLinearization } from '../../tasks/segment/linearization.js';
import { EVALUATE_SPLIT_HELP, positiveInt } from '../options.js';
import { printedJson } from '../output.js';

interface Opts {
  checkpoint: string;
  data?: string;
  split?: string;
  eps: string;
  maxVoxels: string;
  json?: boolean;
}

/** Parses `--eps 1e-3,1e-2` (each > 0), keeping each value's text as its key. */
export function parseEpsList(text: string): { key: string; value: number }[] {
  return text.split(',').map((key) => {
    const value = Number(key.trim());
    if (!(value > 0)) throw new Error(`--eps: '${key}' is not a positive number (e.g. --eps 1e-3,1e-2)`);
    return { key: key.trim(), value };
  });
}

export function register(evaluate: Command): void {
  evaluate
    .command('linearization')
    .description(
      'linearisation error of a fine-tuning run vs its initialisation: ‖Δf − JΔθ‖/‖Δf‖ (JΔθ by finite differences) and argmax agreement, on held-out voxels',
    )
    .requiredOption('--checkpoint <run>', 'fine-tuning run folder (its last/ and checkpoints/step-0/)')
    .option('--data <dir>', "prepared dataset folder (default: the run's data.dir)")
    .option('--split <name>', EVALUATE_SPLIT_HELP)
    .option('--eps <list>', 'finite-difference steps ε, comma-separated', '1e-3,1e-2')
    .option('--max-voxels <n>', 'at most this many voxels (scenes in split order)', '4096')
    .option('--json', 'print one JSON object')
    .action(async (opts: Opts, cmd: Command) => {
      await backendFromOptions(cmd);
      const maxVoxels = positiveInt(opts.maxVoxels, '--max-voxels');
      const eps = parseEpsList(opts.eps);
      const r = runLinearization({
        run: opts.checkpoint,
        data: opts.data,
        split: opts.split,
        eps,
        maxVoxels,
      });
      if (printedJson(opts.json, r)) return;
      process.stdout.write(
        `linearization of ${r.run} on ${r.voxels} ${r.split} voxels (Δf rms ${r.deltaRms.toFixed(4)}):\n`,
      );
      for (const e of Object.keys(r.relError))
        process.stdout.write(
          `  ε ${e}: relative error ${r.relError[e].toFixed(4)}, argmax agreement ${(100 * r.argmaxAgreement[e]).toFixed(1)} %\n`,
        );
    });
}
