/**
 * `pointcontrast bench real-transfer`: does an initialisation help on real scans? Train scenes of
 * a ScanNet-layout root are fine-tuned at each label budget (labelled points per scene, or all),
 * from every init, with the same fine-tuning config and seeds; every point of each eval scan is
 * scored (each scan on its own, then averaged) with the last checkpoint. Pre-training inits run
 * once (real pairs from `--pretrain-data`, synthetic pairs, synthetic labels mapped to ScanNet20)
 * and, like every finished cell, are reused from `--out`.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { writeJsonAtomic } from '../data/io/atomic-write.js';
import { generatePairs } from '../data/pairs/generate.js';
import { openPreparedDataset } from '../data/prepared/dataset.js';
import { trainIdsOfNames } from '../data/label-map.js';
import { prepareDataset } from '../data/prepared/prepare.js';
import type { SourceOptions } from '../data/datasets/types.js';
import { runFinetuneDet } from '../tasks/detect/run.js';
import { runPretrain } from '../tasks/pretrain/run.js';
import { runFinetuneSeg } from '../tasks/segment/run.js';
import { lastCheckpointDir } from '../train/checkpoint.js';
import { runUnlessFinished, type ConfigChange } from '../train/run-dir.js';
import { resolveDetConfig } from '../tasks/detect/schema.js';
import { resolvePretrainConfig } from '../tasks/pretrain/schema.js';
import { resolveSegConfig } from '../tasks/segment/schema.js';
import { claimedByOther, realPairs, stageRoot } from './real-transfer-staging.js';
import { evaluateDet, evaluateSeg, evaluateSegComplement } from './real-transfer-score.js';
import { isSegNetworkOf } from '../tasks/segment/complement-setup.js';
import { COMPLEMENT_DEFAULTS, type ComplementValues } from '../tasks/segment/complement.js';
import type { SEGMENTATION_INITS } from './real-transfer-plan.js';
import {
  cellKey,
  cellRunName,
  planCells,
  resolvePretrainData,
  resolveScenes,
  REAL_INITS,
  type Budget,
  type CellPlan,
  type InitSpec,
} from './real-transfer-plan.js';
import {
  averageScenes,
  summariseReal,
  type RealCell,
  type RealRow,
  type SceneScore,
} from './real-transfer-summary.js';
import { methodOverrides, METHOD_TABLE, type TransferMethod } from './transfer-methods.js';
import { checkInitLayouts, type LayoutOptions } from './real-transfer-layouts.js';

/**
 * How synthetic-supervised-scanned's rooms are generated: only what a virtual walk-around capture
 * sees (no undersides, hidden walls: the holes of a scan), thinned to 2 cm point spacing like a
 * decimated scan mesh, closing two measured real-vs-synthetic gaps (docs/synthetic-scenes.md);
 * `data prepare synth --scanner --min-spacing 0.02`.
 */
export const SCANNED_ROOMS = { scanner: true, minSpacing: 0.02 } as const;
/**
 * synthetic-supervised-variety's rooms: the scanned rooms of the same seeds with the furniture
 * real scans show and the plain recipes lack (sectional sofas, curtains along walls, more
 * clutter; `data prepare synth --scanner --min-spacing 0.02 --furniture-variety`).
 */
export const VARIETY_ROOMS = { ...SCANNED_ROOMS, variety: true } as const;
type RoomKind = 'plain' | 'scanned' | 'variety';
type SupervisedInit = (typeof SEGMENTATION_INITS)[number];
const ROOMS_DIR: Record<RoomKind, string> = {
  plain: 'synthetic-scannet20',
  scanned: 'synthetic-scannet20-scanned',
  variety: 'synthetic-scannet20-scanned-variety',
};
/** The generator options of each kind of labelled rooms (what `data prepare synth` is given). */
const ROOMS_OPTIONS: Record<RoomKind, Pick<SourceOptions, 'scanner' | 'minSpacing' | 'variety'>> = {
  plain: {},
  scanned: SCANNED_ROOMS,
  variety: VARIETY_ROOMS,
};

/** Resolves a config file with overrides, as the run functions do before they write config.yaml. */
type Resolver = (config: string, overrides: string[]) => unknown;
/** A training on the labelled synthetic rooms: how it runs and how its config resolves. */
interface RoomTask {
  train: (t: { config: string; out: string; resume: boolean; overrides: string[] }) => Promise<unknown>;
  resolve: Resolver;
}
const SEG_ON_ROOMS: RoomTask = { train: runFinetuneSeg, resolve: resolveSegConfig };
const DET_ON_ROOMS: RoomTask = { train: runFinetuneDet, resolve: resolveDetConfig };
/** Config keys that name folders: they differ between --out folders of the same recipe. */
const RUN_PATH_KEYS = ['data.dir', 'data.source', 'init', 'radreg.data'] as const;

/**
 * Everything a run of the benchmark needs (the CLI fills the defaults); its configs and overrides
 * (LayoutOptions) are checked against each other before anything trains.
 */
export interface RealTransferOptions extends LayoutOptions {
  out: string;
  trainRoot: string;
  trainScenes: string[];
  evalRoot: string;
  evalScenes: string[];
  inits: InitSpec[];
  /** `--pretrain-data` entries (see resolvePretrainData). */
  pretrainData: string[];
  budgets: Budget[];
  seeds: number[];
  tasks: ('seg' | 'det')[];
  methods: TransferMethod[];
  /**
   * Classes held out of the training labels of every segmentation cell (`data.ignoreClasses`):
   * each cell also reports their IoU on the eval scans, what an init knows of classes the labels
   * lack (a different room's chairs when the train rooms have none).
   */
  holdoutClasses?: string[];
  /** Real pairs: virtual views per scan, RGB-D frame step, pair voxel. */
  viewsPerScan: number;
  frameSkip: number;
  pairVoxel: number;
  /** Synthetic pairs (scenes, seed 1000+) and labelled synthetic rooms (seed 5000+) of the synthetic inits. */
  syntheticScenes: number;
  supervisedScenes: number;
  /** Optional step overrides (default: each config's train.maxSteps). */
  finetuneSteps?: number;
  pretrainSteps?: number;
  /** How often to look for cells another process on the same --out is running (20 s). */
  pollMs?: number;
  /** The complement rule's values (default COMPLEMENT_DEFAULTS; complement cells of other values are rescored). */
  complement?: ComplementValues;
  /**
   * The network that answers for the absent classes in every complement cell (default: each
   * cell's own init); complement cells scored with another one are rescored.
   */
  complementInit?: InitSpec;
  /**
   * Score the segmentation cells with test-time augmentation (the complement rule calibrated on
   * the same passes); cells scored otherwise are rescored, their training reused.
   */
  tta?: boolean;
  onEvent?: (msg: string) => void;
}

/** What a run returns (and writes to `<out>/results.json`). */
export interface RealTransferResult {
  cells: RealCell[];
  rows: RealRow[];
  /**
   * Which scans each backbone saw in pre-training (nothing of the eval scenes, by construction);
   * `det` when the detection cells start from another checkpoint (synthetic-supervised's detector).
   */
  backbones: Record<
    string,
    { checkpoint: string | null; saw: string[]; det?: { checkpoint: string; saw: string[] } }
  >;
}

/** Runs (or resumes) the benchmark. */
export async function runRealTransfer(o: RealTransferOptions): Promise<RealTransferResult> {
  const say = (m: string) => o.onEvent?.(m);
  // everything is checked before anything trains
  const train = resolveScenes(o.trainRoot, o.trainScenes, '--train');
  const evals = resolveScenes(o.evalRoot, o.evalScenes, '--eval');
  for (const e of evals)
    if (train.some((t) => resolve(t.dir) === resolve(e.dir)))
      throw new Error(`--eval-scenes: ${e.name} is also a train scene; an eval scan is never trained on`);
  const needsReal = o.inits.some(
    (i) => i.kind === 'recipe' || (i.kind === 'builtin' && REAL_INITS[i.builtin].realPairs),
  );
  const sources = needsReal ? resolvePretrainData(o.pretrainData, train, evals) : [];
  if (o.tasks.includes('det') && !o.budgets.includes('all'))
    throw new Error(
      "--tasks det: detection cells run at the 'all' budget (every box); add 'all' to --budgets",
    );
  if (o.complementInit && !o.methods.some((m) => METHOD_TABLE[m].complementsInit))
    throw new Error(
      `--complement-init ${o.complementInit.name}: no complement cell would use it; add complement to --methods`,
    );
  // every init's chain of input layouts, and the cells', before anything trains
  checkInitLayouts(o.inits, o);

  const resultsPath = join(o.out, 'results.json');
  const cells: RealCell[] = [];
  // cells finished by another process on the same --out (several processes may share the cores
  // and the folder) are picked up before each cell and kept on every save
  // so are the backbones of inits another run on this --out named (this run's own entries win)
  const backbones: RealTransferResult['backbones'] = {};
  const ours = new Set(o.inits.map((i) => i.name));
  const merge = () => {
    if (!existsSync(resultsPath)) return;
    const have = new Set(cells.map(cellKey));
    const saved = JSON.parse(readFileSync(resultsPath, 'utf8')) as Partial<RealTransferResult>;
    for (const c of saved.cells ?? []) if (!have.has(cellKey(c))) cells.push(c);
    for (const [name, b] of Object.entries(saved.backbones ?? {})) if (!ours.has(name)) backbones[name] = b;
  };
  merge();
  const save = () => {
    merge();
    writeJsonAtomic(resultsPath, {
      options: { ...o, onEvent: undefined },
      backbones,
      cells,
      rows: summariseReal(cells),
    });
  };

  const trainData = join(o.out, 'data', 'train');
  const evalData = join(o.out, 'data', 'eval');
  say(`train scenes ${o.trainScenes.join(', ')} → ${trainData}`);
  await prepareDataset({
    type: 'scannet',
    source: { root: stageRoot(o.trainRoot, train, join(o.out, 'roots', 'train')) },
    out: trainData,
  });
  say(`eval scenes ${o.evalScenes.join(', ')} → ${evalData}`);
  await prepareDataset({
    type: 'scannet',
    source: { root: stageRoot(o.evalRoot, evals, join(o.out, 'roots', 'eval')), val: o.evalScenes },
    out: evalData,
  });
  const evalDs = openPreparedDataset(evalData);
  // held-out classes are named in the train data's classes before anything trains
  if (o.holdoutClasses?.length)
    trainIdsOfNames(openPreparedDataset(trainData).manifest.classes, o.holdoutClasses, '--holdout-classes');
  const steps = (n: number | undefined) => (n === undefined ? [] : [`train.maxSteps=${n}`]);

  // --- backbones -------------------------------------------------------------------------
  let realPairDirs: string[] | undefined;
  const realSaw = () =>
    sources.flatMap((s) => (s.kind === 'rgbd' ? [`RGB-D frames of ${s.paths[0]}`] : s.paths));
  /**
   * A finished pre-training in --out is reused only while it is what its recipe gives now: after
   * a recipe changes (e.g. its steps), reusing it would report the old network under the new name.
   */
  const sameRecipe = (run: string, config: string, overrides: string[], resolve: Resolver) => ({
    now: () => resolve(config, overrides),
    ignore: RUN_PATH_KEYS,
    changed: (changes: ConfigChange[]): never => {
      const list = changes
        .map((c) => `${c.key}: ${JSON.stringify(c.was)} there, ${JSON.stringify(c.now)} now`)
        .join('; ');
      throw new Error(
        `${run} was trained with another recipe than ${config} gives now (${list}); it is not reused: use a new --out, or delete that folder and the cells of the inits built on it`,
      );
    },
  });
  const pretrainOn = async (
    name: string,
    config: string,
    pairDirs: string[],
    init?: string,
    extra: string[] = [],
  ) => {
    const run = join(o.out, 'pretrain', name);
    const overrides = [
      `data.source={"type":"pairs","dir":${JSON.stringify(pairDirs)}}`,
      ...(init ? [`init=${init}`] : []),
      ...extra,
      ...steps(o.pretrainSteps),
      ...(o.pretrainSet ?? []),
    ];
    await runUnlessFinished(
      run,
      async (resume) => {
        say(`pre-training ${name}${resume ? ' (resuming)' : ''}`);
        await runPretrain({ config, out: run, resume, overrides });
      },
      sameRecipe(run, config, overrides, resolvePretrainConfig),
    );
    return lastCheckpointDir(run);
  };
  const real = async () => (realPairDirs ??= await realPairs(o, sources, say));
  const synthetic = async () => {
    const pairs = join(o.out, 'pairs', 'synthetic');
    say(`synthetic pairs (${o.syntheticScenes} rooms) → ${pairs}`);
    await generatePairs({
      from: 'synth',
      out: pairs,
      scenes: o.syntheticScenes,
      seed: 1000,
      viewsPerScene: 6,
      voxel: 0.05,
    });
    return pretrainOn('synthetic', o.syntheticPretrainConfig, [pairs]);
  };
  const supervisedSaw = `the train split of ${o.supervisedScenes} labelled synthetic rooms (seeds 5000+)`;
  const scannedSaw = `${supervisedSaw}, then the same rooms virtually scanned`;
  const varietySaw = `${supervisedSaw}, then rooms of the same seeds virtually scanned, with furniture variety (sectional sofas, curtains along walls, more clutter)`;
  const roomsPrepared = new Map<RoomKind, Promise<string>>();
  /**
   * The labelled synthetic rooms (ScanNet20 classes) of synthetic-supervised and the mixing
   * methods; `scanned`: the same rooms through the virtual scanner (SCANNED_ROOMS); `variety`:
   * scanned rooms of the same seeds with furniture variety (VARIETY_ROOMS).
   */
  const rooms = (kind: RoomKind = 'plain') => {
    const dir = join(o.out, 'data', ROOMS_DIR[kind]);
    let ready = roomsPrepared.get(kind);
    if (!ready) {
      say(`labelled synthetic rooms, ScanNet20 classes (${o.supervisedScenes}, ${kind}) → ${dir}`);
      const scan = ROOMS_OPTIONS[kind];
      const source = { scenes: o.supervisedScenes, seed: 5000, classes: 'scannet20', ...scan };
      ready = prepareDataset({ type: 'synth', source, out: dir }).then(() => dir);
      roomsPrepared.set(kind, ready);
    }
    return ready;
  };
  /** A network trained on the labelled synthetic rooms: once, then reused from --out. */
  const trainOnRooms = async (
    name: string,
    what: string,
    task: RoomTask,
    config: string,
    extra: string[] = [],
    kind: RoomKind = 'plain',
  ) => {
    const data = await rooms(kind);
    const run = join(o.out, 'pretrain', name);
    const overrides = [`data.dir=${data}`, 'data.valSplit=null', ...extra];
    await runUnlessFinished(
      run,
      async (resume) => {
        say(`${what}${resume ? ' (resuming)' : ''}`);
        await task.train({ config, out: run, resume, overrides });
      },
      sameRecipe(run, config, overrides, task.resolve),
    );
    return lastCheckpointDir(run);
  };
  /** A first stage: segmentation on the plain labelled rooms with `config`; once, then reused. */
  const firstStage = (name: string, what: string, config: string) => {
    let run: string | undefined;
    return async () => (run ??= await trainOnRooms(name, what, SEG_ON_ROOMS, config));
  };
  const supervised = firstStage('synthetic-supervised', 'supervised synthetic training', o.supervisedConfig);
  const supervisedHeight = firstStage(
    'synthetic-supervised-height',
    'supervised synthetic training, height above the floor as an input',
    o.supervisedHeightConfig,
  );
  /** A second stage: the `first` network trained on `kind` rooms with `config`; once, then reused. */
  const secondStage = (
    name: string,
    what: string,
    kind: RoomKind,
    first: () => Promise<string> = supervised,
    config = o.supervisedScannedConfig,
  ) => {
    let run: string | undefined;
    return async () =>
      (run ??= await trainOnRooms(name, what, SEG_ON_ROOMS, config, [`init=${await first()}`], kind));
  };
  // the same rooms virtually scanned; and rooms of the same seeds with furniture variety, scanned
  const scanned = secondStage(
    'synthetic-supervised-scanned',
    'supervised training on the scanned synthetic rooms',
    'scanned',
  );
  const variety = secondStage(
    'synthetic-supervised-variety',
    'supervised training on the scanned synthetic rooms with furniture variety',
    'variety',
  );
  const scannedHeight = secondStage(
    'synthetic-supervised-scanned-height',
    'supervised training on the scanned synthetic rooms, height above the floor as an input',
    'scanned',
    supervisedHeight,
    o.supervisedScannedHeightConfig,
  );
  // synthetic labels for detection: the plain rooms' boxes train a whole detector (backbone from
  // a segmentation network), which the detection cells fine-tune head and all. For the scanned
  // network too: from its 600-step second stage, on the real rescan's boxes that gave 41.7 ± 8.2
  // mAP@0.25 over 5 seeds, the scanned rooms' boxes 35.9 ± 5.2 (docs/benchmarks.md)
  const detectorFrom = async (name: string, seg: () => Promise<string>) =>
    trainOnRooms(name, 'supervised synthetic detection', DET_ON_ROOMS, o.supervisedDetConfig, [
      `init=${await seg()}`,
    ]);
  /** The synthetic-supervised inits: each one's network (built on first use) and what it saw. */
  const supervisedNets: Record<SupervisedInit, { seg: () => Promise<string>; saw: string }> = {
    'synthetic-supervised': { seg: supervised, saw: supervisedSaw },
    'synthetic-supervised-scanned': { seg: scanned, saw: scannedSaw },
    'synthetic-supervised-variety': { seg: variety, saw: varietySaw },
    'synthetic-supervised-scanned-height': {
      seg: scannedHeight,
      saw: `${scannedSaw} (the height above the floor as an input)`,
    },
  };
  const isSupervised = (b: string): b is SupervisedInit => b in supervisedNets;
  /** A synthetic-supervised init: the network and, for detection cells, its detector. */
  const supervisedInit = async (builtin: SupervisedInit) => {
    const { seg, saw } = supervisedNets[builtin];
    const det = o.tasks.includes('det')
      ? {
          checkpoint: await detectorFrom(`${builtin}-det`, seg),
          saw: [`${saw}: labels, then the plain rooms' boxes`],
        }
      : undefined;
    return { checkpoint: await seg(), saw: [saw], ...(det ? { det } : {}) };
  };
  // what each init's cells start from (backbones also goes to results.json): the segmentation
  // checkpoint, and for synthetic-supervised's detection cells its detector (`det`)
  for (const spec of o.inits) {
    if (spec.kind === 'checkpoint') {
      backbones[spec.name] = { checkpoint: spec.dir, saw: ['(given checkpoint: see its config.yaml)'] };
    } else if (spec.kind === 'recipe') {
      backbones[spec.name] = {
        checkpoint: await pretrainOn(spec.name, spec.config, await real()),
        saw: realSaw(),
      };
    } else if (spec.builtin === 'scratch') {
      backbones.scratch = { checkpoint: null, saw: [] };
    } else if (spec.builtin === 'real') {
      backbones.real = {
        checkpoint: await pretrainOn('real', o.realPretrainConfig, await real()),
        saw: realSaw(),
      };
    } else if (spec.builtin === 'real+radreg') {
      // RadReg's intended setting: the unlabelled downstream batch is the real train scans
      backbones[spec.name] = {
        checkpoint: await pretrainOn('real+radreg', o.realPretrainConfig, await real(), undefined, [
          'regularizer=radreg',
          `radreg.data=${trainData}`,
          'radreg.split=train',
        ]),
        saw: [...realSaw(), `RadReg batches: ${o.trainScenes.join(', ')} (geometry and colour, no labels)`],
      };
    } else if (spec.builtin === 'synthetic') {
      backbones.synthetic = {
        checkpoint: await synthetic(),
        saw: [`${o.syntheticScenes} synthetic rooms (seeds 1000+)`],
      };
    } else if (spec.builtin === 'synthetic+real') {
      const syn = await synthetic();
      backbones[spec.name] = {
        checkpoint: await pretrainOn('synthetic+real', o.realPretrainConfig, await real(), syn),
        saw: [`${o.syntheticScenes} synthetic rooms (seeds 1000+)`, ...realSaw()],
      };
    } else if (isSupervised(spec.builtin)) {
      backbones[spec.name] = await supervisedInit(spec.builtin);
    } else {
      const sup = await supervised();
      backbones[spec.name] = {
        checkpoint: await pretrainOn('synthetic-supervised+real', o.realPretrainConfig, await real(), sup),
        saw: [supervisedSaw, ...realSaw()],
      };
    }
  }
  // the network answering for the absent classes in the complement cells, when not their own init
  let answering: { name: string; checkpoint: string } | undefined;
  if (o.complementInit) {
    const spec = o.complementInit;
    const entry =
      spec.kind === 'checkpoint'
        ? { checkpoint: spec.dir, saw: ['(given checkpoint: see its config.yaml)'] }
        : spec.kind === 'builtin' && isSupervised(spec.builtin)
          ? { checkpoint: await supervisedNets[spec.builtin].seg(), saw: [supervisedNets[spec.builtin].saw] }
          : undefined;
    if (!entry) throw new Error(`--complement-init: '${spec.name}' is not a segmentation network`);
    const same = backbones[spec.name];
    if (same && same.checkpoint !== entry.checkpoint)
      throw new Error(
        `--complement-init: '${spec.name}' names ${entry.checkpoint}, and an init of that name is ${same.checkpoint}; name it name=path`,
      );
    backbones[spec.name] ??= entry;
    answering = { name: spec.name, checkpoint: entry.checkpoint };
  }
  save();

  // --- cells -------------------------------------------------------------------------------
  const trainDs = openPreparedDataset(trainData);
  const segNames = trainDs.manifest.classes.map((c) => c.name);
  // the complement rule needs an init that is a segmentation network of the train data's classes
  if (answering && !isSegNetworkOf(answering.checkpoint, segNames))
    throw new Error(
      `--complement-init: ${answering.checkpoint} is not a segmentation network of the train data's classes (${segNames.join(', ')})`,
    );
  const complementable = new Map<string, boolean>();
  const todo = planCells(o).filter((key) => {
    if (answering) return true;
    if (!METHOD_TABLE[key.method].complementsInit) return true;
    let ok = complementable.get(key.init);
    if (ok === undefined) {
      const ckpt = backbones[key.init].checkpoint;
      ok = ckpt !== null && isSegNetworkOf(ckpt, segNames);
      complementable.set(key.init, ok);
      if (!ok)
        say(`complement: skipped for ${key.init} (not a segmentation network of the train data's classes)`);
    }
    return ok;
  });
  // the complement rule scores the baseline cell's network: it trains (and claims) that run
  const trainedAs = (key: CellPlan): CellPlan =>
    METHOD_TABLE[key.method].complementsInit ? { ...key, method: 'baseline' } : key;
  // a finished cell, unless it is a complement cell scored with other values or another answering
  // network (rescored in 1–3 s)
  const values = o.complement ?? COMPLEMENT_DEFAULTS;
  const scoredWith = { ...values, ...(answering ? { init: answering.name } : {}) };
  const tta = Boolean(o.tta);
  const current = (c: RealCell) =>
    (c.task !== 'seg' || Boolean(c.tta) === tta) &&
    (!METHOD_TABLE[c.method as TransferMethod]?.complementsInit ||
      (c.complement?.rate === values.rate &&
        c.complement.minShare === values.minShare &&
        c.complement.init === scoredWith.init));
  const finished = (key: CellPlan) => cells.some((c) => cellKey(c) === cellKey(key) && current(c));
  const claimPath = (key: CellPlan) => join(o.out, 'finetune', `${cellRunName(trainedAs(key))}.claim`);
  const claimedElsewhere = (key: CellPlan) => claimedByOther(claimPath(key));
  const runCell = async (key: CellPlan) => {
    const { task, method, budget, seed } = key;
    const dir = join(o.out, 'finetune', cellRunName(trainedAs(key)));
    const from = backbones[key.init];
    const t0 = performance.now();
    const common = [
      `data.dir=${trainData}`,
      'data.valSplit=null',
      `seed=${seed}`,
      `data.loader.seed=${seed}`,
      `init=${(task === 'det' ? from.det?.checkpoint : undefined) ?? from.checkpoint ?? 'null'}`,
      ...steps(o.finetuneSteps),
    ];
    let scenes: SceneScore[];
    if (task === 'seg') {
      const overrides = [
        ...common,
        `data.pointsPerScene=${budget === 'all' ? 'null' : budget}`,
        ...(key.heldOut ? [`data.ignoreClasses=${JSON.stringify(key.heldOut)}`] : []),
        ...(METHOD_TABLE[method].mixesRooms ? [`data.mix={"dir":${JSON.stringify(await rooms())}}`] : []),
        ...methodOverrides(trainedAs(key).method, o.finetuneSet),
      ];
      await runUnlessFinished(dir, (resume) =>
        runFinetuneSeg({ config: o.segConfig, out: dir, overrides, resume }),
      );
      scenes = METHOD_TABLE[method].complementsInit
        ? evaluateSegComplement(
            lastCheckpointDir(dir),
            answering?.checkpoint ?? from.checkpoint!,
            trainDs,
            evalDs,
            o.evalScenes,
            segNames,
            key.heldOut,
            values,
            tta,
          )
        : evaluateSeg(lastCheckpointDir(dir), evalDs, o.evalScenes, segNames, key.heldOut, tta);
    } else {
      await runUnlessFinished(dir, (resume) =>
        runFinetuneDet({ config: o.detConfig, out: dir, overrides: common, resume }),
      );
      scenes = evaluateDet(lastCheckpointDir(dir), evalDs, o.evalScenes);
    }
    const cell: RealCell = {
      ...key,
      ...(METHOD_TABLE[method].complementsInit ? { complement: { ...scoredWith } } : {}),
      ...(task === 'seg' && tta ? { tta: true as const } : {}),
      scenes,
      ...averageScenes(scenes),
      seconds: +((performance.now() - t0) / 1000).toFixed(1),
    };
    // replaces a stale complement cell of the same key
    const stale = cells.findIndex((c) => cellKey(c) === cellKey(key));
    if (stale >= 0) cells.splice(stale, 1);
    cells.push(cell);
    save();
    const m = task === 'seg' ? `mIoU ${cell.mIoU!.toFixed(2)}` : `mAP@0.25 ${cell.mAP25!.toFixed(2)}`;
    say(`${cellRunName(key)}: ${m} (${cell.seconds} s)`);
  };
  let pending = todo;
  while (pending.length > 0) {
    const deferred: CellPlan[] = [];
    for (const key of pending) {
      merge();
      if (finished(key)) continue;
      if (claimedElsewhere(key)) {
        deferred.push(key);
        continue;
      }
      mkdirSync(join(o.out, 'finetune'), { recursive: true });
      writeFileSync(claimPath(key), String(process.pid));
      try {
        await runCell(key);
      } finally {
        rmSync(claimPath(key), { force: true });
      }
    }
    if (deferred.length > 0) {
      say(`${deferred.length} cell(s) running in another process; waiting for them`);
      await new Promise((r) => setTimeout(r, o.pollMs ?? 20_000));
    }
    pending = deferred;
  }
  save();
  return { cells, rows: summariseReal(cells), backbones };
}
