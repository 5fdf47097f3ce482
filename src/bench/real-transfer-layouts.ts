/**
 * Input layouts along each init's chain of `bench real-transfer`, checked before anything trains:
 * every network a built-in init is built through (its recipe configs in order), a pre-training
 * config's network, or a checkpoint folder's, must be one the next training can start from, and the
 * last one the cells' config (models/input-features.ts `startsFrom`). A built-in whose network reads
 * the height above the floor is refused with colour-only cells this way, not by a flag of its own.
 */
import { readCheckpointMeta } from '../train/checkpoint.js';
import { resolveDetConfig } from '../tasks/detect/schema.js';
import { resolvePretrainConfig } from '../tasks/pretrain/schema.js';
import { resolveSegConfig } from '../tasks/segment/schema.js';
import { featureModeSchema, featureNeeds, startsFrom, type FeatureMode } from '../models/input-features.js';
import { SEGMENTATION_INITS, type BuiltinInit, type InitSpec } from './real-transfer-plan.js';
import { methodOverrides } from './transfer-methods.js';

/** The configs and overrides of a `bench real-transfer` run: what decides every layout. */
export interface LayoutOptions {
  tasks: readonly ('seg' | 'det')[];
  /** Fine-tuning configs of every cell (seg, det). */
  segConfig: string;
  detConfig: string;
  /** Recipes of the built-in inits. */
  realPretrainConfig: string;
  syntheticPretrainConfig: string;
  supervisedConfig: string;
  /** Second stage of synthetic-supervised-scanned (and -variety): the rooms virtually scanned. */
  supervisedScannedConfig: string;
  /** Detection form of synthetic-supervised: a detector trained on the synthetic rooms' boxes. */
  supervisedDetConfig: string;
  /** The two stages of synthetic-supervised-scanned-height (the same with the height input). */
  supervisedHeightConfig: string;
  supervisedScannedHeightConfig: string;
  /** `--finetune-set` (every cell) and `--pretrain-set` (every pre-training) overrides. */
  finetuneSet?: string[];
  pretrainSet?: string[];
}

/** One training of a chain: its config, the kind of run that reads it, and the layout it gives. */
interface Stage {
  config: string;
  read: 'seg' | 'pretrain' | 'det';
}

/** The layout a stage's network reads: its loader's features after the run's overrides. */
function layoutOf(stage: Stage, o: LayoutOptions): FeatureMode {
  if (stage.read === 'pretrain')
    return resolvePretrainConfig(stage.config, o.pretrainSet ?? []).data.loader.features;
  if (stage.read === 'det') return resolveDetConfig(stage.config).data.loader.features;
  return resolveSegConfig(stage.config).data.loader.features;
}

/** The trainings a built-in init's network goes through, in order (scratch: none). */
export function builtinStages(b: BuiltinInit, o: LayoutOptions): Stage[] {
  const pre = (config: string): Stage => ({ config, read: 'pretrain' });
  const seg = (config: string): Stage => ({ config, read: 'seg' });
  switch (b) {
    case 'scratch':
      return [];
    case 'synthetic':
      return [pre(o.syntheticPretrainConfig)];
    case 'real':
    case 'real+radreg':
      return [pre(o.realPretrainConfig)];
    case 'synthetic+real':
      return [pre(o.syntheticPretrainConfig), pre(o.realPretrainConfig)];
    case 'synthetic-supervised':
      return [seg(o.supervisedConfig)];
    case 'synthetic-supervised-scanned':
    case 'synthetic-supervised-variety':
      return [seg(o.supervisedConfig), seg(o.supervisedScannedConfig)];
    case 'synthetic-supervised-scanned-height':
      return [seg(o.supervisedHeightConfig), seg(o.supervisedScannedHeightConfig)];
    case 'synthetic-supervised+real':
      return [seg(o.supervisedConfig), pre(o.realPretrainConfig)];
  }
}

/** The checkpoint a folder holds and the layout its network reads, when its metadata records one. */
function checkpointLayout(path: string): { config: string; features: FeatureMode } | undefined {
  const { dir, meta } = readCheckpointMeta(path);
  const parsed = featureModeSchema.safeParse(meta.architecture.features);
  return parsed.success ? { config: dir, features: parsed.data } : undefined;
}

const isSegmentationInit = (b: BuiltinInit): boolean =>
  (SEGMENTATION_INITS as readonly BuiltinInit[]).includes(b);

const SEG_CELLS = "the seg cells' config";
const RULE =
  'a training starts from a network only when it reads every input channel that network read, or as many channels (models/input-features.ts)';

/**
 * Throws, naming the init and both configs, when some training of an init's chain (or its cells
 * of a task) cannot start from the network before it. Segmentation cells read `segConfig` with
 * the run's `--finetune-set`; detection cells read `detConfig`, and a synthetic-supervised init's
 * detection cells start from its detector (`supervisedDetConfig`).
 */
export function checkInitLayouts(inits: readonly InitSpec[], o: LayoutOptions): void {
  const cells: Record<'seg' | 'det', { config: string; features: () => FeatureMode }> = {
    seg: {
      config: o.segConfig,
      features: () =>
        resolveSegConfig(o.segConfig, methodOverrides('baseline', o.finetuneSet)).data.loader.features,
    },
    det: { config: o.detConfig, features: () => resolveDetConfig(o.detConfig).data.loader.features },
  };
  for (const spec of inits) {
    const chain: { config: string; features: FeatureMode }[] =
      spec.kind === 'builtin'
        ? builtinStages(spec.builtin, o).map((s) => ({ config: s.config, features: layoutOf(s, o) }))
        : spec.kind === 'recipe'
          ? [{ config: spec.config, features: layoutOf({ config: spec.config, read: 'pretrain' }, o) }]
          : [];
    if (spec.kind === 'checkpoint') {
      const stem = checkpointLayout(spec.dir);
      if (stem) chain.push(stem);
    }
    const check = (
      from: { config: string; features: FeatureMode },
      to: { config: string; features: FeatureMode },
      what: string,
    ) => {
      if (!startsFrom(from.features, to.features))
        throw new Error(
          `--inits ${spec.name}: its network reads '${from.features}' (${from.config}), but ${what} ${to.config} reads '${to.features}'; ${RULE}${
            featureNeeds(from.features).height && what === SEG_CELLS
              ? ' (for cells that read the height: configs/finetune/real-transfer-height.yaml)'
              : ''
          }`,
        );
    };
    for (let i = 1; i < chain.length; i++) check(chain[i - 1], chain[i], 'its next training');
    const last = chain.at(-1);
    if (!last) continue;
    for (const task of o.tasks) {
      let from = last;
      if (task === 'det' && spec.kind === 'builtin' && isSegmentationInit(spec.builtin)) {
        // a synthetic-supervised init's detection cells start from its detector, trained from it
        const detector = {
          config: o.supervisedDetConfig,
          features: layoutOf({ config: o.supervisedDetConfig, read: 'det' }, o),
        };
        check(from, detector, 'its detector recipe');
        from = detector;
      }
      check(
        from,
        { config: cells[task].config, features: cells[task].features() },
        task === 'seg' ? SEG_CELLS : "the det cells' config",
      );
    }
  }
}
