// The `data prepare` command end to end in a child process: JSON summary, error line and exit code.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BAD_LINE, makeS3disFixture } from '../datasets/s3dis-fixture.js';

const MAIN = new URL('../../../src/cli/main.ts', import.meta.url).pathname;
const cli = (args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', MAIN, 'data', 'prepare', ...args], { encoding: 'utf8' });

const root = makeS3disFixture(true);
const out = mkdtempSync(join(tmpdir(), 'cli-prep-'));
after(() => [root, out].forEach((d) => rmSync(d, { recursive: true, force: true })));

test('bad row: exit code 1 and one "pointcontrast: <file>:<line>: …" line; --skip-bad-lines: JSON summary', () => {
  const bad = cli(['s3dis', '--root', root, '--out', out]);
  assert.equal(bad.status, 1);
  assert.match(
    bad.stderr,
    new RegExp(`^pointcontrast: .*ceiling_1\\.txt:${BAD_LINE}: expected 6 numbers`, 'm'),
  );
  const ok = cli(['s3dis', '--root', root, '--out', out, '--skip-bad-lines', '--val-area', '2', '--json']);
  assert.equal(ok.status, 0, ok.stderr);
  const s = JSON.parse(ok.stdout);
  assert.equal(s.scenes, 3);
  assert.deepEqual(s.splits, { train: 2, val: 1 });
  assert.equal(s.points.total, 25);
  assert.equal(s.histogram.chair, 5);
  assert.equal(s.ignored, 2);
});
