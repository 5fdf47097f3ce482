/**
 * What the commands print on stdout: one line of JSON with --json, else text; and the elapsed
 * time they report.
 */

/** Writes `value` to stdout as one line of JSON. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

/** With --json (`json` true), prints `value` as one JSON line and returns true; else returns false. */
export function printedJson(json: boolean | undefined, value: unknown): boolean {
  if (json) printJson(value);
  return Boolean(json);
}

/** Prints a flat result: one JSON line with --json, else a `key value` line per entry (keys padded to `width`). */
export function printFlat(json: boolean | undefined, res: Record<string, unknown>, width: number): void {
  if (printedJson(json, res)) return;
  for (const [k, v] of Object.entries(res)) process.stdout.write(`${k.padEnd(width)} ${String(v)}\n`);
}

/** Seconds since `t0` (a `performance.now()` reading), rounded to `digits` decimals. */
export function secondsSince(t0: number, digits: number): number {
  return +((performance.now() - t0) / 1000).toFixed(digits);
}

/** How a training command reports its steps: "N steps in S s", or that a resumed run was already complete. */
export function stepsDone(s: { steps: number; seconds: number; alreadyComplete?: boolean }): string {
  return s.alreadyComplete
    ? `already complete at ${s.steps} steps (nothing to resume)`
    : `${s.steps} steps in ${s.seconds.toFixed(1)} s`;
}
