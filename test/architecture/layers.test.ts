/**
 * The layer order of docs/architecture.md, checked over the real import graph of src/: a module
 * may import its own layer or a lower one, never a higher one; the platform-free parts (layers and
 * data/ folders) load no Node built-in (any of `builtinModules`, bare or `node:`), directly or
 * through other modules; nothing the viewer loads (transitively) imports a Node built-in. The
 * checkers take a root folder, so planted violations in a temporary copy are checked too.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
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

/**
 * The platform-free parts of src/ (no `fs`, no `node:`; the viewer and the browser reuse them):
 * whole layers, and the folders of `data/` that say they are platform-free.
 */
export const PLATFORM_FREE = [
  'core',
  'geometry',
  'sparse',
  'eval',
  'models',
  'losses',
  'data/formats',
  'data/synth',
  'data/augment',
];
/** The Node-only files of otherwise platform-free parts. */
export const NODE_EXCEPTIONS: ReadonlySet<string> = new Set(['core/worker-pool.ts']);

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (/\.(ts|mts|mjs|cjs)$/.test(name)) out.push(p);
  }
  return out;
}

/** Relative (and bare) specifiers a file imports: static, dynamic, re-exports, `require` and worker URLs (`new URL`, `workerUrl`). */
export function importsOf(text: string): string[] {
  const out: string[] = [];
  const re =
    /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*|(?:new URL|\bworkerUrl)\(\s*)(['"])([^'"]+)\1/g;
  for (const m of text.matchAll(re)) out.push(m[2]);
  return out;
}

/** Specifiers a file loads at run time (type-only imports and re-exports are erased). */
export function valueImportsOf(text: string): string[] {
  const out: string[] = [];
  const re =
    /(?:^|;|\n)\s*(?:import|export)\s+(?!type\b)(?:[^'";]*?\bfrom\s*)?(['"])([^'"]+)\1|\b(?:import|require)\s*\(\s*(['"])([^'"]+)\3|(?:new URL|\bworkerUrl)\(\s*(['"])([^'"]+)\5/g;
  for (const m of text.matchAll(re)) out.push(m[2] ?? m[4] ?? m[6]);
  return out;
}

/** Node's built-in modules, bare (`zlib`, `fs/promises`) and with the `node:` prefix. */
const NODE_BUILTINS: ReadonlySet<string> = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

/** Whether a specifier names a Node built-in (any `node:` one, including prefix-only ones like `node:test`). */
export function isNodeBuiltin(spec: string): boolean {
  return spec.startsWith('node:') || NODE_BUILTINS.has(spec);
}

/**
 * The source file a relative specifier of `from` loads: the file itself, or the .ts of a .js
 * specifier; null when it names no module (a folder or an asset URL such as a viewer build or a
 * package.json), undefined when the module file does not exist.
 */
function sourceOf(from: string, spec: string): string | null | undefined {
  const target = resolve(dirname(from), spec);
  if (!/\.(ts|mts|js|mjs|cjs)$/.test(target)) return null;
  for (const file of [target, target.replace(/\.js$/, '.ts'), target.replace(/\.mjs$/, '.mts')]) {
    if (existsSync(file) && statSync(file).isFile()) return file;
  }
  return undefined;
}

/**
 * Node built-ins reached from `entries`: each entry's own imports (type-only ones included), then
 * every module its run-time imports load, directly or through others. One line per finding,
 * naming the file (relative to `root`), the import and, for a module reached through others, the
 * entry that loads it. A relative import of a missing module is a finding too, not a crash.
 */
export function builtinImportsFrom(root: string, entries: readonly string[]): string[] {
  const rel = (p: string) => relative(root, p).replace(/\\/g, '/');
  const bad: string[] = [];
  const seen = new Set(entries);
  // (module, the entry that reached it)
  const stack: [string, string][] = [];
  const follow = (file: string, text: string, via: string) => {
    for (const spec of valueImportsOf(text)) {
      if (!spec.startsWith('.')) continue;
      const target = sourceOf(file, spec);
      if (target === undefined) bad.push(`${rel(file)} imports ${spec}, which is no file`);
      else if (target !== null && !seen.has(target)) {
        seen.add(target);
        stack.push([target, via]);
      }
    }
  };
  for (const file of entries) {
    const text = readFileSync(file, 'utf8');
    for (const spec of importsOf(text)) if (isNodeBuiltin(spec)) bad.push(`${rel(file)} imports ${spec}`);
    follow(file, text, rel(file));
  }
  while (stack.length > 0) {
    const [file, via] = stack.pop()!;
    const text = readFileSync(file, 'utf8');
    for (const spec of valueImportsOf(text))
      if (isNodeBuiltin(spec)) bad.push(`${rel(file)} (loaded by ${via}) imports ${spec}`);
    follow(file, text, via);
  }
  return bad;
}

/** The files of the platform-free parts of `root`/src that exist, Node-only exceptions left out. */
export function platformFreeFiles(root: string): string[] {
  const src = join(root, 'src');
  return PLATFORM_FREE.map((part) => join(src, part))
    .filter((dir) => existsSync(dir))
    .flatMap((dir) => walk(dir))
    .filter((file) => !NODE_EXCEPTIONS.has(relative(src, file).replace(/\\/g, '/')));
}

/** Imports of `root`/src that run back up a layer, one line each. */
export function upwardImports(root: string): string[] {
  const src = join(root, 'src');
  const layerOf = (path: string) => relative(src, path).split(/[\\/]/)[0];
  const bad: string[] = [];
  for (const file of walk(src)) {
    const from = layerOf(file);
    for (const spec of importsOf(readFileSync(file, 'utf8'))) {
      if (!spec.startsWith('.')) continue;
      const target = resolve(dirname(file), spec);
      if (!target.startsWith(src + sep)) continue;
      const to = layerOf(target);
      if (rank(to) > rank(from)) bad.push(`${relative(root, file)} (${from}) imports ${spec} (${to})`);
    }
  }
  return bad;
}

function rank(layer: string): number {
  return (LAYERS as readonly string[]).indexOf(layer);
}

test('every top-level entry of src/ has a layer', () => {
  const unknown = readdirSync(SRC).filter((n) => rank(n) < 0);
  assert.deepEqual(unknown, [], `add these to LAYERS (and docs/architecture.md): ${unknown.join(', ')}`);
});

test('no module imports a higher layer', () => {
  const bad = upwardImports(ROOT);
  assert.deepEqual(bad, [], `imports running back up a layer:\n  ${bad.join('\n  ')}`);
});

test('every platform-free part of src/ exists', () => {
  const missing = PLATFORM_FREE.filter((part) => !existsSync(join(SRC, part)));
  assert.deepEqual(missing, [], `PLATFORM_FREE names folders that are gone: ${missing.join(', ')}`);
});

test('platform-free parts of src/ load no Node built-ins, directly or through other modules', () => {
  const bad = builtinImportsFrom(ROOT, platformFreeFiles(ROOT));
  assert.deepEqual(bad, [], `Node built-ins in platform-free code:\n  ${bad.join('\n  ')}`);
});

test('every module of src/ the viewer loads, directly or through others, imports no Node built-ins', () => {
  const viewer = join(ROOT, 'viewer', 'src');
  if (!existsSync(viewer)) return;
  const entries = walk(viewer);
  const bad = builtinImportsFrom(ROOT, entries);
  const loaded = entries.some((file) =>
    valueImportsOf(readFileSync(file, 'utf8')).some(
      (spec) => spec.startsWith('.') && (sourceOf(file, spec) ?? '').startsWith(SRC + sep),
    ),
  );
  assert.ok(loaded, 'the viewer loads no module of src/');
  assert.deepEqual(bad, [], `Node built-ins the viewer would load:\n  ${bad.join('\n  ')}`);
});

describe('a planted violation', () => {
  let root = '';
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'layers-'));
    const file = (path: string, text: string) => {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    };
    file('src/core/codec.ts', "import { gzipSync } from 'zlib';\nexport const pack = gzipSync;\n");
    file('src/core/fine.ts', 'export const one = 1;\n');
    // a folder URL and a folder named like a module: neither is read as a file
    mkdirSync(join(root, 'src/geometry/assets.ts'), { recursive: true });
    mkdirSync(join(root, 'src/geometry/assets'), { recursive: true });
    file(
      'src/geometry/uses-codec.ts',
      [
        "import { pack } from '../core/codec.js';",
        "import { one } from '../core/fine.js';",
        "export const dir = new URL('./assets/', import.meta.url);",
        'export const packed = pack(new Uint8Array(one));',
      ].join('\n'),
    );
    file(
      'src/data/synth/scene.ts',
      "import { readFileSync } from 'node:fs';\nexport const read = readFileSync;\n",
    );
    file('src/core/up.ts', "export { packed } from '../geometry/uses-codec.js';\n");
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  test('is named: file and import, for the file itself and for a module loading it', () => {
    const bad = builtinImportsFrom(root, platformFreeFiles(root));
    assert.deepEqual(bad.sort(), [
      'src/core/codec.ts imports zlib',
      'src/data/synth/scene.ts imports node:fs',
    ]);
    const viaGeometry = builtinImportsFrom(root, [join(root, 'src/geometry/uses-codec.ts')]);
    assert.deepEqual(viaGeometry, ['src/core/codec.ts (loaded by src/geometry/uses-codec.ts) imports zlib']);
  });

  test('fails the check with that message, not a crash', () => {
    assert.throws(
      () => {
        const bad = builtinImportsFrom(root, platformFreeFiles(root));
        assert.deepEqual(bad, [], `Node built-ins in platform-free code:\n  ${bad.join('\n  ')}`);
      },
      (e: Error) => e.message.includes('src/core/codec.ts imports zlib'),
    );
  });

  test('a missing module and an upward import are named too', () => {
    writeFileSync(join(root, 'src/core/missing.ts'), "import { x } from './gone.js';\nexport const y = x;\n");
    try {
      assert.deepEqual(builtinImportsFrom(root, [join(root, 'src/core/missing.ts')]), [
        'src/core/missing.ts imports ./gone.js, which is no file',
      ]);
    } finally {
      rmSync(join(root, 'src/core/missing.ts'));
    }
    assert.deepEqual(upwardImports(root), [
      'src/core/up.ts (core) imports ../geometry/uses-codec.js (geometry)',
    ]);
  });
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
