/**
 * `pointcontrast export --checkpoint RUN --out DIR`: a segmentation checkpoint as static files
 * (manifest.json, model.json, weights.bin) that the viewer loads from any web server (logic in
 * src/serve/web-model.ts).
 */
import type { Command } from 'commander';
import { calibrateWebComplement, exportWebModel } from '../../serve/web-model.js';
import { ISOLATION_HEADERS } from '../../serve/server.js';
import { COMPLEMENT_HELP } from '../options.js';
import { backendFromOptions } from '../context.js';

export function register(program: Command): void {
  program
    .command('export')
    .description(
      'write a segmentation checkpoint as static files for in-browser segmentation (viewer ?model=<url>)',
    )
    .requiredOption('--checkpoint <dir>', 'segmentation checkpoint or run folder (best/, else last/)')
    .requiredOption('--out <dir>', 'output folder (manifest.json, model.json, weights.bin)')
    .option(
      '--complement [init]',
      `${COMPLEMENT_HELP}; its init is written to <out>/complement/ with the rule's calibrated values in manifest.json, and the viewer applies it`,
    )
    .option('--json', 'print the manifest as JSON')
    .action(
      async (
        opts: { checkpoint: string; out: string; complement?: string | boolean; json?: boolean },
        cmd: Command,
      ) => {
        if (opts.complement) await backendFromOptions(cmd);
        const complement = opts.complement
          ? calibrateWebComplement(
              opts.checkpoint,
              typeof opts.complement === 'string' ? opts.complement : undefined,
            )
          : undefined;
        const m = exportWebModel(opts.checkpoint, opts.out, complement);
        if (opts.json) {
          process.stdout.write(`${JSON.stringify({ out: opts.out, ...m.manifest })}\n`);
          return;
        }
        const s = m.manifest;
        process.stdout.write(
          `exported ${m.dir} (${s.backbone}, step ${s.source.step}, ${s.classes.length} classes, ` +
            `${s.voxelSize} m voxels, features ${s.features}, ${(s.weightsBytes / 1e6).toFixed(2)} MB) to ${opts.out}\n` +
            (s.complement
              ? `complement: ${s.complement.absent.map((c) => s.classes[c].name).join(', ')} from ${s.complement.source} (${opts.out}/complement/)\n`
              : '') +
            `serve ${opts.out} and the viewer (dist/viewer) from any static server and open <viewer>/?model=<url of ${opts.out}>/\n` +
            `for wasm on every core, serve the viewer with the headers ${Object.entries(ISOLATION_HEADERS)
              .map(([k, v]) => `'${k}: ${v}'`)
              .join(' and ')} (cross-origin isolation; without them wasm runs on one thread)\n`,
        );
      },
    );
}
