/**
 * The CLI as the tests run it: from source (tsx), on the wasm backend, quiet (no progress bars),
 * in a child process whose exit code and output the test reads.
 */
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';

/** The CLI's entry point. */
export const CLI_MAIN = new URL('../../src/cli/main.ts', import.meta.url).pathname;

/** Runs `pointcontrast --backend wasm <args>`; returns the finished process (status, stdout, stderr). */
export function runCli(...args: string[]): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, ['--import', 'tsx', CLI_MAIN, '--backend', 'wasm', ...args], {
    encoding: 'utf8',
    env: { ...process.env, POINTCONTRAST_QUIET: '1' },
  });
}

/** Runs a command that must succeed (exit 0, else the assertion shows its stderr); returns stdout. */
export function cliOk(...args: string[]): string {
  const r = runCli(...args);
  assert.equal(r.status, 0, `${args.slice(0, 2).join(' ')} failed:\n${r.stderr}`);
  return r.stdout;
}
