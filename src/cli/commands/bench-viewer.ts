/**
 * `pointcontrast bench viewer`: viewer load time (request → first frame) and frame time for
 * fixture scenes of several sizes in headless chromium (logic in src/serve/load-benchmark.ts).
 */
import type { Command } from 'commander';
import { benchmarkViewerLoad } from '../../bench/viewer.js';
import { machineInfo } from '../bench-machine.js';
import { addBrowserOptions, positiveInt } from '../options.js';
import { printedJson } from '../output.js';
import { createProgress } from '../progress.js';

export function register(bench: Command): void {
  addBrowserOptions(
    bench
      .command('viewer')
      .description('viewer load time and frame time in headless chromium for scenes of several sizes')
      .option('--points <list>', 'comma-separated scene sizes', '100000,1000000,4000000')
      .option('--repeat <n>', 'loads per size, each in a fresh tab (median reported)', '1'),
  )
    .option('--json', 'print one JSON object')
    .action(
      async (opts: {
        points: string;
        repeat: string;
        chromium?: string;
        viewerDir?: string;
        json?: boolean;
      }) => {
        const sizes = opts.points.split(',').map((s) => Number(s.trim()));
        if (!sizes.length || sizes.some((n) => !Number.isInteger(n) || n < 100)) {
          throw new Error(`--points: expected comma-separated integers >= 100, got '${opts.points}'`);
        }
        const repeat = positiveInt(opts.repeat, '--repeat');
        const progress = createProgress('bench viewer', sizes.length * repeat, 'loads');
        const res = await benchmarkViewerLoad({
          sizes,
          repeat,
          chromium: opts.chromium,
          viewerDir: opts.viewerDir,
          onProgress: (done) => progress.update(done),
        });
        progress.stop();
        if (printedJson(opts.json, { ...res, ...machineInfo() })) return;
        process.stdout.write(`${res.webglRenderer}\n`);
        for (const r of res.rows) {
          process.stdout.write(
            `${r.points.toLocaleString('en-US').padStart(10)} points  request→frame ${r.requestToFirstFrameMs.toFixed(0)} ms` +
              `  (fetch ${r.fetchMs.toFixed(0)}, parse ${r.parseMs.toFixed(0)}, prepare ${r.prepareMs.toFixed(0)})` +
              `  frame ${r.frameMs.toFixed(0)} ms, moving ${r.interactiveFrameMs.toFixed(0)} ms\n`,
          );
        }
      },
    );
}
