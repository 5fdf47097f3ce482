/**
 * The segmentation CLI end to end, on tiny synthetic data (seg-cli-fixture.ts): `data prepare
 * synth` + `data pairs --from synth` → `pretrain` (resume continues the same trajectory; 0 steps
 * writes the initialised network) → `finetune seg --points-per-scene K` (K labelled points per
 * scene, saved with the run) → `evaluate seg --json` (metrics consistent with the per-class
 * figures) → `predict` (one binary PLY per scene, every original point, `pred` + `confidence`,
 * agreeing with `evaluate`) → `demo` (a re-run with the same --out reuses the finished runs), and
 * bad input exits 1 with a `pointcontrast:` message naming the problem.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { parse as parseYaml } from 'yaml';
import { openPreparedDataset } from '../../../src/data/prepared/dataset.js';
import { readPointCloud } from '../../../src/data/io/read-cloud.js';
import { parsePlyHeader } from '../../../src/data/formats/index.js';
import { writeTinyDemoConfig, writeTinyPretrainConfig, writeTinySegConfig } from './fixture.js';
import type { SegMetrics } from '../../../src/eval/confusion.js';
import type { DemoResult } from '../../../src/bench/demo.js';
import { runCli as cli, CLI_MAIN as MAIN } from '../../helpers/cli.js';

/** Runs a command that must succeed; returns its stdout. */
function ok(...args: string[]): string {
  const r = cli(...args);
  assert.equal(r.status, 0, `${args.slice(0, 2).join(' ')} failed:\n${r.stderr}`);
  return r.stdout;
}

/** The JSON object on the last line of stdout. */
function lastJson<T>(stdout: string): T {
  return JSON.parse(stdout.trim().split('\n').pop()!) as T;
}

/** Runs a command that must fail (concurrently with others): exit 1, nothing on stdout, a `pointcontrast:` message. */
function fails(...args: string[]): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, '--backend', 'wasm', ...args], {
    env: { ...process.env, POINTCONTRAST_QUIET: '1' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      try {
        assert.equal(code, 1, `expected exit 1 from ${args.join(' ')}:\n${stdout}\n${stderr}`);
        assert.equal(stdout, '');
        assert.match(stderr, /^pointcontrast: /m);
        resolve(stderr);
      } catch (e) {
        reject(e as Error);
      }
    });
  });
}

const readJson = <T>(path: string) => JSON.parse(readFileSync(path, 'utf8')) as T;
const readJsonl = <T>(path: string) =>
  readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as T);

const close = (a: number, b: number, tol = 1e-6, what = '') =>
  assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b}`);

interface TrainSummary {
  run: string;
  steps: number;
  finalLoss: number | null;
  bestScore?: number;
  bestStep?: number;
}
interface MetricRecord {
  step: number;
  loss?: number;
  validation?: boolean;
  mIoU?: number;
  labelled?: number;
}
/** What `evaluate seg --json` prints: the point metrics plus the run's identity and voxel metrics. */
type SegEval = SegMetrics & {
  checkpoint: string;
  split: string;
  scenes: number;
  voxels: { mIoU: number };
  confusion: number[][];
  confused_as: Record<string, { as: string; share: number }[]>;
};
/** What `demo --json` prints. */
type DemoJson = DemoResult;

test('segmentation CLI: pretrain/resume → finetune seg → evaluate seg → predict → demo; errors', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'pc-seg-cli-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const data = join(dir, 'data');
  const pairs = join(dir, 'pairs');

  // 10 sparse scenes (8 train / 2 val), ~2,400 points each; pairs from 2 denser unlabelled scenes
  const prep = lastJson<{ scenes: number; splits: Record<string, number>; ignored: number }>(
    ok('data', 'prepare', 'synth', '--scenes', '10', '--points-per-m2', '30', '--out', data, '--json'),
  );
  assert.equal(prep.scenes, 10);
  assert.deepEqual(prep.splits, { train: 8, val: 2 });
  const pr = lastJson<{ pairs: number; correspondences: number }>(
    ok(
      'data',
      'pairs',
      '--from',
      'synth',
      '--scenes',
      '2',
      '--views-per-scene',
      '3',
      '--voxel',
      '0.1',
      '--points-per-m2',
      '300',
      '--out',
      pairs,
      '--json',
    ),
  );
  assert.ok(pr.pairs >= 1 && pr.correspondences > 0, JSON.stringify(pr));
  assert.ok(existsSync(join(pairs, 'pairs.json')));

  const preCfg = writeTinyPretrainConfig(dir, pairs);
  const segCfg = writeTinySegConfig(dir, data);
  const ds = openPreparedDataset(data);
  const classNames = ds.manifest.classes.map((c) => c.name);
  const valNames = ds.sceneNames('val');
  const A = join(dir, 'A');
  const A0 = join(dir, 'A0');
  const F = join(dir, 'F');

  await t.test('pretrain: 2 steps, --resume to 4 (same trajectory as 4 straight), 0 steps', () => {
    const s2 = lastJson<TrainSummary>(
      ok('pretrain', '--config', preCfg, '--out', A, '--max-steps', '2', '--json'),
    );
    assert.equal(s2.steps, 2);
    assert.equal(s2.run, A);
    assert.deepEqual(
      readJsonl<MetricRecord>(join(A, 'metrics.jsonl')).map((r) => r.step),
      [1, 2],
    );

    const s4 = lastJson<TrainSummary>(
      ok('pretrain', '--config', preCfg, '--resume', '--out', A, '--max-steps', '4', '--json'),
    );
    assert.equal(s4.steps, 4);
    const resumed = readJsonl<MetricRecord>(join(A, 'metrics.jsonl'));
    assert.deepEqual(
      resumed.map((r) => r.step),
      [1, 2, 3, 4],
    );
    assert.equal(resumed.at(-1)!.step, 4);
    assert.equal(readJson<{ step: number }>(join(A, 'last', 'model.json')).step, 4);
    assert.match(readFileSync(join(A, 'summary.md'), 'utf8'), /- steps: 4 in /);

    // resuming the finished run trains nothing, rewrites nothing, and reports its logged final loss
    const files = ['metrics.jsonl', 'summary.md', 'last/model.json'].map((f) =>
      readFileSync(join(A, f), 'utf8'),
    );
    const again = cli('pretrain', '--config', preCfg, '--resume', '--out', A, '--max-steps', '4');
    assert.equal(again.status, 0, again.stderr);
    assert.equal(
      again.stdout,
      `pretrain: already complete at 4 steps (nothing to resume), final loss ${resumed.at(-1)!.loss!.toFixed(4)} → ${A}/last\n`,
    );
    assert.deepEqual(
      ['metrics.jsonl', 'summary.md', 'last/model.json'].map((f) => readFileSync(join(A, f), 'utf8')),
      files,
    );

    // the resumed run continues where an uninterrupted 4-step run goes (loader position, optimiser state)
    const B = join(dir, 'B');
    ok('pretrain', '--config', preCfg, '--out', B, '--max-steps', '4', '--json');
    const straight = readJsonl<MetricRecord>(join(B, 'metrics.jsonl'));
    assert.equal(straight.length, 4);
    for (let i = 0; i < 4; i++) close(resumed[i].loss!, straight[i].loss!, 1e-4, `loss at step ${i + 1}`);

    // 0 steps: the initialised network (here a wider backbone, used below for a mismatch error)
    const out0 = ok(
      'pretrain',
      '--config',
      preCfg,
      '--out',
      A0,
      '--max-steps',
      '0',
      '--set',
      'model.backbone=Res16UNet14A-w2',
    );
    assert.match(out0, /pretrain: 0 steps, the initialised \(untrained\) network/);
    const meta0 = readJson<{ step: number; architecture: { task: string; backbone: string } }>(
      join(A0, 'last', 'model.json'),
    );
    assert.equal(meta0.step, 0);
    assert.deepEqual([meta0.architecture.task, meta0.architecture.backbone], ['pretrain', 'Res16UNet14A-w2']);
    assert.ok(existsSync(join(A0, 'last', 'weights.bin')) && existsSync(join(A0, 'summary.md')));
    assert.ok(!existsSync(join(A0, 'metrics.jsonl')), 'no training step logged');
  });

  let valMIoU = NaN;
  await t.test('finetune seg --init A --points-per-scene K: K labelled points per scene (or all)', () => {
    const trainNames = ds.sceneNames('train');
    const valid = new Map<string, number[]>();
    for (const name of trainNames) {
      const labels = ds.readScene(name).cloud.labels!;
      const idx: number[] = [];
      for (let i = 0; i < labels.length; i++) if (labels[i] >= 0) idx.push(i);
      valid.set(name, idx);
    }
    const counts = [...valid.values()].map((v) => v.length);
    // a K between the smallest and the largest scene: some scenes keep K points, some all of theirs
    const K = Math.floor((Math.min(...counts) + Math.max(...counts)) / 2);
    assert.ok(counts.some((c) => c < K) && counts.some((c) => c > K), `K ${K} vs ${counts}`);

    const s = lastJson<TrainSummary>(
      ok(
        'finetune',
        'seg',
        '--config',
        segCfg,
        '--init',
        A,
        '--points-per-scene',
        String(K),
        '--seed',
        '3',
        '--out',
        F,
        '--json',
      ),
    );
    assert.equal(s.run, F);
    assert.equal(s.steps, 3);
    assert.equal(s.bestStep, 3);
    for (const f of ['config.yaml', 'metrics.jsonl', 'summary.md', 'last/model.json', 'best/model.json'])
      assert.ok(existsSync(join(F, f)), f);
    const cfg = parseYaml(readFileSync(join(F, 'config.yaml'), 'utf8')) as {
      init: string;
      seed: number;
      data: { pointsPerScene: number; dir: string };
    };
    assert.deepEqual([cfg.init, cfg.seed, cfg.data.pointsPerScene, cfg.data.dir], [A, 3, K, data]);
    const meta = readJson<{ architecture: { task: string }; classes: { name: string }[] }>(
      join(F, 'last', 'model.json'),
    );
    assert.equal(meta.architecture.task, 'segmentation');
    assert.deepEqual(
      meta.classes.map((c) => c.name),
      classNames,
    );

    const lp = readJson<{ pointsPerScene: number; seed: number; scenes: Record<string, number[]> }>(
      join(F, 'labelled-points.json'),
    );
    assert.equal(lp.pointsPerScene, K);
    assert.equal(lp.seed, 3);
    assert.deepEqual(Object.keys(lp.scenes).sort(), [...trainNames].sort());
    for (const [name, idx] of Object.entries(lp.scenes)) {
      const all = valid.get(name)!;
      assert.equal(idx.length, Math.min(K, all.length), name);
      for (let i = 1; i < idx.length; i++) assert.ok(idx[i] > idx[i - 1], `${name}: sorted, distinct`);
      const allSet = new Set(all);
      assert.ok(
        idx.every((p) => allSet.has(p)),
        `${name}: only labelled points`,
      );
      if (all.length <= K) assert.deepEqual(idx, all, `${name}: fewer than K → all of them`);
    }

    const records = readJsonl<MetricRecord>(join(F, 'metrics.jsonl'));
    const steps = records.filter((r) => !r.validation);
    assert.deepEqual(
      steps.map((r) => r.step),
      [1, 2, 3],
    );
    // batches of 2 scenes: at most 2K labelled voxels (several labelled points may share one)
    for (const r of steps) assert.ok(r.labelled! > 0 && r.labelled! <= 2 * K, `labelled ${r.labelled}`);
    const val = records.filter((r) => r.validation);
    assert.equal(val.length, 1);
    assert.equal(val[0].step, 3);
    assert.equal(val[0].mIoU, s.bestScore);
    valMIoU = val[0].mIoU!;
  });

  let ev: SegEval | undefined;
  await t.test('evaluate seg --json: mIoU, mAcc, allAcc consistent with per_class', () => {
    const r = JSON.parse(
      ok('evaluate', 'seg', '--checkpoint', F, '--data', data, '--split', 'val', '--json'),
    ) as SegEval;
    ev = r;
    assert.equal(r.checkpoint, join(F, 'best'));
    assert.equal(r.split, 'val');
    assert.equal(r.scenes, 2);
    for (const k of ['mIoU', 'mAcc', 'allAcc'] as const)
      assert.ok(Number.isFinite(r[k]) && r[k] >= 0 && r[k] <= 100, `${k} ${r[k]}`);
    assert.deepEqual(Object.keys(r.per_class), classNames);

    let points = 0;
    for (const name of valNames) points += ds.readScene(name).cloud.labels!.filter((l) => l >= 0).length;
    const support = classNames.map((c) => r.support[c]);
    assert.equal(
      support.reduce((a, b) => a + b, 0),
      points,
    );
    let correct = 0;
    const ious: number[] = [];
    const accs: number[] = [];
    for (const c of classNames) {
      const iou = r.per_class[c];
      const acc = r.per_class_acc[c];
      assert.equal(acc === null, r.support[c] === 0, `${c}: recall defined iff the class occurs`);
      if (r.support[c] > 0) assert.notEqual(iou, null, `${c}: IoU defined for a class in the ground truth`);
      if (iou !== null) {
        assert.ok(iou >= 0 && iou <= 100, `${c} IoU ${iou}`);
        ious.push(iou);
      }
      if (acc !== null) {
        assert.ok(acc >= 0 && acc <= 100 && iou! <= acc + 1e-9, `${c}: IoU ${iou} ≤ recall ${acc}`);
        accs.push(acc);
        correct += (acc / 100) * r.support[c];
      }
    }
    close(r.allAcc, (100 * correct) / points, 1e-6, 'allAcc = Σ recall·support / Σ support');
    close(r.mAcc, accs.reduce((a, b) => a + b, 0) / accs.length, 1e-6, 'mAcc = mean recall');
    close(r.mIoU, ious.reduce((a, b) => a + b, 0) / ious.length, 1e-6, 'mIoU = mean defined IoU');
    // the confusion matrix: rows are the support, the diagonal the recall, the shares its rows
    assert.equal(r.confusion.length, classNames.length);
    classNames.forEach((c, g) => {
      const row = r.confusion[g];
      assert.equal(
        row.reduce((a, b) => a + b, 0),
        r.support[c],
        `${c}: confusion row sums to its support`,
      );
      if (r.support[c] === 0) return assert.equal(r.confused_as[c], undefined);
      close((100 * row[g]) / r.support[c], r.per_class_acc[c]!, 1e-9, `${c}: diagonal = recall`);
      for (const { as, share } of r.confused_as[c])
        close(share, (100 * row[classNames.indexOf(as)]) / r.support[c], 1e-9, `${c} as ${as}`);
    });
    // best/ reloaded from disk scores what the run's own validation measured (same scenes, voxels)
    close(r.voxels.mIoU, valMIoU, 1e-6, 'voxel mIoU vs the validation record');
  });

  await t.test('predict: one binary PLY per val scene, every point, pred + confidence', () => {
    const e = ev;
    assert.ok(e, 'evaluate seg ran');
    const P = join(dir, 'P');
    const out = ok('predict', '--checkpoint', F, '--data', data, '--split', 'val', '--out', P);
    assert.match(out, /wrote 2 scenes to /);
    const index = readJson<{
      format: string;
      classes: { name: string }[];
      scenes: { name: string; file: string; points: number }[];
    }>(join(P, 'index.json'));
    assert.equal(index.format, 'pointcontrast-predictions');
    assert.deepEqual(
      index.classes.map((c) => c.name),
      classNames,
    );
    assert.deepEqual(
      index.scenes.map((s) => s.name),
      valNames,
    );
    assert.deepEqual(readdirSync(P).sort(), ['index.json', ...index.scenes.map((s) => s.file)].sort());

    const k = classNames.length;
    const tp = new Array<number>(k).fill(0);
    const row = new Array<number>(k).fill(0);
    const col = new Array<number>(k).fill(0);
    for (const entry of index.scenes) {
      const file = join(P, entry.file);
      const original = ds.readScene(entry.name).cloud;
      const n = original.positions.length / 3;
      const header = parsePlyHeader(readFileSync(file), file);
      assert.equal(header.format, 'binary_little_endian');
      const vertex = header.elements.find((e) => e.name === 'vertex')!;
      assert.equal(vertex.count, n);
      const declared = Object.fromEntries(
        vertex.properties.map((p) => [p.name, p.kind === 'scalar' ? p.declared : 'list']),
      );
      assert.equal(declared.pred, 'short');
      assert.equal(declared.confidence, 'float');

      const cloud = readPointCloud(file);
      assert.equal(entry.points, n);
      assert.deepEqual(cloud.positions, original.positions);
      const pred = cloud.properties!.pred;
      const conf = cloud.properties!.confidence;
      const gt = cloud.properties!.gt;
      assert.equal(pred.length, n);
      assert.equal(conf.length, n);
      assert.deepEqual(Array.from(gt), Array.from(original.labels!));
      for (let i = 0; i < n; i++) {
        assert.ok(Number.isInteger(pred[i]) && pred[i] >= 0 && pred[i] < k, `pred ${pred[i]} at ${i}`);
        // the arg-max probability: at least 1/K, at most 1
        assert.ok(conf[i] >= 1 / k - 1e-6 && conf[i] <= 1 + 1e-6, `confidence ${conf[i]} at ${i}`);
        if (gt[i] < 0) continue;
        row[gt[i]]++;
        col[pred[i]]++;
        if (gt[i] === pred[i]) tp[gt[i]]++;
      }
    }
    // the written predictions reproduce evaluate's point metrics
    const total = row.reduce((a, b) => a + b, 0);
    close(e.allAcc, (100 * tp.reduce((a, b) => a + b, 0)) / total, 1e-9, 'allAcc from the PLY files');
    classNames.forEach((c, i) => {
      const union = row[i] + col[i] - tp[i];
      const iou = e.per_class[c];
      if (union === 0) assert.equal(iou, null, c);
      else close(iou!, (100 * tp[i]) / union, 1e-9, `${c} IoU from the PLY files`);
    });
  });

  await t.test('demo --json; the same --out again reuses the finished runs', () => {
    const demoCfg = writeTinyDemoConfig(dir, preCfg, segCfg);
    const D = join(dir, 'D');
    const first = cli('demo', '--config', demoCfg, '--out', D, '--json');
    assert.equal(first.status, 0, first.stderr);
    const r1 = lastJson<DemoJson>(first.stdout);
    // the first run trains all three stages
    assert.equal(first.stderr.match(/✓ \d+ steps, final loss/g)?.length, 3, first.stderr);
    for (const m of [r1.scratch, r1.pretrained])
      for (const v of [m.mIoU, m.mAcc, m.allAcc]) assert.ok(Number.isFinite(v) && v >= 0 && v <= 100, `${v}`);
    close(r1.delta_mIoU, r1.pretrained.mIoU - r1.scratch.mIoU, 1e-9, 'delta_mIoU');
    assert.deepEqual([r1.valScenes, r1.trainScenes, r1.pointsPerScene], [1, 2, 50]);
    assert.deepEqual(r1.runs, {
      pretrain: join(D, 'pretrain'),
      scratch: join(D, 'scratch'),
      pretrained: join(D, 'pretrained'),
    });
    const initOf = (run: string) =>
      (parseYaml(readFileSync(join(run, 'config.yaml'), 'utf8')) as { init: string | null }).init;
    assert.equal(initOf(r1.runs.scratch), null);
    assert.equal(initOf(r1.runs.pretrained), join(D, 'pretrain', 'last'));
    // same seed: both fine-tunings see the same 2 scenes × 50 labelled points
    const lp = readFileSync(join(r1.runs.scratch, 'labelled-points.json'), 'utf8');
    assert.equal(readFileSync(join(r1.runs.pretrained, 'labelled-points.json'), 'utf8'), lp);
    const chosen = (JSON.parse(lp) as { scenes: Record<string, number[]> }).scenes;
    assert.deepEqual(
      Object.values(chosen).map((v) => v.length),
      [50, 50],
    );
    assert.equal(readJson<{ scenes: unknown[] }>(join(r1.predictions, 'index.json')).scenes.length, 1);

    const runFiles = Object.values(r1.runs).flatMap((run) => [
      join(run, 'metrics.jsonl'),
      join(run, 'last', 'model.json'),
      join(run, 'summary.md'),
    ]);
    const before = runFiles.map((f) => readFileSync(f, 'utf8'));

    const again = cli('demo', '--config', demoCfg, '--out', D, '--json');
    assert.equal(again.status, 0, again.stderr);
    const r2 = lastJson<DemoJson>(again.stdout);
    assert.deepEqual(r2.scratch, r1.scratch);
    assert.deepEqual(r2.pretrained, r1.pretrained);
    assert.deepEqual(
      runFiles.map((f) => readFileSync(f, 'utf8')),
      before,
      'finished runs are not trained again',
    );
    // each training stage is reused: no training step runs (no step summary), the run is named
    for (const stage of ['pretrain', 'scratch', 'pretrained'])
      assert.ok(
        again.stderr.includes(`✓ finished run reused (${join(D, stage)})`),
        `${stage} not reused:\n${again.stderr}`,
      );
    assert.doesNotMatch(again.stderr, /steps, final loss/);
  });

  await t.test("--init of another backbone: the run takes the checkpoint's (console, config.yaml)", () => {
    const G = join(dir, 'G');
    const r = cli('finetune', 'seg', '--config', segCfg, '--init', A0, '--out', G, '--max-steps', '0');
    assert.equal(r.status, 0, r.stderr);
    const note = `model.backbone Res16UNet14A-w2 taken from the init checkpoint ${join(A0, 'last')} (the config's default was Res16UNet14A-w4)`;
    assert.ok(r.stderr.includes(note), r.stderr);
    const yaml = readFileSync(join(G, 'config.yaml'), 'utf8');
    assert.ok(yaml.startsWith(`# ${note}\n`), yaml.slice(0, 300));
    assert.equal((parseYaml(yaml) as { model: { backbone: string } }).model.backbone, 'Res16UNet14A-w2');
    const meta = readJson<{ architecture: { backbone: string } }>(join(G, 'last', 'model.json'));
    assert.equal(meta.architecture.backbone, 'Res16UNet14A-w2');
  });

  await t.test('bad input exits 1 with a message naming the problem', async () => {
    const bad = join(dir, 'F-bad');
    const typo = join(dir, 'F-typo');
    const [missing, notSeg, backbone, unknownKey] = await Promise.all([
      fails('evaluate', 'seg', '--checkpoint', join(dir, 'missing'), '--data', data),
      fails('evaluate', 'seg', '--checkpoint', A, '--data', data),
      fails(
        'finetune',
        'seg',
        '--config',
        segCfg,
        '--init',
        A0,
        '--set',
        'model.backbone=Res16UNet14A-w4',
        '--out',
        bad,
      ),
      fails('finetune', 'seg', '--config', segCfg, '--set', 'train.maxStep=3', '--out', typo),
    ]);
    assert.match(missing, /^pointcontrast: .*missing: not a checkpoint folder/m);
    assert.match(notSeg, /^pointcontrast: .*A\/last: a pretrain checkpoint, not a segmentation one/m);
    assert.match(
      backbone,
      /^pointcontrast: .*A0\/last: the checkpoint's backbone \(Res16UNet14A-w2\) does not match model\.backbone Res16UNet14A-w4 \(set by --set model\.backbone=Res16UNet14A-w4\)/m,
    );
    assert.ok(!existsSync(bad), 'a backbone that does not fit creates no run folder');
    assert.match(unknownKey, /^pointcontrast: .*seg\.yaml: train\.maxStep: unknown key/m);
    assert.ok(!existsSync(typo), 'an invalid config creates no run folder');
  });
});
