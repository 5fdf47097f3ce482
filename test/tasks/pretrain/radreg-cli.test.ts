/**
 * The transfer-method flags on the command line: `pretrain --regularizer radreg` sets the config key
 * (and so asks for radreg.data), `bench transfer --methods` rejects unknown methods by name, and
 * both appear in --help.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../../../src/cli/main.ts', import.meta.url));
const CONFIG = fileURLToPath(new URL('../../../configs/pretrain/synthetic-small.yaml', import.meta.url));

/** Runs the CLI; resolves with exit code, stdout and stderr. */
function cli(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, '--backend', 'cpu', ...args], {
    env: { ...process.env, POINTCONTRAST_QUIET: '1' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

test('--regularizer and --methods on the command line', async () => {
  const [reg, bad, help, benchHelp] = await Promise.all([
    cli('pretrain', '--config', CONFIG, '--regularizer', 'radreg', '--max-steps', '0'),
    cli('bench', 'transfer', '--methods', 'baseline,ladder'),
    cli('pretrain', '--help'),
    cli('bench', 'transfer', '--help'),
  ]);
  assert.equal(reg.code, 1);
  assert.match(reg.stderr, /^pointcontrast: .*radreg\.data: required when regularizer is radreg/m);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /^pointcontrast: --methods: unknown method 'ladder'/m);
  assert.match(help.stdout, /--regularizer <none\|radreg>/);
  assert.match(help.stdout, /radreg\.lambda/);
  assert.match(benchHelp.stdout, /--methods <list>/);
  assert.match(benchHelp.stdout, /groups-random/);
});
