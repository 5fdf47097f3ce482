/**
 * The layer order of docs/architecture.md, checked over the real import graph of src/: a module
 * may import its own layer or a lower one, never a higher one; the platform-free layers import
 * no Node built-ins; the viewer imports only platform-free layers.
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

/** Relative specifiers a file imports: static, dynamic, re-exports and worker URLs. */
export function importsOf(text: string): string[] {
  const out: string[] = [];
  const re = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|new URL\(\s*)(['"])([^'"]+)\1/g;
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

test('the viewer imports only platform-free layers of src/', () => {
  const viewer = join(ROOT, 'viewer', 'src');
  if (!existsSync(viewer)) return;
  const allowed = new Set([...PLATFORM_FREE, 'data']);
  const bad: string[] = [];
  for (const file of walk(viewer)) {
    for (const spec of importsOf(readFileSync(file, 'utf8'))) {
      const target = resolve(dirname(file), spec);
      if (!spec.startsWith('.') || !target.startsWith(SRC)) continue;
      const layer = layerOf(target);
      const formatParser = layer === 'data' && relative(SRC, target).startsWith(join('data', 'formats'));
      if (!allowed.has(layer) || (layer === 'data' && !formatParser))
        bad.push(`${relative(ROOT, file)} imports ${spec}`);
    }
  }
  assert.deepEqual(bad, [], bad.join('\n'));
});

test('the import scanner sees static, dynamic, re-export and worker-URL imports', () => {
  const text = [
    "import { a } from './a.js';",
    "export { b } from '../b.js';",
    "import type { C } from './c.js';",
    "const d = await import('./d.js');",
    "import './e.js';",
    "new Worker(new URL('./f.js', import.meta.url));",
  ].join('\n');
  assert.deepEqual(importsOf(text), ['./a.js', '../b.js', './c.js', './d.js', './e.js', './f.js']);
});
