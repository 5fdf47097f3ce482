/**
 * `bench real-transfer` without its numbers: argument errors name what is wrong, an eval scan is
 * refused as pre-training data, the rows' statistics are the hand-computed ones, and finished
 * cells are reused (no fine-tuning runs again).
 */
import { test, describe, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { requireShared } from '../helpers/requires.js';
import { join } from 'node:path';
import {
  cellKey,
  cellRunName,
  parseBudgets,
  parseComplementInit,
  parseInits,
  parseSeeds,
  parseTasks,
  planCells,
  REAL_INITS,
  resolvePretrainData,
  resolveScenes,
  type BuiltinInit,
} from '../../src/bench/real-transfer-plan.js';
import {
  builtinStages,
  checkInitLayouts,
  type LayoutOptions,
} from '../../src/bench/real-transfer-layouts.js';
import {
  averageScenes,
  heldOutIoU,
  realTable,
  summariseReal,
  type RealCell,
} from '../../src/bench/real-transfer-summary.js';
import { runRealTransfer, type RealTransferOptions } from '../../src/bench/real-transfer.js';
import { initBackend } from '../../src/backend/select.js';
import { transferArms } from '../../src/bench/transfer-methods.js';
import { loadModel, type LoadedModel } from '../../src/train/load-model.js';
import { pointProbabilities, STANDARD_TTA } from '../../src/tasks/segment/infer.js';
import { complementFromCheckpoint, complementSplit } from '../../src/tasks/segment/complement-setup.js';
import { preparedInputs, writePredictions } from '../../src/tasks/segment/predict.js';
import type { PointCloud } from '../../src/geometry/point-cloud.js';
import { openPreparedDataset } from '../../src/data/prepared/dataset.js';

const SHARED = new URL('../../../shared/data/', import.meta.url).pathname;
const skip = requireShared(join(SHARED, 'scannet/scans/scene0000_01'));
const tmp = mkdtempSync(join(tmpdir(), 'pc-real-transfer-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

describe('bench real-transfer: arguments', () => {
  test('budgets, seeds, tasks: each bad entry is named', () => {
    assert.deepEqual(parseBudgets('20,200,all,20'), [20, 200, 'all']);
    assert.throws(() => parseBudgets('20,most'), /--budgets: 'most' is neither/);
    assert.throws(() => parseBudgets('0'), /--budgets: '0'/);
    assert.throws(() => parseBudgets(','), /--budgets: expected a comma-separated list/);
    assert.deepEqual(parseSeeds('2,0,1'), [2, 0, 1]);
    assert.throws(() => parseSeeds('0,-1'), /--seeds: '-1' is not a non-negative integer/);
    assert.deepEqual(parseTasks('seg,det'), ['seg', 'det']);
    assert.throws(() => parseTasks('seg,cls'), /--tasks: unknown task 'cls' \(expected seg, det\)/);
  });

  test('inits: built-ins, a config, a checkpoint folder; scratch always first-class; unknown names listed', () => {
    const ck = join(tmp, 'ck');
    mkdirSync(join(ck, 'last'), { recursive: true });
    writeFileSync(join(ck, 'last', 'model.json'), '{}');
    const specs = parseInits(`real,mine=${ck},synthetic-supervised`);
    assert.deepEqual(
      specs.map((s) => `${s.name}:${s.kind}`),
      ['scratch:builtin', 'real:builtin', 'mine:checkpoint', 'synthetic-supervised:builtin'],
    );
    assert.throws(
      () => parseInits('scratch,realistic'),
      /--inits: 'realistic' is not a built-in init \(scratch, synthetic, real, synthetic\+real, real\+radreg, synthetic-supervised, synthetic-supervised-scanned, synthetic-supervised-variety, synthetic-supervised-scanned-height, synthetic-supervised\+real\)/,
    );
    assert.throws(() => parseInits('nope.yaml'), /pre-training config 'nope.yaml' does not exist/);
    assert.throws(() => parseInits(`real,real=${ck}`), /two entries are named 'real'/);
  });

  test('complement init: a built-in segmentation network or a checkpoint folder; anything else is named', () => {
    const ck = join(tmp, 'ck-answer');
    mkdirSync(join(ck, 'last'), { recursive: true });
    writeFileSync(join(ck, 'last', 'model.json'), '{}');
    assert.deepEqual(parseComplementInit('synthetic-supervised-scanned-height'), {
      name: 'synthetic-supervised-scanned-height',
      kind: 'builtin',
      builtin: 'synthetic-supervised-scanned-height',
    });
    assert.deepEqual(parseComplementInit(`net=${ck}`), { name: 'net', kind: 'checkpoint', dir: ck });
    for (const bad of ['real', 'scratch', 'synthetic-supervised+real'])
      assert.throws(
        () => parseComplementInit(bad),
        new RegExp(
          `^Error: --complement-init: '${bad.replace('+', '\\+')}' is not a segmentation network; expected synthetic-supervised, synthetic-supervised-scanned, synthetic-supervised-variety, synthetic-supervised-scanned-height or a segmentation checkpoint folder`,
        ),
      );
    const recipe = join(tmp, 'recipe.yaml');
    writeFileSync(recipe, 'name: x\n');
    assert.throws(
      () => parseComplementInit(recipe),
      /--complement-init: '.*recipe.yaml' is not a segmentation network/,
    );
    assert.throws(
      () => parseComplementInit('nowhere'),
      /^Error: --complement-init: 'nowhere' is not a built-in init/,
    );
  });

  test('cells: detection at the all budget with plain fine-tuning; which inits each method runs from', () => {
    const cells = planCells({
      tasks: ['seg', 'det'],
      budgets: [20, 'all'],
      seeds: [0],
      inits: [{ name: 'scratch' }, { name: 'real' }],
      methods: ['baseline', 'lora', 'synthetic-mix', 'scratch-prototype'],
    });
    assert.deepEqual(
      cells.map((c) => `${c.task} ${c.budget} ${c.init} ${c.method}`),
      [
        'seg 20 scratch baseline',
        'seg 20 scratch synthetic-mix',
        'seg 20 scratch scratch-prototype',
        'seg 20 real baseline',
        'seg 20 real lora',
        'seg 20 real synthetic-mix',
        'seg all scratch baseline',
        'seg all scratch synthetic-mix',
        'seg all scratch scratch-prototype',
        'seg all real baseline',
        'seg all real lora',
        'seg all real synthetic-mix',
        'det all scratch baseline',
        'det all real baseline',
      ],
    );
  });

  test('cells: the complement rule scores plain fine-tuning at the all budget, from pre-trained inits only', () => {
    const cells = planCells({
      tasks: ['seg', 'det'],
      budgets: [20, 'all'],
      seeds: [0],
      inits: [{ name: 'scratch' }, { name: 'synthetic-supervised-scanned' }],
      methods: ['baseline', 'complement'],
    });
    assert.deepEqual(
      cells.map((c) => `${c.task} ${c.budget} ${c.init} ${c.method}`),
      [
        'seg 20 scratch baseline',
        'seg 20 synthetic-supervised-scanned baseline',
        'seg all scratch baseline',
        'seg all synthetic-supervised-scanned baseline',
        'seg all synthetic-supervised-scanned complement',
        'det all scratch baseline',
        'det all synthetic-supervised-scanned baseline',
      ],
    );
    // with another network answering (--complement-init), scratch's cell gets the rule too
    const answered = planCells({
      tasks: ['seg'],
      budgets: ['all'],
      seeds: [0],
      inits: [{ name: 'scratch' }, { name: 'real' }],
      methods: ['baseline', 'complement'],
      complementInit: { name: 'net', kind: 'checkpoint', dir: 'net' },
    });
    assert.deepEqual(
      answered.map((c) => `${c.init} ${c.method}`),
      ['scratch baseline', 'scratch complement', 'real baseline', 'real complement'],
    );
    assert.throws(
      () => transferArms(['baseline', 'complement'], ['infonce']),
      /--methods complement: scores a fine-tuned network with its synthetic-supervised init; only bench real-transfer runs it/,
    );
  });

  test('scenes: a bad root or an unknown scene is named with what is there', { skip }, () => {
    const root = join(SHARED, 'scannet');
    assert.deepEqual(
      resolveScenes(root, ['scene0000_01'], '--eval').map((s) => s.name),
      ['scene0000_01'],
    );
    assert.throws(
      () => resolveScenes(join(tmp, 'absent'), ['x'], '--train'),
      /--train-root: '.*absent' is not a folder/,
    );
    assert.throws(
      () => resolveScenes(root, ['scene0999_00'], '--train'),
      /--train-scenes: no scene 'scene0999_00' under .* \(it has scene0000_00, scene0000_01\)/,
    );
  });

  test('pre-training data: train scenes, scans and RGB-D resolve; an eval scan is refused', { skip }, () => {
    const root = join(SHARED, 'scannet');
    const train = resolveScenes(root, ['scene0000_00'], '--train');
    const evals = resolveScenes(root, ['scene0000_01'], '--eval');
    const src = resolvePretrainData(
      ['train', join(SHARED, 'unlabelled'), join(SHARED, '7scenes-redkitchen-rgbd')],
      train,
      evals,
    );
    assert.deepEqual(
      src.map((s) => [s.kind, s.paths.map((p) => p.split('/').pop())]),
      [
        ['scans', ['scene0000_00_vh_clean_2.ply']],
        ['scans', ['scene0706_00.ply']],
        ['rgbd', ['7scenes-redkitchen-rgbd']],
      ],
    );
    assert.throws(
      () => resolvePretrainData([root], train, evals),
      /--pretrain-data: '.*scannet' contains eval scene scene0000_01 \(.*scene0000_01_vh_clean_2\.ply\); an eval scan never enters pre-training/,
    );
    assert.throws(
      () =>
        resolvePretrainData(
          [join(root, 'scans', 'scene0000_01', 'scene0000_01_vh_clean_2.ply')],
          train,
          evals,
        ),
      /contains eval scene scene0000_01/,
    );
    assert.throws(
      () => resolvePretrainData([join(tmp, 'nothing')], train, evals),
      /--pretrain-data: '.*nothing' does not exist/,
    );
  });
});

const cell = (init: string, budget: 20 | 'all', seed: number, mIoU: number): RealCell => ({
  task: 'seg',
  init,
  method: 'baseline',
  budget,
  seed,
  scenes: [{ scene: 'a', mIoU, mAcc: mIoU + 10, allAcc: 50 }],
  mIoU,
  mAcc: mIoU + 10,
  allAcc: 50,
  seconds: 10 * (seed + 1),
});

describe('bench real-transfer: input layouts along each init', () => {
  const shipped = (p: string) => new URL(`../../configs/${p}`, import.meta.url).pathname;
  // the CLI's defaults
  const o: LayoutOptions = {
    tasks: ['seg', 'det'],
    segConfig: shipped('finetune/real-transfer.yaml'),
    detConfig: shipped('finetune/real-transfer-det.yaml'),
    realPretrainConfig: shipped('pretrain/real-scans.yaml'),
    syntheticPretrainConfig: shipped('pretrain/synthetic-transfer.yaml'),
    supervisedConfig: shipped('finetune/synthetic-supervised.yaml'),
    supervisedScannedConfig: shipped('finetune/synthetic-supervised-scanned.yaml'),
    supervisedDetConfig: shipped('finetune/synthetic-supervised-det.yaml'),
    supervisedHeightConfig: shipped('finetune/synthetic-supervised-height.yaml'),
    supervisedScannedHeightConfig: shipped('finetune/synthetic-supervised-scanned-height.yaml'),
  };
  const builtins = Object.keys(REAL_INITS) as BuiltinInit[];
  const height = 'synthetic-supervised-scanned-height';

  test('every shipped recipe chain starts the next: all built-ins but the height network run seg and det cells', () => {
    for (const b of builtins.filter((b) => b !== height))
      assert.doesNotThrow(() => checkInitLayouts(parseInits(b), o), b);
    // the chains are the recipes each built-in trains through, in order
    assert.deepEqual(
      builtinStages('synthetic-supervised+real', o).map((s) => s.config),
      [o.supervisedConfig, o.realPretrainConfig],
    );
    assert.deepEqual(builtinStages('scratch', o), []);
  });

  test('the height network: refused by colour-only cells and by the detector recipe, accepted by cells that read height', () => {
    const seg = { ...o, tasks: ['seg'] as const };
    assert.throws(
      () => checkInitLayouts(parseInits(height), seg),
      new RegExp(
        `^Error: --inits ${height}: its network reads 'ones-height' \\(${o.supervisedScannedHeightConfig}\\), but the seg cells' config ${o.segConfig} reads 'ones-rgb'; a training starts from a network only when`,
      ),
    );
    const heightSeg = { ...o, segConfig: shipped('finetune/real-transfer-height.yaml') };
    assert.doesNotThrow(() => checkInitLayouts(parseInits(height), { ...heightSeg, tasks: ['seg'] }));
    assert.throws(
      () => checkInitLayouts(parseInits(height), heightSeg),
      /its network reads 'ones-height' .*, but its detector recipe .*synthetic-supervised-det.yaml reads 'ones'; [^(]*\(models\/input-features.ts\)$/,
    );
    // --finetune-set reaches the seg cells' layout: colour-free cells are as wide as 'ones'
    assert.doesNotThrow(() =>
      checkInitLayouts(parseInits('synthetic-supervised-scanned'), {
        ...seg,
        finetuneSet: ['data.loader.features=ones', 'model.inChannels=3'],
      }),
    );
    assert.throws(
      () =>
        checkInitLayouts(parseInits('real'), {
          ...seg,
          finetuneSet: ['data.loader.features=ones-height', 'model.inChannels=2'],
        }),
      /--inits real: its network reads 'ones-rgb' .*real-scans.yaml\), but the seg cells' config .* reads 'ones-height'/,
    );
  });

  test('a chain inside a built-in is checked too: a second stage that cannot start from the first is named', () => {
    const dir = mkdtempSync(join(tmp, 'layouts-'));
    const narrow = join(dir, 'scanned-narrow.yaml');
    writeFileSync(
      narrow,
      `_base_: ${shipped('finetune/synthetic-supervised-scanned.yaml')}\nmodel:\n  inChannels: 6\ndata:\n  loader:\n    features: rgb-normals\n`,
    );
    assert.throws(
      () =>
        checkInitLayouts(parseInits('synthetic-supervised-scanned'), {
          ...o,
          tasks: ['seg'],
          supervisedScannedConfig: narrow,
        }),
      new RegExp(
        `its network reads 'ones' \\(${o.supervisedConfig}\\), but its next training ${narrow} reads 'rgb-normals'`,
      ),
    );
  });
});

describe('bench real-transfer: statistics', () => {
  test('per-scene averages, mean ± sample std, paired gains vs scratch and the 2σ flag', () => {
    assert.deepEqual(
      averageScenes([
        { scene: 'a', mIoU: 10, mAcc: 20, allAcc: 30 },
        { scene: 'b', mIoU: 20, mAcc: 40, allAcc: 60 },
      ]),
      { mIoU: 15, mAcc: 30, allAcc: 45 },
    );
    const cells = [
      cell('scratch', 20, 0, 10),
      cell('scratch', 20, 1, 12),
      cell('scratch', 20, 2, 14),
      cell('real', 20, 0, 13),
      cell('real', 20, 1, 16),
      cell('real', 20, 2, 17),
      cell('real', 'all', 0, 40), // no scratch at this budget: no gain
    ];
    const rows = summariseReal(cells);
    const r = rows.find((x) => x.init === 'real' && x.budget === 20)!;
    assert.equal(r.mIoU!.mean, 46 / 3);
    // values 13, 16, 17: deviations −2.33, 0.67, 1.67 → variance (5.444 + 0.444 + 2.778) / 2
    assert.ok(Math.abs(r.mIoU!.std - Math.sqrt(26 / 6)) < 1e-12);
    // paired differences 3, 4, 3: mean 10/3, std √(1/3)
    assert.deepEqual(
      r.gain!.perSeed.map((p) => p.gain),
      [3, 4, 3],
    );
    assert.ok(Math.abs(r.gain!.mean - 10 / 3) < 1e-12);
    assert.ok(Math.abs(r.gain!.std - Math.sqrt(1 / 3)) < 1e-12);
    assert.equal(r.gain!.significant, true);
    assert.equal(rows.find((x) => x.init === 'scratch')!.gain, null);
    assert.equal(rows.find((x) => x.budget === 'all')!.gain, null);
    assert.equal(r.seconds, 20);
    // one noisy seed: mean 1, differences 4, −2, 1 → std 3 → not significant
    const noisy = summariseReal([
      ...cells.slice(0, 3),
      cell('x', 20, 0, 14),
      cell('x', 20, 1, 10),
      cell('x', 20, 2, 15),
    ]);
    assert.equal(noisy.find((x) => x.init === 'x')!.gain!.significant, false);
    assert.match(
      realTable(rows),
      /\| seg \| 20 pts\/scene \| real \| baseline \| 3 \| 15\.3 ± 2\.1 \| \+3\.3 ± 0\.6 \(\+3\.0, \+4\.0, \+3\.0\) \| yes \|/,
    );
  });
});

describe('bench real-transfer: held-out classes', () => {
  test('held-out IoU by hand, averaged over scans, paired against scratch with the same classes held out', () => {
    // classes without an IoU (not in the scan, not predicted) are left out of the mean
    assert.equal(heldOutIoU({ wall: 80, bed: 10, sofa: null, desk: 30 }, ['bed', 'sofa', 'desk']), 20);
    assert.equal(heldOutIoU({ bed: null }, ['bed']), undefined);
    assert.deepEqual(
      averageScenes([
        { scene: 'a', mIoU: 10, heldOutIoU: 4 },
        { scene: 'b', mIoU: 20, heldOutIoU: 8 },
      ]),
      { mIoU: 15, heldOutIoU: 6 },
    );
    const ho = ['bed', 'sofa'];
    const held = (init: string, seed: number, mIoU: number, h: number): RealCell => ({
      ...cell(init, 'all', seed, mIoU),
      heldOut: ho,
      heldOutIoU: h,
    });
    const rows = summariseReal([
      cell('scratch', 'all', 0, 30), // the plain scratch cells are another group
      cell('scratch', 'all', 1, 32),
      held('scratch', 0, 28, 0),
      held('scratch', 1, 29, 1),
      held('sup', 0, 35, 12),
      held('sup', 1, 36, 17),
    ]);
    assert.equal(rows.length, 3);
    const sup = rows.find((r) => r.init === 'sup')!;
    assert.deepEqual(sup.heldOut, ho);
    // mIoU gains against the held-out scratch (28, 29), not the plain one (30, 32)
    assert.deepEqual(
      sup.gain!.perSeed.map((p) => p.gain),
      [7, 7],
    );
    assert.deepEqual(
      sup.heldOutGain!.perSeed.map((p) => p.gain),
      [12, 16],
    );
    assert.equal(sup.heldOutIoU!.mean, 14.5);
    assert.equal(rows.find((r) => r.init === 'scratch' && r.heldOut)!.heldOutGain, null);
    assert.equal(rows.find((r) => r.init === 'scratch' && !r.heldOut)!.heldOutIoU, undefined);
    const table = realTable(rows);
    assert.match(table, /held-out classes IoU \| its gain \(per seed\) \|/);
    assert.match(
      table,
      /\| sup \| baseline \| 2 \| 35\.5 ± 0\.7 \| \+7\.0 ± 0\.0 \(\+7\.0, \+7\.0\) \| yes \| 14\.5 ± 3\.5 \(bed, sofa\) \| \+14\.0 ± 2\.8 \(\+12\.0, \+16\.0\) \|/,
    );
  });

  test('cells: held-out classes name segmentation cells apart (key and folder), never detection cells', () => {
    const cells = planCells({
      tasks: ['seg', 'det'],
      budgets: ['all'],
      seeds: [0],
      inits: [{ name: 'scratch' }],
      methods: ['baseline'],
      holdoutClasses: ['bed', 'shower curtain'],
    });
    assert.deepEqual(cells[0].heldOut, ['bed', 'shower curtain']);
    assert.equal(cells[1].heldOut, undefined);
    assert.equal(cellKey(cells[0]), 'seg|scratch|baseline|all|0|ho=bed+shower curtain');
    assert.equal(cellRunName(cells[0]), 'seg-all-scratch-baseline-s0-ho-bed+shower_curtain');
    assert.equal(cellRunName({ ...cells[0], heldOut: undefined }), 'seg-all-scratch-baseline-s0');
  });
});

/** The benchmark on the shared scans, scene0000_00 → scene0000_01, small everything (tests vary it). */
const smallRun = (out: string): RealTransferOptions => ({
  out,
  trainRoot: join(SHARED, 'scannet'),
  trainScenes: ['scene0000_00'],
  evalRoot: join(SHARED, 'scannet'),
  evalScenes: ['scene0000_01'],
  inits: parseInits('scratch'),
  pretrainData: ['train'],
  budgets: [20],
  seeds: [0],
  tasks: ['seg'],
  methods: ['baseline'],
  segConfig: 'configs/finetune/real-transfer.yaml',
  detConfig: 'configs/finetune/scannet-det-fixture.yaml',
  realPretrainConfig: 'configs/pretrain/real-scans.yaml',
  syntheticPretrainConfig: 'configs/pretrain/synthetic-transfer.yaml',
  supervisedConfig: 'configs/finetune/synthetic-supervised.yaml',
  supervisedScannedConfig: 'configs/finetune/synthetic-supervised-scanned.yaml',
  supervisedDetConfig: 'configs/finetune/synthetic-supervised-det.yaml',
  supervisedHeightConfig: 'configs/finetune/synthetic-supervised-height.yaml',
  supervisedScannedHeightConfig: 'configs/finetune/synthetic-supervised-scanned-height.yaml',
  viewsPerScan: 4,
  frameSkip: 25,
  pairVoxel: 0.05,
  syntheticScenes: 2,
  supervisedScenes: 2,
});

describe('bench real-transfer: reuse', { skip }, () => {
  test('finished cells in results.json are reused: no fine-tuning runs, the same cells come back', async () => {
    const out = join(tmp, 'reuse');
    mkdirSync(out, { recursive: true });
    const cells = [cell('scratch', 20, 0, 11), cell('scratch', 20, 1, 12)];
    // a backbone another run on this --out recorded is kept (this run names only scratch)
    const other = { checkpoint: '/x/last', saw: ['scene0706_00.ply'] };
    writeFileSync(join(out, 'results.json'), JSON.stringify({ cells, backbones: { real: other } }));
    const o: RealTransferOptions = { ...smallRun(out), inits: parseInits('scratch'), seeds: [0, 1] };
    const res = await runRealTransfer(o);
    assert.deepEqual(res.cells, cells);
    assert.equal(existsSync(join(out, 'finetune', cellRunName(cells[0]))), false);
    assert.equal(res.rows.length, 1);
    assert.equal(res.rows[0].mIoU!.mean, 11.5);
    const saved = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as {
      backbones: Record<string, unknown>;
    };
    assert.deepEqual(saved.backbones, { real: other, scratch: { checkpoint: null, saw: [] } });
    // a cell another live process has claimed is not run here: it is waited for and read back
    const third = cell('scratch', 20, 2, 13);
    mkdirSync(join(out, 'finetune'), { recursive: true });
    writeFileSync(join(out, 'finetune', `${cellRunName(third)}.claim`), String(process.ppid));
    setTimeout(() => {
      const r = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as { cells: RealCell[] };
      writeFileSync(join(out, 'results.json'), JSON.stringify({ cells: [...r.cells, third] }));
    }, 300);
    const res3 = await runRealTransfer({ ...o, seeds: [0, 1, 2], pollMs: 100 });
    assert.deepEqual(
      res3.cells.map((c) => c.mIoU),
      [11, 12, 13],
    );
    assert.equal(existsSync(join(out, 'finetune', cellRunName(third))), false);
    // an unknown held-out class is named, with the classes there are, before anything trains
    await assert.rejects(
      runRealTransfer({ ...o, holdoutClasses: ['bed', 'chiar'] }),
      /--holdout-classes: unknown class 'chiar' \(expected some of wall, floor, .*chair/,
    );
    // an eval scene that is also a train scene is refused before anything runs
    await assert.rejects(
      runRealTransfer({ ...o, evalScenes: ['scene0000_00'] }),
      /--eval-scenes: scene0000_00 is also a train scene/,
    );
  });
});

describe('bench real-transfer: synthetic-supervised-scanned', { skip }, () => {
  // the wasm backend, as the CLI picks it (tfjs's own default here would be its plain-JS cpu backend)
  before(() => initBackend({ backend: 'wasm' }));

  test('its second stage starts from the synthetic-supervised network, on the same rooms virtually scanned; both are reused', async () => {
    const out = join(tmp, 'scanned');
    mkdirSync(out, { recursive: true });
    // two-step recipes (the shipped configs as bases) and finished cells: only the backbones train
    const repo = (p: string) => new URL(`../../${p}`, import.meta.url).pathname;
    const tiny = (name: string, base: string) => {
      const p = join(tmp, `${name}.yaml`);
      writeFileSync(p, `_base_: ${repo(base)}\ntrain:\n  maxSteps: 2\n  checkpointEvery: 2\n`);
      return p;
    };
    const cells = [cell('scratch', 20, 0, 11), cell('synthetic-supervised-scanned', 20, 0, 14)];
    writeFileSync(join(out, 'results.json'), JSON.stringify({ cells }));
    const o: RealTransferOptions = {
      ...smallRun(out),
      inits: parseInits('synthetic-supervised-scanned'),
      supervisedConfig: tiny('sup', 'configs/finetune/synthetic-supervised.yaml'),
      supervisedScannedConfig: tiny('scanned', 'configs/finetune/synthetic-supervised-scanned.yaml'),
    };
    const res = await runRealTransfer(o);
    const first = join(out, 'pretrain', 'synthetic-supervised', 'last');
    const second = join(out, 'pretrain', 'synthetic-supervised-scanned');
    assert.equal(res.backbones['synthetic-supervised-scanned'].checkpoint, join(second, 'last'));
    assert.match(
      res.backbones['synthetic-supervised-scanned'].saw.join(' '),
      /then the same rooms virtually scanned/,
    );
    const cfgText = readFileSync(join(second, 'config.yaml'), 'utf8');
    assert.match(cfgText, new RegExp(`^init: ${first}$`, 'm'));
    assert.match(cfgText, new RegExp(`dir: ${join(out, 'data', 'synthetic-scannet20-scanned')}$`, 'm'));
    assert.match(cfgText, /maxSteps: 2$/m);
    // the same two rooms, as a walk-around capture sees them and thinned: fewer points, same splits
    const manifest = (d: string) => openPreparedDataset(join(out, 'data', d)).manifest;
    const plain = manifest('synthetic-scannet20');
    const scanned = manifest('synthetic-scannet20-scanned');
    assert.deepEqual(
      scanned.scenes.map((s) => s.name),
      plain.scenes.map((s) => s.name),
    );
    for (let i = 0; i < plain.scenes.length; i++)
      assert.ok(scanned.scenes[i].points < 0.8 * plain.scenes[i].points, scanned.scenes[i].name);
    // a second run trains nothing again (the checkpoints are reused as they are)
    const stamp = readFileSync(join(second, 'last', 'weights.bin'));
    const again = await runRealTransfer(o);
    assert.equal(again.backbones['synthetic-supervised-scanned'].checkpoint, join(second, 'last'));
    assert.deepEqual(readFileSync(join(second, 'last', 'weights.bin')), stamp);
    assert.deepEqual(
      again.cells.map((c) => c.mIoU),
      [11, 14],
    );
    // with detection cells: its detector starts from the scanned network, on the plain rooms' boxes
    const det = (init: string, mAP25: number): RealCell => ({
      ...cell(init, 'all', 0, 0),
      task: 'det',
      mAP25,
      mAP50: 1,
    });
    const more = [cell('scratch', 'all', 0, 30), cell('synthetic-supervised-scanned', 'all', 0, 40)];
    writeFileSync(
      join(out, 'results.json'),
      JSON.stringify({
        cells: [...cells, ...more, det('scratch', 10), det('synthetic-supervised-scanned', 40)],
      }),
    );
    const withDet = await runRealTransfer({
      ...o,
      tasks: ['seg', 'det'],
      budgets: [20, 'all'],
      supervisedDetConfig: tiny('det', 'configs/finetune/synthetic-supervised-det.yaml'),
    });
    const detRun = join(out, 'pretrain', 'synthetic-supervised-scanned-det');
    assert.equal(withDet.backbones['synthetic-supervised-scanned'].det?.checkpoint, join(detRun, 'last'));
    const detCfg = readFileSync(join(detRun, 'config.yaml'), 'utf8');
    assert.match(detCfg, new RegExp(`^init: ${join(second, 'last')}$`, 'm'));
    assert.match(detCfg, new RegExp(`dir: ${join(out, 'data', 'synthetic-scannet20')}$`, 'm'));
    assert.deepEqual(readFileSync(join(second, 'last', 'weights.bin')), stamp);
    assert.equal(withDet.rows.find((r) => r.task === 'det' && r.init !== 'scratch')?.gain?.mean, 30);
    // a recipe changed since (here the second stage's steps) is not reused under the same name
    const longer = join(tmp, 'scanned-longer.yaml');
    writeFileSync(longer, `_base_: ${o.supervisedScannedConfig}\ntrain:\n  maxSteps: 3\n`);
    await assert.rejects(runRealTransfer({ ...o, supervisedScannedConfig: longer }), (e: Error) => {
      assert.ok(e.message.startsWith(`${second} was trained with another recipe than ${longer}`), e.message);
      assert.match(e.message, /train\.maxSteps: 2 there, 3 now/);
      assert.match(e.message, /use a new --out/);
      return true;
    });
    assert.deepEqual(readFileSync(join(second, 'last', 'weights.bin')), stamp);
    // synthetic-supervised-variety: the same second stage, from the same first-stage network, on
    // scanned rooms of the same seeds with furniture variety, in their own folders
    const vcells = [...cells, cell('synthetic-supervised-variety', 20, 0, 15)];
    writeFileSync(join(out, 'results.json'), JSON.stringify({ cells: vcells }));
    const vres = await runRealTransfer({ ...o, inits: parseInits('synthetic-supervised-variety') });
    const vrun = join(out, 'pretrain', 'synthetic-supervised-variety');
    assert.equal(vres.backbones['synthetic-supervised-variety'].checkpoint, join(vrun, 'last'));
    assert.match(vres.backbones['synthetic-supervised-variety'].saw.join(' '), /with furniture variety/);
    const vcfg = readFileSync(join(vrun, 'config.yaml'), 'utf8');
    assert.match(vcfg, new RegExp(`^init: ${first}$`, 'm'));
    assert.match(vcfg, new RegExp(`dir: ${join(out, 'data', 'synthetic-scannet20-scanned-variety')}$`, 'm'));
    const vsource = manifest('synthetic-scannet20-scanned-variety').source.options;
    assert.equal(vsource.variety, true);
    assert.equal(vsource.scanner, true);
    assert.equal(vsource.minSpacing, 0.02);
    assert.deepEqual(
      manifest('synthetic-scannet20-scanned-variety').scenes.map((s) => s.name),
      plain.scenes.map((s) => s.name),
    );
    assert.deepEqual(readFileSync(join(second, 'last', 'weights.bin')), stamp);
    // the complement rule: it trains (2 steps) and scores the baseline cell's network, with the
    // scanned network answering for the classes scene0000_00's labels lack
    writeFileSync(join(out, 'results.json'), JSON.stringify({ cells: [cell('scratch', 'all', 0, 30)] }));
    // (a 2-step init is unsure everywhere: loose values, so that the init's classes are predicted)
    const values = { rate: 0.5, minShare: 0.001 };
    const comp = await runRealTransfer({
      ...o,
      budgets: ['all'],
      methods: ['complement'],
      finetuneSteps: 2,
      complement: values,
    });
    const trained = join(out, 'finetune', 'seg-all-synthetic-supervised-scanned-baseline-s0');
    assert.ok(existsSync(join(trained, 'last', 'weights.bin')));
    assert.equal(
      existsSync(join(out, 'finetune', 'seg-all-synthetic-supervised-scanned-complement-s0')),
      false,
    );
    const got = comp.cells.find((c) => c.method === 'complement')!;
    assert.equal(got.init, 'synthetic-supervised-scanned');
    assert.ok(
      Math.abs(got.mIoU! - complementOracle(join(trained, 'last'), join(second, 'last'), out, values)) < 1e-9,
      `${got.mIoU}`,
    );
    // predict --complement: the same rule from the checkpoint's own record (init, training data)
    const model = loadModel(join(trained, 'last'));
    const setup = complementFromCheckpoint(model, { values });
    assert.equal(setup.init.dir, join(second, 'last'));
    const index = writePredictions(
      model,
      preparedInputs(openPreparedDataset(join(out, 'data', 'eval')), ['scene0000_01']),
      {
        out: join(tmp, 'complement-predictions'),
        complement: setup,
      },
    );
    assert.ok(Math.abs(index.scenes[0].metrics!.mIoU! - got.mIoU!) < 1e-9);
    // evaluate seg --complement: the same rule over the eval split
    const split = complementSplit(model, setup, openPreparedDataset(join(out, 'data', 'eval')), [
      'scene0000_01',
    ]);
    assert.ok(Math.abs(split.metrics(model.classes.map((c) => c.name)).mIoU - got.mIoU!) < 1e-9);
    // with test-time augmentation the thresholds are calibrated on the same augmented passes the
    // rule predicts with; predictions asked with other passes than the calibration's are refused
    const ttaSetup = complementFromCheckpoint(model, { values, tta: true });
    assert.equal(ttaSetup.tta, true);
    assert.notDeepEqual([...ttaSetup.thresholds], [...setup.thresholds]);
    const ttaSplit = complementSplit(model, ttaSetup, openPreparedDataset(join(out, 'data', 'eval')), [
      'scene0000_01',
    ]);
    const ttaSeen = { thresholds: [] as number[] };
    const ttaOracle = complementOracle(join(trained, 'last'), join(second, 'last'), out, values, ttaSeen);
    assert.deepEqual([...ttaSetup.thresholds], ttaSeen.thresholds);
    assert.ok(Math.abs(ttaSplit.metrics(model.classes.map((c) => c.name)).mIoU - ttaOracle) < 1e-9);
    assert.throws(
      () => writePredictions(model, [], { out: join(tmp, 'tta-predictions'), complement: ttaSetup }),
      /^Error: predict: the complement rule was calibrated with test-time augmentation and the predictions are asked without it/,
    );
    ttaSetup.init.net.params.dispose();
    model.net.params.dispose();
    setup.init.net.params.dispose();
    // the cell records its values: the same values reuse it, other values rescore it in place
    assert.deepEqual(got.complement, values);
    const reused = await runRealTransfer({
      ...o,
      budgets: ['all'],
      methods: ['complement'],
      finetuneSteps: 2,
      complement: values,
    });
    assert.equal(reused.cells.find((c) => c.method === 'complement')!.seconds, got.seconds);
    const other = { rate: 0.3, minShare: 0.001 };
    const rescored = await runRealTransfer({
      ...o,
      budgets: ['all'],
      methods: ['complement'],
      finetuneSteps: 2,
      complement: other,
    });
    const comps = rescored.cells.filter((c) => c.method === 'complement');
    assert.equal(comps.length, 1);
    assert.deepEqual(comps[0].complement, other);
    assert.ok(
      Math.abs(comps[0].mIoU! - complementOracle(join(trained, 'last'), join(second, 'last'), out, other)) <
        1e-9,
    );
    // --complement-init: another network answers (here the first stage); the cell is rescored with
    // it, records it, its row and table line name it, and a second run reuses it
    const answerWith = (init: string, more: Partial<RealTransferOptions> = {}) =>
      runRealTransfer({
        ...o,
        ...more,
        budgets: ['all'],
        methods: ['complement'],
        finetuneSteps: 2,
        complement: other,
        complementInit: parseComplementInit(init),
      });
    const ours = (c: { init: string; method: string }) =>
      c.method === 'complement' && c.init === 'synthetic-supervised-scanned';
    const byFirst = await answerWith('synthetic-supervised');
    // scratch's cell gets the rule too: its plain network with the named network answering
    const scratchComp = byFirst.cells.find((c) => c.method === 'complement' && c.init === 'scratch')!;
    assert.deepEqual(scratchComp.complement, { ...other, init: 'synthetic-supervised' });
    const scratchNet = join(out, 'finetune', 'seg-all-scratch-baseline-s0', 'last');
    assert.ok(Math.abs(scratchComp.mIoU! - complementOracle(scratchNet, first, out, other)) < 1e-9);
    const firstCells = byFirst.cells.filter(ours);
    assert.equal(firstCells.length, 1);
    assert.deepEqual(firstCells[0].complement, { ...other, init: 'synthetic-supervised' });
    assert.ok(
      Math.abs(firstCells[0].mIoU! - complementOracle(join(trained, 'last'), first, out, other)) < 1e-9,
    );
    const row = byFirst.rows.find(ours)!;
    assert.equal(row.complementInit, 'synthetic-supervised');
    assert.match(realTable(byFirst.rows), /\| complement \(synthetic-supervised answers\) \|/);
    const again2 = await answerWith('synthetic-supervised');
    assert.equal(again2.cells.find(ours)!.seconds, firstCells[0].seconds);
    // the height network answering: built from its own first stage, with the height input, on the
    // scanned rooms; the rule combines the two input layouts as the oracle does
    const tinyHeight = {
      supervisedHeightConfig: tiny('sup-h', 'configs/finetune/synthetic-supervised-height.yaml'),
      supervisedScannedHeightConfig: tiny(
        'scan-h',
        'configs/finetune/synthetic-supervised-scanned-height.yaml',
      ),
    };
    const byHeight = await answerWith('synthetic-supervised-scanned-height', tinyHeight);
    const hrun = join(out, 'pretrain', 'synthetic-supervised-scanned-height');
    assert.equal(byHeight.backbones['synthetic-supervised-scanned-height'].checkpoint, join(hrun, 'last'));
    const hcfg = readFileSync(join(hrun, 'config.yaml'), 'utf8');
    assert.match(
      hcfg,
      new RegExp(`^init: ${join(out, 'pretrain', 'synthetic-supervised-height', 'last')}$`, 'm'),
    );
    assert.match(hcfg, /^ {4}features: ones-height$/m);
    assert.match(hcfg, new RegExp(`dir: ${join(out, 'data', 'synthetic-scannet20-scanned')}$`, 'm'));
    const hc = byHeight.cells.find(ours)!;
    assert.equal(hc.complement?.init, 'synthetic-supervised-scanned-height');
    assert.ok(
      Math.abs(hc.mIoU! - complementOracle(join(trained, 'last'), join(hrun, 'last'), out, other)) < 1e-9,
    );
    // --tta: the cell is rescored (its training reused) with test-time augmentation, the rule
    // calibrated on the same passes; the cell, its row and its table line say so
    const withTta = await answerWith('synthetic-supervised-scanned-height', { ...tinyHeight, tta: true });
    const tc = withTta.cells.filter(ours);
    assert.equal(tc.length, 1);
    assert.equal(tc[0].tta, true);
    const seen = { thresholds: [] as number[] };
    assert.ok(
      Math.abs(tc[0].mIoU! - complementOracle(join(trained, 'last'), join(hrun, 'last'), out, other, seen)) <
        1e-9,
    );
    assert.equal(withTta.rows.find(ours)?.tta, true);
    assert.match(
      realTable(withTta.rows),
      /\| complement \(synthetic-supervised-scanned-height answers\), TTA \|/,
    );
    const ttaAgain = await answerWith('synthetic-supervised-scanned-height', { ...tinyHeight, tta: true });
    assert.equal(ttaAgain.cells.find(ours)!.seconds, tc[0].seconds);
    // as an init it needs cells that read height, and it has no detector: refused before training
    const heightInit = { ...o, ...tinyHeight, inits: parseInits('synthetic-supervised-scanned-height') };
    const heightSeg = repo('configs/finetune/real-transfer-height.yaml');
    await assert.rejects(
      runRealTransfer(heightInit),
      new RegExp(
        `^Error: --inits synthetic-supervised-scanned-height: its network reads 'ones-height' \\(${tinyHeight.supervisedScannedHeightConfig}\\), but the seg cells' config configs/finetune/real-transfer.yaml reads 'ones-rgb'; .*\\(for cells that read the height: configs/finetune/real-transfer-height.yaml\\)$`,
      ),
    );
    await assert.rejects(
      runRealTransfer({ ...heightInit, tasks: ['seg', 'det'], budgets: ['all'], segConfig: heightSeg }),
      /its network reads 'ones-height' \(.*\), but its detector recipe .*synthetic-supervised-det.yaml reads 'ones'/,
    );
    // so is the height network given as a checkpoint folder: its layout is read from its meta
    await assert.rejects(
      runRealTransfer({ ...o, inits: parseInits(`h=${hrun}`) }),
      /^Error: --inits h: its network reads 'ones-height' \(.*last\), but the seg cells' config/,
    );
    await assert.rejects(
      runRealTransfer({ ...o, complementInit: parseComplementInit('synthetic-supervised') }),
      /^Error: --complement-init synthetic-supervised: no complement cell would use it; add complement to --methods/,
    );
  });
});

/**
 * The complement cell's mIoU on scene0000_01, point by point: absent classes are those without a
 * labelled point in the train scan; τ_a the (1 − rate) quantile of the init's q(a) over labelled
 * points; a point takes the init's argmax when absent and ≥ τ, else the fine-tuned network's best
 * present class; an absent class on fewer than minShare of the scan's points is taken back; IoU
 * over classes with ground truth or predictions. Asserts that some point takes an absent class.
 * With `tta`, every probability (calibration and prediction) is the STANDARD_TTA average and the
 * thresholds (in absent-class order) are written to `tta.thresholds`; averaged probabilities of a
 * 2-step init may favour a labelled class everywhere, so no absent class is required then.
 */
function complementOracle(
  finetuned: string,
  init: string,
  out: string,
  { rate, minShare }: { rate: number; minShare: number },
  tta?: { thresholds: number[] },
): number {
  const ft = loadModel(finetuned);
  const base = loadModel(init);
  const k = ft.classes.length;
  const probs = (m: LoadedModel, cloud: PointCloud) =>
    pointProbabilities(m.net, cloud, {
      voxelSize: m.voxelSize,
      features: m.features,
      numClasses: k,
      ...(tta ? { tta: STANDARD_TTA } : {}),
    });
  const train = openPreparedDataset(join(out, 'data', 'train'));
  const trainCloud = train.readScene(train.sceneNames('train')[0]).cloud;
  const tl = [...trainCloud.labels!];
  const absent = [...Array(k).keys()].filter((c) => !tl.includes(c));
  const qt = probs(base, trainCloud);
  const tau = new Map(
    absent.map((a) => {
      const s = tl.flatMap((l, i) => (l >= 0 ? [qt[i * k + a]] : [])).sort((x, y) => x - y);
      return [a, s[Math.min(s.length - 1, Math.floor((1 - rate) * s.length))]];
    }),
  );
  tta?.thresholds.push(...tau.values());
  const ev = openPreparedDataset(join(out, 'data', 'eval'));
  const cloud = ev.readScene('scene0000_01').cloud;
  const f = probs(ft, cloud);
  const q = probs(base, cloud);
  const n = cloud.labels!.length;
  const argmax = (p: Float32Array, i: number, allowed: (c: number) => boolean) => {
    let best = -1;
    for (let c = 0; c < k; c++) if (allowed(c) && (best < 0 || p[i * k + c] > p[i * k + best])) best = c;
    return best;
  };
  const present = (c: number) => !absent.includes(c);
  const pred = [...Array(n).keys()].map((i) => {
    const s = argmax(q, i, () => true);
    return tau.has(s) && q[i * k + s] >= tau.get(s)! ? s : argmax(f, i, present);
  });
  for (const a of absent)
    if (pred.filter((p) => p === a).length < minShare * n)
      pred.forEach((p, i) => {
        if (p === a) pred[i] = argmax(f, i, present);
      });
  assert.ok(tta || pred.some((p) => absent.includes(p)), 'no point takes a class the labels lack');
  let sum = 0;
  let classes = 0;
  for (let c = 0; c < k; c++) {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    cloud.labels!.forEach((g, i) => {
      if (g < 0) return;
      if (g === c && pred[i] === c) tp++;
      else if (g === c) fn++;
      else if (pred[i] === c) fp++;
    });
    if (tp + fp + fn > 0) {
      sum += tp / (tp + fp + fn);
      classes++;
    }
  }
  ft.net.params.dispose();
  base.net.params.dispose();
  return (100 * sum) / classes;
}
