/**
 * README.md's workflows run as written. Every `npx pointcontrast …` line of its code blocks runs
 * in document order in one temporary folder (configs/ linked in, so the README's relative paths
 * hold), on the shared ScanNet scans and tiny synthetic inputs. Only what SUBSTITUTIONS and
 * APPENDED list changes (where the user's data lives, step counts, sizes); the lines that cannot
 * run here are in NOT_RUN with the reason. Each command must exit 0 and leave what it promises:
 * the official-list splits, the pairs, checkpoints of the config's (or the init's) backbone, an
 * evaluation and predictions of every val scene, a viewer serving them, an exported model.
 *
 * The commands run through the CLI's `run` (what bin/pointcontrast.js calls) in this process,
 * which spares two dozen start-ups; `view` serves until stopped, so it runs in its own process.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { WebModelManifest } from '../../src/models/web-model-manifest.js';
import { spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { run } from '../../src/cli/main.js';
import { openPreparedDataset } from '../../src/data/prepared/dataset.js';
import { readPointCloud } from '../../src/data/io/read-cloud.js';
import { synthSceneName } from '../../src/data/synth/scene.js';
import { resolvePretrainConfig } from '../../src/tasks/pretrain/schema.js';
import { makeS3disFixture, S3DIS_ROOMS } from '../data/datasets/s3dis-fixture.js';
import { requireShared } from '../helpers/requires.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const SCANNET = fileURLToPath(new URL('../../../shared/data/scannet', import.meta.url));
const skip = requireShared(join(SCANNET, 'scans'));

/** The test's inputs standing in for the user's data (built in `inputs`). */
interface Inputs {
  tmp: string;
  s3dis: string;
}

/** README text → what the test runs instead, and why. Applied in order to every command line. */
const SUBSTITUTIONS = (i: Inputs): { from: string; to: string; why: string }[] => [
  {
    from: '/data/scannet/scannetv2_train.txt',
    to: join(i.tmp, 'scannetv2_train.txt'),
    why: 'the official train list, here the one shared scan it names: scene0000_00',
  },
  {
    from: '/data/scannet/scannetv2_val.txt',
    to: join(i.tmp, 'scannetv2_val.txt'),
    why: 'the official val list, here: scene0000_01',
  },
  { from: '/data/scannet', to: SCANNET, why: 'the two shared ScanNet scans (../shared/data/scannet)' },
  {
    from: '/data/Stanford3dDataset_v1.2_Aligned_Version',
    to: i.s3dis,
    why: 'a tiny S3DIS tree: rooms of Areas 1 and 2 (train) and 5 (val), test/data/datasets/s3dis-fixture.ts',
  },
  {
    from: '/data/my-scans',
    to: join(i.tmp, 'my-scans'),
    why: 'train/room_a.ply, train/room_b.ply, val/room_c.ply: synthetic rooms (`data synth`, 30 points/m²)',
  },
  {
    from: '/data/my-classes.txt',
    to: join(i.tmp, 'my-classes.txt'),
    why: 'the class names of datasets/synthetic.json, one per line',
  },
  { from: '/data/new-scan.ply', to: join(i.tmp, 'new-scan.ply'), why: 'a fourth synthetic room' },
  { from: '--scenes 120', to: '--scenes 2', why: 'two labelled synthetic rooms, not 120' },
  { from: 'runs/<run>', to: 'runs/seg', why: "the viewer section's placeholder: the run above" },
  { from: 'path/to/scans', to: join(i.tmp, 'my-scans', 'val'), why: 'a folder of scans' },
];

/** Arguments added to a command (by its first words), and why. */
const APPENDED: { command: string; args: string[]; why: string }[] = [
  {
    command: 'pretrain',
    args: ['--max-steps', '1', '--set', 'data.loader.batchSize=1', '--set', 'data.loader.voxelSize=0.1'],
    why: 'one step of one pair at 10 cm: Res16UNet34C on 2 CPU cores',
  },
  {
    command: 'pretrain',
    args: ['--set', 'loss.npos=256', '--set', 'data.loader.workers=0'],
    why: '256 sampled matches; batches built in-process',
  },
  {
    command: 'finetune seg',
    args: ['--max-steps', '1', '--set', 'data.loader.batchSize=1', '--set', 'data.loader.voxelSize=0.1'],
    why: 'one step of one scene at 10 cm (validated at that step)',
  },
  { command: 'finetune seg', args: ['--set', 'data.loader.workers=0'], why: 'batches built in-process' },
  { command: 'view', args: ['--port', '0'], why: 'a free port; the test reads /api/scenes, then stops it' },
];

/** README lines the test does not run, and why. */
const NOT_RUN: { pattern: RegExp; why: string }[] = [
  {
    pattern: /--backend tensorflow/,
    why: 'needs @tensorflow/tfjs-node(-gpu), an optional dependency CI cannot download',
  },
  { pattern: /^npx pointcontrast bench /, why: 'benchmarks (minutes to hours); test/bench covers them' },
];

/** The `npx pointcontrast …` lines of the markdown's code blocks, in order (trailing `# …` comments dropped). */
export function readmeCommands(markdown: string): string[] {
  const out: string[] = [];
  let inBlock = false;
  for (const raw of markdown.split('\n')) {
    if (raw.trimStart().startsWith('```')) {
      inBlock = !inBlock;
      continue;
    }
    const line = raw.replace(/\s+#.*$/, '').trim();
    if (inBlock && line.startsWith('npx pointcontrast ')) out.push(line);
  }
  return out;
}

/** The argv the test runs for a README line: substituted, split into words, with APPENDED args. */
function argvOf(line: string, subs: ReturnType<typeof SUBSTITUTIONS>): string[] {
  let s = line;
  for (const { from, to } of subs) s = s.split(from).join(to);
  assert.ok(!/["'`\\$]/.test(s), `a README command with quoting or shell syntax: ${line}`);
  const args = s.split(/\s+/).slice(2);
  const words = args.filter((a) => !a.startsWith('-')).slice(0, 2);
  for (const a of APPENDED) if (words.join(' ').startsWith(a.command)) args.push(...a.args);
  return args;
}

/** The value of `--name` in an argv (the last one), or undefined. */
function opt(args: string[], name: string): string | undefined {
  const i = args.lastIndexOf(name);
  return i < 0 ? undefined : args[i + 1];
}

/** The values of every `--name` in an argv. */
function opts(args: string[], name: string): string[] {
  return args.flatMap((a, i) => (a === name ? [args[i + 1]] : []));
}

/** Runs one command in this process (working directory `cwd`); returns its exit code and output. */
async function runHere(
  args: string[],
  cwd: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = { stdout: '', stderr: '' };
  const write = {
    stdout: process.stdout.write.bind(process.stdout),
    stderr: process.stderr.write.bind(process.stderr),
  };
  const capture = (key: 'stdout' | 'stderr') =>
    ((chunk: string | Uint8Array) => {
      out[key] += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      return true;
    }) as typeof process.stdout.write;
  const back = process.cwd();
  process.chdir(cwd);
  process.stdout.write = capture('stdout');
  process.stderr.write = capture('stderr');
  try {
    const code = await run(['node', 'pointcontrast', '--backend', 'wasm', ...args]);
    return { code, ...out };
  } finally {
    process.stdout.write = write.stdout;
    process.stderr.write = write.stderr;
    process.chdir(back);
  }
}

/** Runs `view …` in its own process: its URL's /api/scenes, then SIGTERM, which must exit 0. */
async function runView(args: string[], cwd: string): Promise<{ kind: string; scenes: { name: string }[] }> {
  const child = spawn(
    process.execPath,
    ['--import', import.meta.resolve('tsx'), join(REPO, 'src/cli/main.ts'), '--backend', 'wasm', ...args],
    { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, POINTCONTRAST_QUIET: '1' } },
  );
  try {
    const url = await new Promise<string>((res, rej) => {
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /^(http:\/\/127\.0\.0\.1:\d+\/)$/m.exec(out);
        if (m) res(m[1]);
      });
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      child.on('exit', (code) => rej(new Error(`view ${args.join(' ')} exited with ${code}:\n${out}${err}`)));
    });
    const body = (await (await fetch(`${url}api/scenes`)).json()) as {
      kind: string;
      scenes: { name: string }[];
    };
    const exited = new Promise<number | null>((res) => child.on('exit', res));
    child.kill('SIGTERM');
    assert.equal(await exited, 0, `view ${args.join(' ')}: exit code after SIGTERM`);
    return body;
  } finally {
    child.kill('SIGKILL');
  }
}

const readJson = <T>(path: string) => JSON.parse(readFileSync(path, 'utf8')) as T;
interface Meta {
  step: number;
  architecture: { backbone: string };
  classes?: unknown[];
}

/** The splits each `data prepare` source must produce from the test's inputs (scene names). */
const EXPECTED_SPLITS: Record<string, Record<string, string[]>> = {
  scannet: { train: ['scene0000_00'], val: ['scene0000_01'] },
  s3dis: { train: ['Area_1_conferenceRoom_1', 'Area_2_hallway_1'], val: ['Area_5_office_19'] },
  'ply-folder': { train: ['room_a', 'room_b'], val: ['room_c'] },
};

/** Points each prepared source must hold: the shared README's vertex counts, the fixture's rows, the synthetic files'. */
function expectedPoints(type: string, i: Inputs): number {
  if (type === 'scannet') return 81369 + 80583;
  if (type === 's3dis')
    return Object.values(S3DIS_ROOMS).reduce(
      (s, room) => s + Object.values(room).reduce((t, rows) => t + rows.length, 0),
      0,
    );
  return ['train/room_a.ply', 'train/room_b.ply', 'val/room_c.ply'].reduce(
    (s, f) => s + readPointCloud(join(i.tmp, 'my-scans', f)).positions.length / 3,
    0,
  );
}

/** Points per room of the plain synthetic rooms prepared so far (by seed/scenes/classes). */
const plainSynth = new Map<string, number[]>();

/** Checks what a command left in `cwd` (by subcommand); returns a short description of it. */
async function checkOutcome(args: string[], stdout: string, cwd: string, i: Inputs): Promise<string> {
  const at = (p: string) => resolve(cwd, p);
  const [cmd, sub] = args;
  if (cmd === 'data' && sub === 'prepare' && args[2] === 'synth') {
    // the generated rooms, named by seed, with the label map asked for; the scan-like ones hold
    // fewer points than the same rooms prepared plain (what a walk-around capture sees, thinned)
    const ds = openPreparedDataset(at(opt(args, '--out')!));
    const seed = Number(opt(args, '--seed'));
    const names = Array.from({ length: Number(opt(args, '--scenes')) }, (_, k) => synthSceneName(seed + k));
    assert.deepEqual(ds.sceneNames(), names, 'data prepare synth: the rooms of --seed and --scenes');
    assert.equal(ds.manifest.labelMap.name, opt(args, '--classes'), 'data prepare synth: --classes');
    const points = ds.manifest.scenes.map((s) => s.points);
    const key = `${seed}/${names.length}/${opt(args, '--classes')}`;
    if (!args.includes('--scanner')) plainSynth.set(key, points);
    else {
      const plain = plainSynth.get(key);
      assert.ok(plain, 'data prepare synth --scanner: the README prepares the plain rooms first');
      for (const [k, n] of points.entries())
        assert.ok(n < plain[k], `${names[k]}: ${n} ≥ ${plain[k]} points`);
    }
    return `${names.length} rooms, ${points.join(' + ')} points`;
  }
  if (cmd === 'data' && sub === 'prepare') {
    const type = args[2];
    const ds = openPreparedDataset(at(opt(args, '--out') ?? `datasets/prepared/${type}`));
    for (const [split, names] of Object.entries(EXPECTED_SPLITS[type]))
      assert.deepEqual(ds.sceneNames(split), names, `data prepare ${type}: split ${split}`);
    assert.equal(ds.manifest.points.total, expectedPoints(type, i), `data prepare ${type}: points`);
    return `${type}: ${Object.entries(ds.manifest.splits)
      .map(([k, v]) => `${k} ${v.length}`)
      .join(', ')}`;
  }
  if (cmd === 'data' && sub === 'pairs') {
    const pairs = readJson<{ pairs: { scene: string; correspondences: number }[] }>(
      at(join(opt(args, '--out')!, 'pairs.json')),
    ).pairs;
    // the root is a prepared dataset or a folder of scans (a pair's scene is the file's name)
    const root = at(opt(args, '--root')!);
    const scenes = existsSync(join(root, 'manifest.json'))
      ? openPreparedDataset(root).sceneNames()
      : readdirSync(root)
          .filter((f) => /\.(ply|pcd|txt)$/i.test(f))
          .map((f) => f.replace(/\.[^.]+$/, ''));
    assert.ok(pairs.length > 0, 'data pairs: no pair');
    for (const p of pairs) {
      assert.ok(scenes.includes(p.scene), `pair of an unknown scene ${p.scene}`);
      assert.ok(p.correspondences > 0, `a pair of ${p.scene} without correspondences`);
    }
    return `${pairs.length} pairs`;
  }
  if (cmd === 'pretrain') {
    const out = at(opt(args, '--out')!);
    const meta = readJson<Meta>(join(out, 'last', 'model.json'));
    const cfg = resolvePretrainConfig(at(opt(args, '--config')!), opts(args, '--set'));
    assert.equal(meta.step, Number(opt(args, '--max-steps')));
    assert.equal(meta.architecture.backbone, cfg.model.backbone, "pretrain: the config's backbone");
    assert.deepEqual(
      (meta.architecture as { features?: string }).features,
      cfg.data.loader.features,
      "pretrain: the config's input",
    );
    return `${meta.architecture.backbone}, ${meta.step} step`;
  }
  if (cmd === 'finetune') {
    const out = at(opt(args, '--out')!);
    const meta = readJson<Meta>(join(out, 'last', 'model.json'));
    const ds = openPreparedDataset(at(opt(args, '--data')!));
    assert.equal(meta.step, Number(opt(args, '--max-steps')));
    const initArg = opt(args, '--init');
    if (initArg) {
      const init = readJson<Meta>(join(at(initArg), 'last', 'model.json'));
      assert.equal(meta.architecture.backbone, init.architecture.backbone, "finetune: the init's backbone");
    }
    assert.equal(meta.classes?.length, ds.manifest.classes.length, 'finetune: one output per class');
    const cfg = parseYaml(readFileSync(join(out, 'config.yaml'), 'utf8')) as { init: string | null };
    assert.equal(cfg.init, initArg ?? null);
    return `${meta.architecture.backbone} from ${cfg.init ?? 'scratch'}, ${meta.classes?.length} classes`;
  }
  if (cmd === 'evaluate') {
    const split = opt(args, '--split') ?? 'val';
    const n = openPreparedDataset(at(opt(args, '--data')!)).sceneNames(split).length;
    assert.match(stdout, new RegExp(`^${split}: ${n} scenes, every original point`, 'm'));
    assert.match(stdout, /^voxels: mIoU \d+\.\d/m);
    return `${split}: ${n} scenes`;
  }
  if (cmd === 'predict') {
    const index = readJson<{ scenes: { name: string; points: number }[] }>(
      at(join(opt(args, '--out')!, 'index.json')),
    );
    const data = opt(args, '--data');
    const expected = data
      ? (() => {
          const ds = openPreparedDataset(at(data));
          const names = ds.sceneNames(opt(args, '--split') ?? 'val');
          return names.map((n) => ds.manifest.scenes.find((s) => s.name === n)!.points);
        })()
      : opts(args, '--input').map((f) => readPointCloud(at(f)).positions.length / 3);
    assert.deepEqual(
      index.scenes.map((s) => s.points),
      expected,
      'predict: one scene per input, every point',
    );
    return `${index.scenes.length} scenes, ${expected.join(' + ')} points`;
  }
  if (cmd === 'export') {
    const out = at(opt(args, '--out')!);
    for (const f of ['manifest.json', 'model.json', 'weights.bin'])
      assert.ok(existsSync(join(out, f)), `export: ${f}`);
    if (!args.includes('--complement')) return 'manifest.json, model.json, weights.bin';
    // the rule's init beside the model, and its values in the manifest
    for (const f of ['manifest.json', 'model.json', 'weights.bin'])
      assert.ok(existsSync(join(out, 'complement', f)), `export --complement: complement/${f}`);
    const rule = (JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as WebModelManifest)
      .complement;
    assert.ok(
      rule && rule.absent.length === rule.thresholds.length && rule.absent.length > 0,
      'export --complement: its rule',
    );
    return `manifest.json with the rule (${rule.absent.length} absent classes), complement/`;
  }
  if (cmd === 'info') {
    assert.match(stdout, /^preflight\s+ok/m);
    return 'preflight ok';
  }
  throw new Error(`the docs test has no check for \`${args.slice(0, 2).join(' ')}\`: add one`);
}

/** Builds the stand-ins of the user's data in `tmp` (see SUBSTITUTIONS). */
async function inputs(tmp: string): Promise<Inputs> {
  // the README's relative paths resolve here: configs/ linked in, and node_modules/ so that worker
  // threads (started with this process's `--import tsx`) resolve tsx from the working directory
  symlinkSync(join(REPO, 'configs'), join(tmp, 'configs'));
  symlinkSync(join(REPO, 'node_modules'), join(tmp, 'node_modules'));
  writeFileSync(join(tmp, 'scannetv2_train.txt'), 'scene0000_00\n');
  writeFileSync(join(tmp, 'scannetv2_val.txt'), 'scene0000_01\n');
  const synth = join(tmp, 'synth');
  const r = await runHere(['data', 'synth', '--out', synth, '--scenes', '4', '--points-per-m2', '30'], tmp);
  assert.equal(r.code, 0, r.stderr);
  const files = readdirSync(synth)
    .filter((f) => f.endsWith('.ply'))
    .sort();
  assert.equal(files.length, 4);
  const dest = [
    'my-scans/train/room_a.ply',
    'my-scans/train/room_b.ply',
    'my-scans/val/room_c.ply',
    'new-scan.ply',
  ];
  for (const [k, f] of files.entries()) {
    mkdirSync(join(tmp, dest[k], '..'), { recursive: true });
    renameSync(join(synth, f), join(tmp, dest[k]));
  }
  const classes = readJson<{ classes: { name: string }[] }>(join(REPO, 'datasets', 'synthetic.json')).classes;
  writeFileSync(join(tmp, 'my-classes.txt'), `${classes.map((c) => c.name).join('\n')}\n`);
  return { tmp, s3dis: makeS3disFixture() };
}

describe("README.md's workflows, as written", { skip }, () => {
  test('every `npx pointcontrast` line of its code blocks runs in order and does what it says', async (t) => {
    const commands = readmeCommands(readFileSync(join(REPO, 'README.md'), 'utf8'));
    const tmp = mkdtempSync(join(tmpdir(), 'pc-readme-'));
    t.after(() => rmSync(tmp, { recursive: true, force: true }));
    const i = await inputs(tmp);
    t.after(() => rmSync(i.s3dis, { recursive: true, force: true }));
    const subs = SUBSTITUTIONS(i);
    const ran: string[] = [];
    for (const line of commands) {
      const skipped = NOT_RUN.find((n) => n.pattern.test(line));
      if (skipped) {
        t.diagnostic(`not run: ${line} (${skipped.why})`);
        continue;
      }
      const args = argvOf(line, subs);
      if (args[0] === 'view') {
        const target = resolve(tmp, args[1]);
        const body = await runView(args, tmp);
        const predictions = join(target, 'predictions', 'index.json');
        const expected = existsSync(predictions)
          ? readJson<{ scenes: { name: string }[] }>(predictions).scenes.map((s) => s.name)
          : readdirSync(target)
              .filter((f) => f.endsWith('.ply'))
              .map((f) => basename(f, '.ply'));
        assert.equal(body.kind, existsSync(predictions) ? 'predictions' : 'scans', line);
        assert.deepEqual(
          body.scenes.map((s) => s.name),
          expected,
          line,
        );
        t.diagnostic(`ok: ${line} → serves ${body.kind}: ${expected.join(', ')}`);
      } else {
        const r = await runHere(args, tmp);
        assert.equal(r.code, 0, `README command failed: ${line}\n(run as: ${args.join(' ')})\n${r.stderr}`);
        t.diagnostic(`ok: ${line} → ${await checkOutcome(args, r.stdout, tmp, i)}`);
      }
      ran.push(
        args
          .filter((a) => !a.startsWith('-'))
          .slice(0, 2)
          .join(' '),
      );
    }
    // the workflows were found and run (a README whose code blocks the parser missed fails here)
    for (const c of [
      'data prepare',
      'data pairs',
      'pretrain',
      'finetune seg',
      'evaluate seg',
      'predict',
      'view',
    ])
      assert.ok(
        ran.some((r) => r.startsWith(c)),
        `no README command '${c}' was run`,
      );
    assert.equal(
      ran.filter((r) => r === 'finetune seg').length,
      7,
      'ScanNet, S3DIS, own-PLY, real-scan pre-trained fine-tuning and the synthetic-supervised(-scanned) recipe',
    );
  });
});
