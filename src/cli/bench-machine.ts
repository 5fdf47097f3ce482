/**
 * The machine a benchmark ran on, as the `--json` of the bench commands reports it (CPU model,
 * core count, Node version), so recorded figures name their machine.
 */
import { cpus } from 'node:os';

/** CPU model, logical cores and Node version of this machine. */
export function machineInfo(): { cpu: string; cores: number; node: string } {
  return { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, node: process.version };
}
