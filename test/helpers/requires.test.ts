/**
 * The skip-or-fail helper: a missing prerequisite is a skip reason on a developer's machine and a
 * failure naming it with CI=true; a present one is never either.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

const HELPER = new URL('./requires.ts', import.meta.url).href;

/** What requirePath returns (or throws) for `path` in a child process whose CI variable is `ci`. */
function probe(path: string, ci: string | undefined): { out: string; err: string; status: number | null } {
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (ci === undefined) delete env.CI;
  else env.CI = ci;
  const script = `import(${JSON.stringify(HELPER)}).then((m) => {
    process.stdout.write(JSON.stringify(m.requirePath(${JSON.stringify(path)}, 'the thing', 'how to get it')));
  })`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8', env });
  return { out: r.stdout, err: r.stderr, status: r.status };
}

test('missing: the reason to skip locally, a failure naming it with CI=true', () => {
  const missing = '/nonexistent/pointcontrast-prerequisite';
  const local = probe(missing, undefined);
  assert.equal(local.status, 0, local.err);
  assert.equal(JSON.parse(local.out), `the thing not found at ${missing} (how to get it)`);
  for (const ci of ['true', '1']) {
    const r = probe(missing, ci);
    assert.equal(r.status, 1, `CI=${ci} must fail`);
    assert.match(
      r.err,
      /MissingPrerequisite: CI=true and the thing not found at \/nonexistent\/pointcontrast-prerequisite \(how to get it\)/,
    );
  }
});

test('present: no skip, in CI or not', () => {
  for (const ci of [undefined, 'true']) {
    const r = probe(process.execPath, ci);
    assert.equal(r.status, 0, r.err);
    assert.equal(JSON.parse(r.out), false);
  }
});
