/**
 * The layer order of docs/architecture.md, checked over the real import graph of src/: a module
 * may import its own layer or a lower one, never a higher one; the platform-free layers import
 * no Node built-ins; nothing the viewer loads (transitively) imports a Node built-in.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SRC = join(ROOT, 'src');

/** Bottom to top; a layer may import only itself and the layers before it. */
export const LAYERS = [
  'core',
  'geometry',
  'backend',
  'sparse',
  'eval',
  'models',
  'losses',
  'data',
  'train',
  'config',
  'tasks',
  'serve',
  'bench',
  'cli',
  'index.ts',
] as const;

/** Layers the viewer reuses: no `fs`, no `node:` imports. */
const PLATFORM_FREE = ['core', 'geometry', 'sparse', 'eval', 'models', 'losses'];
/** The Node-only files of otherwise platform-free layers. */
const NODE_EXCEPTIONS = new Set(['core/worker-pool.ts']);

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (/\.(ts|mts|mjs|cjs)$/.test(name)) out.push(p);
  }
  return out;
}

/** Relative specifiers a file imports: static, dynamic, re-exports and worker URLs (`new URL`, `workerUrl`). */
export function importsOf(text: string): string[] {
  const out: string[] = [];
  const re = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|(?:new URL|\bworkerUrl)\(\s*)(['"])([^'"]+)\1/g;
  for (const m of text.matchAll(re)) out.push(m[2]);
  return out;
}

/** The top-level folder (or root file) of a path under src/. */
function layerOf(path: string): string {
  return relative(SRC, path).split(/[\\/]/)[0];
}

function rank(layer: string): number {
  return (LAYERS as readonly string[]).indexOf(layer);
}

test('every top-level entry of src/ has a layer', () => {
  const unknown = readdirSync(SRC).filter((n) => rank(n) < 0);
  assert.deepEqual(unknown, [], `add these to LAYERS (and docs/architecture.md): ${unknown.join(', ')}`);
});

test('no module imports a higher layer', () => {
  const bad: string[] = [];
  for (const file of walk(SRC)) {
    const from = layerOf(file);
    for (const spec of importsOf(readFileSync(file, 'utf8'))) {
      if (!spec.startsWith('.')) continue;
      const target = resolve(dirname(file), spec);
      if (!target.startsWith(SRC)) continue;
      const to = layerOf(target);
      if (rank(to) > rank(from)) bad.push(`${relative(ROOT, file)} (${from}) imports ${spec} (${to})`);
    }
  }
  assert.deepEqual(bad, [], `imports running back up a layer:\n  ${bad.join('\n  ')}`);
});

test('platform-free layers import no Node built-ins', () => {
  const bad: string[] = [];
  for (const layer of PLATFORM_FREE) {
    for (const file of walk(join(SRC, layer))) {
      if (NODE_EXCEPTIONS.has(relative(SRC, file).replace(/\\/g, '/'))) continue;
      for (const spec of importsOf(readFileSync(file, 'utf8'))) {
        if (spec.startsWith('node:') || /^(fs|path|os|url|worker_threads|child_process)(\/|$)/.test(spec))
          bad.push(`${relative(ROOT, file)} imports ${spec}`);
      }
    }
  }
  assert.deepEqual(bad, [], bad.join('\n'));
});

/** Relative specifiers a file loads at run time (type-only imports and re-exports are erased). */
export function valueImportsOf(text: string): string[] {
  const out: string[] = [];
  const re =
    /(?:^|;|\n)\s*(?:import|export)\s+(?!type\b)(?:[^'";]*?\bfrom\s*)?(['"])([^'"]+)\1|\bimport\s*\(\s*(['"])([^'"]+)\3|(?:new URL|\bworkerUrl)\(\s*(['"])([^'"]+)\5/g;
  for (const m of text.matchAll(re)) out.push(m[2] ?? m[4] ?? m[6]);
  return out;
}

const NODE_BUILTIN = /^(node:|(fs|path|os|url|worker_threads|child_process)(\/|$))/;

/** Resolves a relative specifier of a .js/.ts module to the .ts source file. */
function sourceOf(from: string, spec: string): string {
  const target = resolve(dirname(from), spec);
  if (existsSync(target) && statSync(target).isFile()) return target;
  const ts = target.replace(/\.js$/, '.ts');
  return existsSync(ts) ? ts : target;
}

test('every module of src/ the viewer loads, directly or through others, imports no Node built-ins', () => {
  const viewer = join(ROOT, 'viewer', 'src');
  if (!existsSync(viewer)) return;
  const bad: string[] = [];
  const seen = new Set<string>();
  // (file, the viewer file that reached it)
  const stack: [string, string][] = [];
  for (const file of walk(viewer)) {
    for (const spec of valueImportsOf(readFileSync(file, 'utf8'))) {
      if (!spec.startsWith('.')) continue;
      const target = sourceOf(file, spec);
      if (target.startsWith(SRC)) stack.push([target, relative(ROOT, file)]);
    }
  }
  while (stack.length > 0) {
    const [file, via] = stack.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const spec of valueImportsOf(readFileSync(file, 'utf8'))) {
      if (NODE_BUILTIN.test(spec)) bad.push(`${relative(ROOT, file)} (loaded by ${via}) imports ${spec}`);
      else if (spec.startsWith('.')) stack.push([sourceOf(file, spec), via]);
    }
  }
  assert.ok(seen.size > 0, 'the viewer loads no module of src/');
  assert.deepEqual(bad, [], bad.join('\n'));
});

test('the value-import scanner skips type-only imports', () => {
  const text = [
    "import { a } from './a.js';",
    "import type { B } from './b.js';",
    "export type { C } from './c.js';",
    "export { d } from './d.js';",
    "import './e.js';",
    "const f = await import('./f.js');",
  ].join('\n');
  assert.deepEqual(valueImportsOf(text), ['./a.js', './d.js', './e.js', './f.js']);
});

test('the import scanner sees static, dynamic, re-export and worker-URL imports', () => {
  const text = [
    "import { a } from './a.js';",
    "export { b } from '../b.js';",
    "import type { C } from './c.js';",
    "const d = await import('./d.js');",
    "import './e.js';",
    "new Worker(new URL('./f.js', import.meta.url));",
    "startWorker(workerUrl('./g.js', import.meta.url));",
  ].join('\n');
  assert.deepEqual(importsOf(text), ['./a.js', '../b.js', './c.js', './d.js', './e.js', './f.js', './g.js']);
});
