/**
 * `pointcontrast info`: backend in use, threads, SIMD, versions.
 */
import type { Command } from 'commander';
import { backendFromOptions } from '../context.js';
import { collectInfo } from '../../train/info.js';

export function register(program: Command): void {
  program
    .command('info')
    .description('print the tfjs backend in use, threads, SIMD and versions')
    .option('--json', 'print one JSON object')
    .option('--no-preflight', 'skip the forward+backward check of a tiny sparse net')
    .action(async (opts: { json?: boolean; preflight: boolean }, cmd: Command) => {
      const backend = await backendFromOptions(cmd);
      const info = await collectInfo(backend, { preflight: opts.preflight });
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(info)}\n`);
        return;
      }
      const lines = [
        `backend     ${info.backend}${info.nativePackage ? ` (${info.nativePackage})` : ''}`,
        `threads     ${info.threads}`,
        `simd        ${info.simd}`,
        `node        ${info.node}`,
        `tfjs        ${info.versions.tfjs}   wasm backend ${info.versions.wasm}`,
        `pointcontrast ${info.versions.pointcontrast}`,
        `cores       ${info.cores}`,
      ];
      if (info.skipped.length) lines.push(`skipped     ${info.skipped.join('; ')}`);
      if (info.preflight) lines.push(`preflight   ${info.preflight}`);
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
