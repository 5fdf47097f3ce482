import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const MAIN = new URL('../../src/cli/main.ts', import.meta.url).pathname;

test('view prints the URL, serves the folder, stops on SIGTERM', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pc-view-cli-'));
  writeFileSync(join(dir, 'a.ply'), 'ply');
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'view', dir, '--port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /^(http:\/\/127\.0\.0\.1:\d+\/)$/m.exec(out);
        if (m) resolve(m[1]);
      });
      child.on('exit', (code) => reject(new Error(`view exited with ${code} before printing a URL: ${out}`)));
    });
    const body = (await (await fetch(`${url}api/scenes`)).json()) as {
      kind: string;
      scenes: { name: string }[];
    };
    assert.equal(body.kind, 'scans');
    assert.deepEqual(
      body.scenes.map((s) => s.name),
      ['a'],
    );
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
  } finally {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});

test('view rejects a bad port with exit code 1 and one clear line', () => {
  const bad = spawnSync(process.execPath, ['--import', 'tsx', MAIN, 'view', '.', '--port', '70000'], {
    encoding: 'utf8',
  });
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /^pointcontrast: --port: expected an integer 0\.\.65535, got '70000'/m);
});
