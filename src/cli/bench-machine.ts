/**
 * The machine a benchmark ran on, as the `--json` of the bench commands reports it (CPU model,
 * core count, Node version, load averages), so recorded figures name their machine and its load.
 */
import { cpus, loadavg } from 'node:os';

/** CPU model, logical cores and Node version of this machine. */
export function machineInfo(): { cpu: string; cores: number; node: string } {
  return { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, node: process.version };
}

/** The 1-, 5- and 15-minute load averages, to two decimals. */
export function loadAverages(): number[] {
  return loadavg().map((v) => Math.round(v * 100) / 100);
}

/** CPU model, Node version and load averages (the machine fields without the core count). */
export function machineLoad(): { cpu: string; node: string; loadavg: number[] } {
  return { cpu: cpus()[0]?.model ?? 'unknown', node: process.version, loadavg: loadAverages() };
}
