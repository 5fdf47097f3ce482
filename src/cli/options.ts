/**
 * Option values as the commands check them (each error names the flag and echoes the value),
 * and the option groups several commands share.
 */
import type { Command } from 'commander';

/** Help of `evaluate seg|det --split` (the rule is data/selection.ts `evaluationScenes`). */
export const EVALUATE_SPLIT_HELP =
  "split to evaluate (default: 'val' if the dataset has it, else every scene)";

/** Help of `predict|evaluate seg --complement [init]` (the rule: tasks/segment/complement.ts). */
export const COMPLEMENT_HELP =
  "the complement rule: the classes the checkpoint's training labels lack are predicted by its synthetic-supervised init (default: the network it was fine-tuned from), calibrated on those labels";

/** `v` as an integer ≥ 1, else `flag: expected a positive integer`. */
export function positiveInt(v: string, flag: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag}: expected a positive integer, got '${v}'`);
  return n;
}

/** `v` as an integer ≥ `min`, else `flag: expected an integer ≥ min`. */
export function intAtLeast(v: string, flag: string, min: number): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new Error(`${flag}: expected an integer ≥ ${min}, got '${v}'`);
  return n;
}

/** `v` as a seed: a safe integer ≥ 0. */
export function seedInt(v: string, flag: string): number {
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`${flag}: expected an integer ≥ 0, got '${v}'`);
  return n;
}

/** `v` as a number > 0, else `flag: expected a positive number`. */
export function positiveNumber(v: string, flag: string): number {
  const n = Number(v);
  if (!(n > 0)) throw new Error(`${flag}: expected a positive number, got '${v}'`);
  return n;
}

/** --chromium and --viewer-dir: the headless browser of the commands that drive the viewer. */
export function addBrowserOptions(cmd: Command): Command {
  return cmd
    .option('--chromium <path>', 'chromium executable (default /usr/bin/chromium or POINTCONTRAST_CHROMIUM)')
    .option('--viewer-dir <dir>', 'built viewer (default dist/viewer from npm run build)');
}
