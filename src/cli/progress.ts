/**
 * Progress reporting for long work: a cli-progress bar with rate and ETA on a TTY, plain
 * periodic lines otherwise (CI logs), silent when POINTCONTRAST_QUIET is set.
 */
import cliProgress from 'cli-progress';
import type { StepInfo } from '../train/trainer.js';
import { secondsSince } from './output.js';

export interface Progress {
  /** Sets the number of finished units and optional payload values shown after the bar. */
  update(done: number, payload?: Record<string, string | number>): void;
  /** Finishes the bar (prints the final line). */
  stop(): void;
}

function fmtPayload(p: Record<string, string | number>): string {
  return Object.entries(p)
    .map(
      ([k, v]) =>
        `${k} ${typeof v === 'number' ? (Math.abs(v) < 1e-3 && v !== 0 ? v.toExponential(2) : +v.toFixed(4)) : v}`,
    )
    .join('  ');
}

function fmtTime(s: number): string {
  if (!Number.isFinite(s)) return '?';
  const t = Math.round(s);
  const m = Math.floor(t / 60);
  return m > 0 ? `${m}m${t % 60}s` : `${t}s`;
}

/** Creates a progress reporter for `total` units of `unit` labelled `label`. */
export function createProgress(label: string, total: number, unit = 'it'): Progress {
  const stream = process.stderr;
  if (process.env.POINTCONTRAST_QUIET) return { update: () => {}, stop: () => {} };
  let start = performance.now();
  // Rates count from the first update when it already reports progress (a bar created late).
  let base = -1;
  const rateOf = (done: number) => {
    if (base < 0) {
      base = done > 0 ? done : 0;
      if (done > 0) start = performance.now();
    }
    const dt = (performance.now() - start) / 1000;
    return dt > 0.05 && done > base ? (done - base) / dt : 0;
  };
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        format: `${label} [{bar}] {value}/{total} ${unit} | {rate} ${unit}/s | ETA {eta_formatted} | {extra}`,
        hideCursor: true,
        stream,
        etaBuffer: 20,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0, { rate: '0', extra: '' });
    return {
      update(done, payload) {
        const dt = (performance.now() - start) / 1000;
        bar.update(done, {
          rate: (done / Math.max(dt, 1e-9)).toFixed(2),
          extra: payload ? fmtPayload(payload) : '',
        });
      },
      stop() {
        bar.stop();
      },
    };
  }
  let lastPrint = 0;
  let last = 0;
  const line = (done: number, payload?: Record<string, string | number>) => {
    const rate = rateOf(done);
    const dt = (performance.now() - start) / 1000;
    const eta = done >= total ? 0 : rate > 0 ? (total - done) / rate : Infinity;
    // No rate yet (first report, or a stage that finished before a second report): a dash, not 0.
    const rateText = rate > 0 ? rate.toFixed(2) : '–';
    stream.write(
      `${label} ${done}/${total} ${unit} | ${rateText} ${unit}/s | elapsed ${fmtTime(dt)} ETA ${fmtTime(eta)}${payload ? ` | ${fmtPayload(payload)}` : ''}\n`,
    );
  };
  return {
    update(done, payload) {
      last = done;
      const now = performance.now();
      if (now - lastPrint > 5000 || done === total) {
        lastPrint = now;
        line(done, payload);
      }
    },
    stop() {
      if (last !== total && last > 0) line(last);
    },
  };
}

/** A progress reporter, or none when the command prints JSON (`json` true). */
export function quietProgress(
  json: boolean | undefined,
  label: string,
  total: number,
  unit: string,
): Progress | undefined {
  return json ? undefined : createProgress(label, total, unit);
}

/**
 * The step bar of a training command: created when the run starts (`start`), showing loss, lr,
 * the `payload` of each step and, with validation, the last validation score under `valKey`.
 */
export class StepBar {
  private bar: Progress | undefined;
  private lastVal: number | string = '-';

  constructor(
    private readonly label: string,
    private readonly valKey?: string,
  ) {}

  start(maxSteps: number): void {
    this.bar = createProgress(this.label, maxSteps, 'step');
  }

  step(s: StepInfo, payload: Record<string, string | number>): void {
    const val = this.valKey === undefined ? {} : { [this.valKey]: this.lastVal };
    this.bar?.update(s.step, { loss: s.loss, lr: s.lr, ...payload, ...val });
  }

  /** Records a validation score, shown from the next step on. */
  validated(score: number): void {
    this.lastVal = score;
  }

  stop(): void {
    this.bar?.stop();
  }
}

/**
 * Runs `evaluate` with a bar over its `scenes` (none with --json) that it advances through
 * `onScene`; returns its result and the seconds it took (two decimals).
 */
export function evaluateWithProgress<T>(
  json: boolean | undefined,
  scenes: number,
  evaluate: (onScene: (done: number) => void) => T,
): { result: T; seconds: number } {
  const bar = quietProgress(json, 'evaluate', scenes, 'scene');
  const t0 = performance.now();
  const result = evaluate((done) => bar?.update(done));
  bar?.stop();
  return { result, seconds: secondsSince(t0, 2) };
}
