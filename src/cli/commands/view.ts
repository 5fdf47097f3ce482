/**
 * `pointcontrast view <run-or-folder>`: serves the three.js viewer and one folder's predictions or
 * scans on 127.0.0.1 (logic in src/serve/), prints the URL, opens a browser only with --open.
 */
import type { Command } from 'commander';
import { spawn } from 'node:child_process';
import { startViewServer } from '../../serve/server.js';
import { COMPLEMENT_HELP } from '../options.js';
import { backendFromOptions } from '../context.js';

function openBrowser(url: string): void {
  const [cmd, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '', url]]
        : ['xdg-open', [url]];
  const child = spawn(cmd, args, { stdio: 'ignore', detached: true });
  child.on('error', (e) => process.stderr.write(`pointcontrast: could not open a browser (${e.message})\n`));
  child.unref();
}

export function register(program: Command): void {
  program
    .command('view')
    .description(
      'serve the viewer for a run (its predictions/), a predictions folder, a folder of scans or one scan',
    )
    .argument(
      '<path>',
      'run folder, predictions folder (index.json), folder of .ply/.pcd scans, or one scan file',
    )
    .option(
      '--host <host>',
      'address to listen on (only loopback is safe: the data becomes readable there)',
      '127.0.0.1',
    )
    .option(
      '--port <n>',
      'port; 0 = any free port. If the default is taken the next free one is used',
      '8765',
    )
    .option('--open', 'open the viewer in the default browser')
    .option(
      '--checkpoint <dir>',
      'segmentation checkpoint or run served for "Segment a file…" (default: <path> when it is a run)',
    )
    .option('--complement [init]', `${COMPLEMENT_HELP}; calibrated at start and applied in the page`)
    .action(
      async (
        path: string,
        opts: {
          host: string;
          port: string;
          open?: boolean;
          checkpoint?: string;
          complement?: string | boolean;
        },
        cmd: Command,
      ) => {
        const port = Number(opts.port);
        if (!Number.isInteger(port) || port < 0 || port > 65535) {
          throw new Error(`--port: expected an integer 0..65535, got '${opts.port}'`);
        }
        if (opts.complement) await backendFromOptions(cmd); // the rule is calibrated at start
        const server = await startViewServer({
          root: path,
          host: opts.host,
          port,
          nextFreePort: cmd.getOptionValueSource('port') === 'default',
          checkpoint: opts.checkpoint,
          complement: opts.complement === true ? true : opts.complement || undefined,
          log: (line) => process.stderr.write(`pointcontrast view: ${line}\n`),
        });
        const what = server.data.kind === 'predictions' ? 'predictions' : 'scans';
        process.stdout.write(`serving ${what} from ${server.data.dir}\n`);
        if ('dir' in server.model) process.stdout.write(`segmentation model: ${server.model.dir}\n`);
        if (server.complement)
          process.stdout.write(
            `complement rule: ${server.complement.absent.length} absent classes from ${server.complement.initDir}\n`,
          );
        process.stdout.write(`${server.url}\n`);
        if (!['127.0.0.1', 'localhost', '::1'].includes(opts.host)) {
          process.stderr.write(
            `pointcontrast view: warning: listening on ${opts.host}; anyone who can reach it reads these files\n`,
          );
        }
        if (opts.open) openBrowser(server.url);
        const stop = (): void => {
          void server.close().then(() => process.exit(0));
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      },
    );
}
