/**
 * `pointcontrast bench segment --checkpoint RUN --input SCAN`: in-browser segmentation time per
 * 100k points for each tfjs backend of headless chromium, beside Node on the active backend
 * (logic in src/bench/segment.ts).
 */
import type { Command } from 'commander';
import { machineInfo } from '../bench-machine.js';
import { backendFromOptions } from '../context.js';
import { benchmarkSegmentation } from '../../bench/segment.js';
import { addBrowserOptions, COMPLEMENT_HELP } from '../options.js';
import { printedJson } from '../output.js';
import { quietProgress } from '../progress.js';

export function register(bench: Command): void {
  addBrowserOptions(
    bench
      .command('segment')
      .description(
        'in-browser segmentation (viewer "Segment a file…") per tfjs backend in headless chromium vs Node',
      )
      .requiredOption('--checkpoint <dir>', 'segmentation checkpoint or run folder')
      .requiredOption('--input <file>', 'a PLY/PCD/TXT scan')
      .option(
        '--backends <list>',
        'comma-separated browser backends (webgpu gets a software SwiftShader adapter here; wasm runs at 1 thread and at every core)',
        'wasm,webgl,cpu',
      )
      .option('--runs <n>', 'network runs per backend (the first includes warm-up; median of the rest)', '3')
      .option('--complement [init]', `${COMPLEMENT_HELP}; timed in both places`),
  )
    .option('--json', 'print one JSON object')
    .action(
      async (
        opts: {
          checkpoint: string;
          input: string;
          backends: string;
          runs: string;
          chromium?: string;
          viewerDir?: string;
          complement?: string | boolean;
          json?: boolean;
        },
        cmd: Command,
      ) => {
        await backendFromOptions(cmd);
        const runs = Number(opts.runs);
        if (!Number.isInteger(runs) || runs < 2)
          throw new Error(`--runs: expected an integer >= 2, got '${opts.runs}'`);
        const backends = opts.backends.split(',').map((s) => s.trim());
        const known = ['webgpu', 'webgl', 'wasm', 'cpu'];
        const bad = backends.filter((b) => !known.includes(b));
        if (bad.length)
          throw new Error(`--backends: unknown '${bad.join(', ')}'; expected ${known.join(', ')}`);
        const cases = backends.length + (backends.includes('wasm') ? 2 : 1); // wasm: 1 thread and all cores
        const progress = quietProgress(opts.json, 'bench segment', cases, 'backends');
        const res = await benchmarkSegmentation({
          checkpoint: opts.checkpoint,
          input: opts.input,
          backends,
          runs,
          chromium: opts.chromium,
          viewerDir: opts.viewerDir,
          complement: opts.complement === true ? true : opts.complement || undefined,
          onProgress: (done) => progress?.update(done),
        });
        progress?.stop();
        if (printedJson(opts.json, { ...res, ...machineInfo() })) return;
        for (const r of res.rows) {
          process.stdout.write(
            `${r.where.padEnd(7)} ${r.backend.padEnd(6)} ${r.points.toLocaleString('en-US')} points, ${r.voxels.toLocaleString('en-US')} voxels: ` +
              `first ${r.firstRunMs.toFixed(0)} ms, warm ${r.warmMs.toFixed(0)} ms = ${r.msPer100kPoints.toFixed(0)} ms / 100k points` +
              ` (${r.device ? `${r.device}, ` : r.threads !== undefined ? `${r.threads} thread${r.threads === 1 ? '' : 's'}, ` : ''}${r.software ? 'SOFTWARE GPU, ' : ''}rows: ${r.rowOps})` +
              `${r.agreement !== undefined ? `, ${(100 * r.agreement).toFixed(3)} % labels = Node${r.agreement < 0.999 ? ' (BELOW 99.9 %)' : ''}` : ''}\n`,
          );
        }
        for (const f of res.failed) process.stdout.write(`browser ${f.backend}: failed: ${f.error}\n`);
        if (res.complement)
          process.stdout.write(
            `complement rule in both places: ${res.complement.absent.join(', ')} from ${res.complement.init}\n`,
          );
      },
    );
}
