/**
 * The one place that decides what a test does when something it needs is missing (the shared
 * scans beside the repo, Debian's chromium, wasm threads): skip with the reason on a developer's
 * machine, fail naming what is missing when CI=true, so CI never reports a skip as a pass.
 */
import { existsSync } from 'node:fs';

/** True when the run is CI (CI=true or CI=1). */
export const IN_CI = /^(true|1)$/i.test(process.env.CI ?? '');

/** Thrown (CI=true only) for a missing prerequisite. */
export class MissingPrerequisite extends Error {
  override name = 'MissingPrerequisite';
}

/**
 * `false` when `present`; otherwise the reason to skip (`missing`, e.g. "chromium not found at
 * /usr/bin/chromium"), or, with CI=true, throws MissingPrerequisite naming it. Use the result as
 * node:test's `skip` option or with `t.skip()`.
 */
export function requirement(present: boolean, missing: string): false | string {
  if (present) return false;
  if (IN_CI) throw new MissingPrerequisite(`CI=true and ${missing}: the tests that need it cannot run`);
  return missing;
}

/** {@link requirement} for a file or folder: `what` names it in the message. */
export function requirePath(path: string, what: string, hint?: string): false | string {
  return requirement(existsSync(path), `${what} not found at ${path}${hint ? ` (${hint})` : ''}`);
}

/** {@link requirePath} for something under ../shared/data (the shared scans). */
export function requireShared(path: string): false | string {
  return requirePath(path, 'shared data', 'the read-only ../shared/data folder beside the repository');
}
