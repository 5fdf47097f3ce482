/**
 * Shared CLI plumbing: the global --backend/--threads options → an initialised backend.
 */
import type { Command } from 'commander';
import { initBackend, parseBackendChoice, type BackendInfo } from '../backend/select.js';

/** Initialises the backend from the root program's global options. */
export async function backendFromOptions(cmd: Command): Promise<BackendInfo> {
  const opts = cmd.optsWithGlobals() as { backend?: string; threads?: string };
  const backend = parseBackendChoice(opts.backend, '--backend');
  const threads = opts.threads === undefined ? undefined : Number(opts.threads);
  if (threads !== undefined && (!Number.isInteger(threads) || threads < 1)) {
    throw new Error(`--threads: expected a positive integer, got '${opts.threads}'`);
  }
  return initBackend({ backend, threads });
}
