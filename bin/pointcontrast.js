#!/usr/bin/env node
// The `pointcontrast` command: runs the compiled CLI (dist/, built by `npm run build`, which
// `npm ci` runs through the prepare script).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const main = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(main))) {
  console.error('pointcontrast: dist/ is missing; run `npm run build` (npm ci does it for you).');
  process.exit(1);
}
const { run } = await import(main.href);
process.exitCode = await run(process.argv);
