/**
 * The `pointcontrast` command line: commander wiring only. Each subcommand lives in
 * commands/<name>.ts and calls library functions.
 */
import { Command, CommanderError } from 'commander';
import { COMMANDS } from './commands/index.js';
import { BACKEND_NAMES } from '../backend/select.js';
import { readFileSync } from 'node:fs';

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

/** Builds the program (exposed for tests that inspect help and errors). */
export function buildProgram(): Command {
  const program = new Command('pointcontrast')
    .description('Self-supervised pre-training of 3D scene backbones (PointContrast family) on TensorFlow.js')
    .version(packageVersion())
    .option('--backend <name>', `tfjs backend: ${BACKEND_NAMES.join(' | ')} (env POINTCONTRAST_BACKEND)`)
    .option('--threads <n>', 'wasm threads (env POINTCONTRAST_THREADS; default: all cores)')
    .showHelpAfterError()
    .exitOverride();
  for (const register of COMMANDS) register(program);
  return program;
}

/** Runs the CLI on process-style argv; returns the exit code. */
export async function run(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode;
    const err = e as Error;
    process.stderr.write(`pointcontrast: ${err.message}\n`);
    if (process.env.POINTCONTRAST_DEBUG) process.stderr.write(`${err.stack}\n`);
    return 1;
  }
}

const invokedDirectly = process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'));
if (invokedDirectly) process.exitCode = await run(process.argv);
