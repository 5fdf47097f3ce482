/**
 * `--config` of the training commands: required for a new run; with `--resume` the run
 * folder's own `config.yaml` (the resolved config written when the run started).
 */
import { join } from 'node:path';

export function configOf(opts: { config?: string; resume?: boolean; out?: string }): string {
  if (opts.config) return opts.config;
  if (opts.resume && opts.out) return join(opts.out, 'config.yaml');
  throw new Error("required option '--config <file>' not specified (or give --resume --out <run folder>)");
}
