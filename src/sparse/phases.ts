/**
 * Per-phase wall-clock accounting for `bench pretrain`: code wraps its work in `phase(name, fn)`;
 * while recording is on, each phase collects its exclusive time (time spent in nested phases is
 * charged to those, not to the enclosing one). Off by default, where it costs one branch.
 */

/** The phases the pre-training benchmark reports. */
export const PHASES = [
  'data',
  'kernel_maps',
  'conv_fwd',
  'conv_bwd',
  'bn',
  'loss',
  'optimizer',
  'alloc',
] as const;
export type Phase = (typeof PHASES)[number];

let recording = false;
const totals = new Map<Phase, number>();
/** Time of nested phases, one accumulator per open phase. */
const nested: number[] = [];

/** Starts (and zeroes) or stops recording. */
export function recordPhases(on: boolean): void {
  recording = on;
  totals.clear();
  nested.length = 0;
}

/** Exclusive milliseconds per phase since recording started. */
export function phaseTotals(): Record<Phase, number> {
  return Object.fromEntries(PHASES.map((p) => [p, totals.get(p) ?? 0])) as Record<Phase, number>;
}

/** Runs `fn`, charging its time (minus nested phases) to `name` while recording. */
export function phase<T>(name: Phase, fn: () => T): T {
  if (!recording) return fn();
  const t0 = performance.now();
  nested.push(0);
  try {
    return fn();
  } finally {
    const dt = performance.now() - t0;
    const inner = nested.pop() ?? 0;
    totals.set(name, (totals.get(name) ?? 0) + dt - inner);
    if (nested.length > 0) nested[nested.length - 1] += dt;
  }
}

/** Async variant of `phase` for awaited work (e.g. waiting for the data loader). */
export async function phaseAsync<T>(name: Phase, fn: () => Promise<T>): Promise<T> {
  if (!recording) return fn();
  const t0 = performance.now();
  try {
    return await fn();
  } finally {
    const dt = performance.now() - t0;
    totals.set(name, (totals.get(name) ?? 0) + dt);
    if (nested.length > 0) nested[nested.length - 1] += dt;
  }
}
