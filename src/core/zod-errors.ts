/**
 * One way to report schema errors: every zod issue becomes a line naming where it happened
 * (file, then the key path such as `data.transforms[1].prob`) and what was expected, so configs,
 * loader settings and manifests all fail with the same kind of message.
 */
import type { z } from 'zod';

/** `base` followed by the issue path: `.key` for names, `[i]` for indices (`(top level)` if empty). */
export function keyPath(base: string, path: readonly PropertyKey[]): string {
  let out = base;
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out === '' ? String(p) : `.${String(p)}`;
  }
  return out === '' ? '(top level)' : out;
}

/**
 * Formats zod issues as `[file: ]where.key: message` lines; an unknown key gets its own
 * `…key: unknown key` line.
 */
export function formatZodIssues(where: string, issues: readonly z.core.$ZodIssue[], file?: string): string {
  const head = file ? `${file}: ` : '';
  return issues
    .flatMap((iss) =>
      iss.code === 'unrecognized_keys'
        ? iss.keys.map((k) => `${head}${keyPath(where, [...iss.path, k])}: unknown key`)
        : [`${head}${keyPath(where, iss.path)}: ${iss.message}`],
    )
    .join('\n');
}

/** Parses `value` with `schema`; throws one error listing every problem by file and key. */
export function parseOrThrow<S extends z.ZodType>(
  schema: S,
  value: unknown,
  where: string,
  file?: string,
): z.output<S> {
  const res = schema.safeParse(value);
  if (!res.success) throw new Error(formatZodIssues(where, res.error.issues, file));
  return res.data;
}
