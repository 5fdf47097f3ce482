/**
 * `pointcontrast data inspect FILE [--json]`: format, header, point count, properties with
 * types, bounds, NaN count and label histogram of a .ply/.pcd/.txt point-cloud file.
 */
import type { Command } from 'commander';
import { formatInspectReport, inspectFile } from '../../data/inspect.js';

/** Adds `inspect` to the `data` command group. */
export function register(data: Command): void {
  data
    .command('inspect')
    .description(
      'show what a point-cloud file (.ply, .pcd, .txt/.xyz) holds: format, header, properties, bounds, labels',
    )
    .argument('<file>', 'point-cloud file')
    .option('--json', 'print one JSON object')
    .action((file: string, opts: { json?: boolean }) => {
      const report = inspectFile(file);
      process.stdout.write(opts.json ? `${JSON.stringify(report)}\n` : formatInspectReport(report));
    });
}
