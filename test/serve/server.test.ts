import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, mkdirSync, writeFileSync, symlinkSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startViewServer, type ViewServer } from '../../src/serve/server.js';
import { rawRequest, rawSocketStatus } from './http-helpers.js';

/** uid and gid of nobody (Debian). */
const NOBODY = 65534;
const tmp = mkdtempSync(join(tmpdir(), 'pc-serve-'));
const run = join(tmp, 'run');
const pred = join(run, 'predictions');
const viewer = join(tmp, 'viewer');
const datasets = join(tmp, 'datasets');
const payload = Buffer.from(Array.from({ length: 1000 }, (_, i) => (i * 7) & 255));
const index = {
  format: 'pointcontrast-predictions',
  version: 1,
  labelSet: 'toy',
  ignoreLabel: -1,
  classes: [
    { id: 0, name: 'wall', color: [174, 199, 232] },
    { id: 3, name: 'chair', color: [188, 189, 34] },
  ],
  scenes: [
    { name: 'scene_a', file: 'a.ply', points: 10 },
    { name: 'scene b', file: 'sub dir/b.ply' },
  ],
};

function setup(): void {
  mkdirSync(join(pred, 'sub dir'), { recursive: true });
  mkdirSync(join(tmp, 'outside'));
  writeFileSync(join(tmp, 'outside', 'secret.txt'), 'top secret');
  writeFileSync(join(run, 'secret-in-run.txt'), 'not under predictions/');
  writeFileSync(join(pred, 'index.json'), JSON.stringify(index));
  writeFileSync(join(pred, 'a.ply'), payload);
  writeFileSync(join(pred, 'sub dir', 'b.ply'), payload.subarray(0, 100));
  writeFileSync(join(pred, '.hidden.ply'), 'x');
  symlinkSync(join(tmp, 'outside', 'secret.txt'), join(pred, 'link-out.txt'));
  symlinkSync(join(tmp, 'outside'), join(pred, 'dir-out'));
  symlinkSync(join(pred, 'a.ply'), join(pred, 'link-in.ply'));
  mkdirSync(join(viewer, 'assets'), { recursive: true });
  writeFileSync(join(viewer, 'index.html'), '<!doctype html><title>v</title>');
  writeFileSync(join(viewer, 'assets', 'app-1234.js'), 'console.log(1)');
  mkdirSync(join(tmp, 'scans', 'deep', '.git'), { recursive: true });
  writeFileSync(join(tmp, 'scans', 'x.ply'), 'ply');
  writeFileSync(join(tmp, 'scans', 'deep', 'y.PCD'), 'pcd');
  writeFileSync(join(tmp, 'scans', 'deep', '.git', 'z.ply'), 'hidden');
  writeFileSync(join(tmp, 'scans', 'notes.txt'), 'not a scan');
  mkdirSync(datasets);
  writeFileSync(
    join(datasets, 'toy.json'),
    JSON.stringify({ name: 'toy', ignoreLabel: -1, classes: index.classes }),
  );
  writeFileSync(join(datasets, 'broken.json'), JSON.stringify({ name: 'broken', classes: [{ id: 'x' }] }));
}
setup();

/** Body of GET /api/scenes from a view server on `root` run in a child process as nobody (or as this user when not root). */
function listScenesAsUnprivileged(root: string): string {
  const serverUrl = new URL('../../src/serve/server.ts', import.meta.url).href;
  const script = `import(${JSON.stringify(serverUrl)}).then(async ({ startViewServer }) => {
    const s = await startViewServer({ root: ${JSON.stringify(root)}, port: 0, viewerDir: ${JSON.stringify(root)} });
    const res = await fetch(new URL('api/scenes', s.url));
    process.stdout.write(await res.text());
    await s.close();
  })`;
  const asRoot = process.getuid?.() === 0;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], {
    encoding: 'utf8',
    env: { ...process.env, HOME: root, POINTCONTRAST_QUIET: '1' },
    ...(asRoot ? { uid: NOBODY, gid: NOBODY } : {}),
    timeout: 60_000,
  });
  assert.equal(r.status, 0, `server child failed: ${r.stderr}`);
  return r.stdout;
}

describe('view server on a run folder', () => {
  let server: ViewServer;
  const logs: string[] = [];
  before(async () => {
    server = await startViewServer({
      root: run,
      port: 0,
      viewerDir: viewer,
      datasetsDir: datasets,
      log: (l) => logs.push(l),
    });
  });
  after(async () => {
    await server.close();
  });

  test('listens on 127.0.0.1 and serves the predictions folder', async () => {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    assert.equal(server.data.kind, 'predictions');
    const r = await rawRequest(server.port, '/api/scenes');
    assert.equal(r.status, 200);
    assert.match(String(r.headers['content-type']), /^application\/json/);
    assert.equal(r.headers['cache-control'], 'no-store');
    const body = JSON.parse(r.body.toString());
    assert.equal(body.kind, 'predictions');
    assert.deepEqual(
      body.scenes.map((s: { name: string; url: string; bytes: number }) => [s.name, s.url, s.bytes]),
      [
        ['scene_a', '/data/a.ply', 1000],
        ['scene b', '/data/sub%20dir/b.ply', 100],
      ],
    );
    assert.deepEqual(body.index.classes[1], { id: 3, name: 'chair', color: [188, 189, 34] });
  });

  test('serves a data file whole, with type, length and ETag', async () => {
    const r = await rawRequest(server.port, '/data/a.ply');
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'application/octet-stream');
    assert.equal(r.headers['content-length'], '1000');
    assert.equal(r.headers['accept-ranges'], 'bytes');
    assert.equal(r.headers['cache-control'], 'no-cache');
    assert.deepEqual(r.body, payload);
    const again = await rawRequest(server.port, '/data/a.ply', { 'If-None-Match': String(r.headers.etag) });
    assert.equal(again.status, 304);
    assert.equal(again.body.length, 0);
    const spaced = await rawRequest(server.port, '/data/sub%20dir/b.ply');
    assert.deepEqual(spaced.body, payload.subarray(0, 100));
    const head = await rawRequest(server.port, '/data/a.ply', {}, 'HEAD');
    assert.equal(head.status, 200);
    assert.equal(head.headers['content-length'], '1000');
    assert.equal(head.body.length, 0);
  });

  test('answers Range requests with 206 and Content-Range', async () => {
    const mid = await rawRequest(server.port, '/data/a.ply', { Range: 'bytes=10-19' });
    assert.equal(mid.status, 206);
    assert.equal(mid.headers['content-range'], 'bytes 10-19/1000');
    assert.equal(mid.headers['content-length'], '10');
    assert.deepEqual(mid.body, payload.subarray(10, 20));
    const open = await rawRequest(server.port, '/data/a.ply', { Range: 'bytes=990-' });
    assert.equal(open.headers['content-range'], 'bytes 990-999/1000');
    assert.deepEqual(open.body, payload.subarray(990));
    const suffix = await rawRequest(server.port, '/data/a.ply', { Range: 'bytes=-5' });
    assert.equal(suffix.headers['content-range'], 'bytes 995-999/1000');
    assert.deepEqual(suffix.body, payload.subarray(995));
    const clamped = await rawRequest(server.port, '/data/a.ply', { Range: 'bytes=900-5000' });
    assert.equal(clamped.headers['content-range'], 'bytes 900-999/1000');
    const bad = await rawRequest(server.port, '/data/a.ply', { Range: 'bytes=1000-' });
    assert.equal(bad.status, 416);
    assert.equal(bad.headers['content-range'], 'bytes */1000');
    const multi = await rawRequest(server.port, '/data/a.ply', { Range: 'bytes=0-1,5-6' });
    assert.equal(multi.status, 200, 'several ranges: the whole file');
    assert.equal(multi.body.length, 1000);
    const stale = await rawRequest(server.port, '/data/a.ply', { Range: 'bytes=0-1', 'If-Range': '"old"' });
    assert.equal(stale.status, 200, 'If-Range with another ETag: the whole file');
  });

  const refused: [string, string, number][] = [
    ['dot-dot', '/data/../secret-in-run.txt', 400],
    ['dot-dot deeper', '/data/sub%20dir/../../secret-in-run.txt', 400],
    ['percent-encoded dot-dot', '/data/%2e%2e/secret-in-run.txt', 400],
    ['upper-case encoded dot-dot', '/data/%2E%2E/%2E%2E/outside/secret.txt', 400],
    ['encoded slash', '/data/..%2fsecret-in-run.txt', 400],
    ['encoded dot-dot and slash', '/data/%2e%2e%2fsecret-in-run.txt', 400],
    ['encoded backslash', '/data/..%5csecret-in-run.txt', 400],
    ['double-encoded dot-dot', '/data/%252e%252e/secret-in-run.txt', 404],
    ['encoded NUL', '/data/a.ply%00.txt', 400],
    ['empty segment (absolute path)', `/data/${tmp}/outside/secret.txt`.replace('/data/', '/data//'), 400],
    ['absolute-form target', 'http://127.0.0.1/etc/passwd', 400],
    ['drive letter', '/data/C:/Windows/win.ini', 400],
    ['malformed escape', '/data/%zz.ply', 400],
    ['symlink to a file outside', '/data/link-out.txt', 403],
    ['symlink to a folder outside', '/data/dir-out/secret.txt', 403],
    ['dotfile', '/data/.hidden.ply', 404],
    ['directory (no listing)', '/data/sub%20dir', 404],
    ['data root itself', '/data', 404],
    ['missing file', '/data/nope.ply', 404],
    ['viewer-side traversal', '/../run/predictions/a.ply', 400],
  ];
  for (const [what, path, status] of refused) {
    test(`refuses ${what}: ${path}`, async () => {
      const r = await rawRequest(server.port, path);
      assert.equal(r.status, status);
      assert.ok(!r.body.toString().includes('secret'), 'no file content leaks');
    });
  }

  test('refuses a literal NUL byte and a raw ../ request line', async () => {
    assert.equal(
      await rawSocketStatus(
        server.port,
        Buffer.from('GET /data/a.ply\0x HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'),
      ),
      400,
    );
    assert.equal(
      await rawSocketStatus(
        server.port,
        Buffer.from('GET /data/../../outside/secret.txt HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'),
      ),
      400,
    );
  });

  test('follows a symlink that stays inside the root', async () => {
    const r = await rawRequest(server.port, '/data/link-in.ply');
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, payload);
  });

  test('rejects foreign Host headers (DNS rebinding) and methods other than GET/HEAD', async () => {
    assert.equal((await rawRequest(server.port, '/api/scenes', { Host: 'evil.example:80' })).status, 403);
    assert.equal(
      (await rawRequest(server.port, '/api/scenes', { Host: `localhost:${server.port}` })).status,
      200,
    );
    const post = await rawRequest(server.port, '/data/a.ply', {}, 'POST');
    assert.equal(post.status, 405);
    assert.equal(post.headers.allow, 'GET, HEAD');
  });

  test('serves the viewer with a CSP, hashed assets as immutable', async () => {
    const page = await rawRequest(server.port, '/');
    assert.equal(page.status, 200);
    assert.equal(page.headers['content-type'], 'text/html; charset=utf-8');
    assert.match(String(page.headers['content-security-policy']), /default-src 'self'/);
    assert.equal(page.headers['cache-control'], 'no-cache');
    const js = await rawRequest(server.port, '/assets/app-1234.js');
    assert.equal(js.headers['content-type'], 'text/javascript; charset=utf-8');
    assert.match(String(js.headers['cache-control']), /immutable/);
    assert.equal((await rawRequest(server.port, '/api/nope')).status, 404);
  });

  test('every response makes the page cross-origin isolated (COOP same-origin, COEP require-corp)', async () => {
    for (const path of ['/', '/assets/app-1234.js', '/api/scenes', '/data/a.ply', '/nope']) {
      const r = await rawRequest(server.port, path);
      assert.equal(r.headers['cross-origin-opener-policy'], 'same-origin', path);
      assert.equal(r.headers['cross-origin-embedder-policy'], 'require-corp', path);
      assert.equal(r.headers['cross-origin-resource-policy'], 'same-origin', path);
    }
  });

  test('lists valid label sets and reports invalid ones', async () => {
    const r = JSON.parse((await rawRequest(server.port, '/api/label-sets')).body.toString());
    assert.deepEqual(
      r.labelSets.map((s: { name: string }) => s.name),
      ['toy'],
    );
    assert.ok(logs.some((l) => l.includes('broken.json') && l.includes('classes[0].id')));
  });
});

describe('view server on scans and single files', () => {
  test('a folder of scans lists .ply/.pcd files recursively, skipping dot folders', async () => {
    const s = await startViewServer({ root: join(tmp, 'scans'), port: 0, viewerDir: viewer });
    try {
      const body = JSON.parse((await rawRequest(s.port, '/api/scenes')).body.toString());
      assert.equal(body.kind, 'scans');
      assert.deepEqual(
        body.scenes.map((x: { name: string; url: string }) => [x.name, x.url]),
        [
          ['deep/y', '/data/deep/y.PCD'],
          ['x', '/data/x.ply'],
        ],
      );
      assert.equal((await rawRequest(s.port, '/data/deep/y.PCD')).body.toString(), 'pcd');
    } finally {
      await s.close();
    }
  });

  test('a folder of scans leaves out links outside the root and dangling links, and says why', async () => {
    const dir = join(tmp, 'scans-with-links');
    mkdirSync(join(dir, 'sub'), { recursive: true });
    writeFileSync(join(dir, 'good.ply'), 'ply');
    symlinkSync(join(tmp, 'outside', 'secret.txt'), join(dir, 'escape.ply'));
    symlinkSync(join(tmp, 'outside'), join(dir, 'escape-dir'));
    symlinkSync(join(dir, 'gone.ply'), join(dir, 'dangling.ply'));
    symlinkSync(join(dir, 'good.ply'), join(dir, 'sub', 'inside.ply'));
    const s = await startViewServer({ root: dir, port: 0, viewerDir: viewer });
    try {
      const body = JSON.parse((await rawRequest(s.port, '/api/scenes')).body.toString());
      assert.deepEqual(
        body.scenes.map((x: { name: string }) => x.name),
        ['good', 'sub/inside'],
      );
      assert.deepEqual(body.skipped, [
        { file: 'dangling.ply', reason: 'link to a missing file' },
        { file: 'escape.ply', reason: 'link points outside the served folder' },
      ]);
      // every listed scene is served; every skipped one is refused
      for (const x of body.scenes as { url: string }[])
        assert.equal((await rawRequest(s.port, x.url)).status, 200);
      assert.equal((await rawRequest(s.port, '/data/escape.ply')).status, 403);
      assert.equal((await rawRequest(s.port, '/data/dangling.ply')).status, 404);
    } finally {
      await s.close();
    }
  });

  test('an unreadable scan is left out with the reason (listed by a server without root rights)', () => {
    // root reads every file, so the server runs in a child process as nobody when this one is root
    const dir = mkdtempSync(join(tmpdir(), 'pc-serve-unreadable-'));
    try {
      chmodSync(dir, 0o755);
      writeFileSync(join(dir, 'good.ply'), 'ply');
      writeFileSync(join(dir, 'locked.ply'), 'ply');
      chmodSync(join(dir, 'locked.ply'), 0o000);
      const body = JSON.parse(listScenesAsUnprivileged(dir));
      assert.deepEqual(
        body.scenes.map((x: { name: string }) => x.name),
        ['good'],
      );
      assert.deepEqual(body.skipped, [{ file: 'locked.ply', reason: 'not readable' }]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a predictions index entry whose file links outside the root is left out', async () => {
    const dir = join(tmp, 'pred-with-link');
    mkdirSync(dir);
    writeFileSync(join(dir, 'a.ply'), payload);
    symlinkSync(join(tmp, 'outside', 'secret.txt'), join(dir, 'out.ply'));
    writeFileSync(
      join(dir, 'index.json'),
      JSON.stringify({
        ...index,
        scenes: [
          { name: 'out', file: 'out.ply' },
          { name: 'scene_a', file: 'a.ply' },
        ],
      }),
    );
    const s = await startViewServer({ root: dir, port: 0, viewerDir: viewer });
    try {
      const body = JSON.parse((await rawRequest(s.port, '/api/scenes')).body.toString());
      assert.deepEqual(
        body.scenes.map((x: { name: string }) => x.name),
        ['scene_a'],
      );
      assert.deepEqual(body.skipped, [{ file: 'out.ply', reason: 'link points outside the served folder' }]);
    } finally {
      await s.close();
    }
  });

  test('one scan file: only that file is served', async () => {
    const s = await startViewServer({ root: join(tmp, 'scans', 'x.ply'), port: 0, viewerDir: viewer });
    try {
      const body = JSON.parse((await rawRequest(s.port, '/api/scenes')).body.toString());
      assert.deepEqual(body.scenes, [{ name: 'x', url: '/data/x.ply', bytes: 3 }]);
      assert.equal((await rawRequest(s.port, '/data/x.ply')).status, 200);
      assert.equal((await rawRequest(s.port, '/data/notes.txt')).status, 404);
    } finally {
      await s.close();
    }
  });

  test('without a built viewer the page says how to build it', async () => {
    const s = await startViewServer({ root: run, port: 0, viewerDir: join(tmp, 'nope') });
    try {
      const r = await rawRequest(s.port, '/');
      assert.equal(r.status, 503);
      assert.match(r.body.toString(), /npm run build/);
    } finally {
      await s.close();
    }
  });
});

describe('view server start-up errors', () => {
  test('a taken port: clear error, or the next free port when asked', async () => {
    const a = await startViewServer({ root: run, port: 0, viewerDir: viewer });
    try {
      await assert.rejects(startViewServer({ root: run, port: a.port, viewerDir: viewer }), {
        message: new RegExp(`port ${a.port} is already in use on 127\\.0\\.0\\.1; pass --port`),
      });
      const b = await startViewServer({ root: run, port: a.port, nextFreePort: true, viewerDir: viewer });
      assert.ok(b.port > a.port && b.port < a.port + 20, `got ${b.port}`);
      await b.close();
    } finally {
      await a.close();
    }
  });

  test('a bad index.json fails at start naming the file and key', async () => {
    const bad = join(tmp, 'bad-pred');
    mkdirSync(bad);
    writeFileSync(
      join(bad, 'index.json'),
      JSON.stringify({ ...index, scenes: [{ name: 'x', file: '../x.ply' }] }),
    );
    await assert.rejects(startViewServer({ root: bad, port: 0, viewerDir: viewer }), {
      message:
        /bad-pred\/index\.json: scenes\[0\]\.file: expected a relative path inside the predictions folder/,
    });
    writeFileSync(join(bad, 'index.json'), '{"format": ');
    await assert.rejects(startViewServer({ root: bad, port: 0, viewerDir: viewer }), {
      message: /index\.json: not valid JSON/,
    });
  });

  test('a missing root or a non-scan file is refused', async () => {
    await assert.rejects(startViewServer({ root: join(tmp, 'missing'), port: 0 }), {
      message: /missing: no such file or folder/,
    });
    await assert.rejects(startViewServer({ root: join(tmp, 'scans', 'notes.txt'), port: 0 }), {
      message: /notes\.txt: expected a run folder/,
    });
  });
});

after(() => rmSync(tmp, { recursive: true, force: true }));
