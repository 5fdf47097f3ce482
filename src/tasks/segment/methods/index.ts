/**
 * The trainer hooks of a segmentation run's transfer methods, in order: prototype imprinting,
 * neuron grouping (both at θ₀), the step-0 checkpoint (θ₀ itself), SMART. The trainable set
 * and LoRA live in the task's network and trainable names (task.ts, model.ts).
 */
import type { TrainHook } from '../../../train/hooks.js';
import type { CheckpointMetaInput } from '../../../train/checkpoint.js';
import type { VoxelBatch } from '../../../data/loader/types.js';
import type { PreparedDataset } from '../../../data/prepared/dataset.js';
import type { Selection } from '../../../data/selection.js';
import type { SegTask } from '../task.js';
import type { SegConfig } from '../schema.js';
import { initialCheckpointHook } from './initial.js';
import { imprintHook } from './prototype.js';
import { smartHook } from './smart.js';
import { absentClasses, trainingHistogram } from '../training-histogram.js';
import { neuronGroupsHook } from './groups.js';
import type { SegArchitecture } from '../../../models/seg-model.js';

export interface SegMethodContext {
  cfg: SegConfig;
  task: SegTask;
  arch: SegArchitecture;
  ds: PreparedDataset;
  selection: Selection;
  meta: Omit<CheckpointMetaInput, 'step'>;
  /** Progress of the work done before the first step (`what`: e.g. 'imprint prototypes'). */
  onSetup?: (what: string, done: number, total: number) => void;
}

/** Seed offset of the prototype head's random init (models/seg-model.ts). */
const PROTOTYPE_SEED = 0x70c;

/** The method hooks of a run. */
export function segMethodHooks(c: SegMethodContext): TrainHook<VoxelBatch>[] {
  const loader = c.cfg.data.loader;
  const scenes = { ds: c.ds, selection: c.selection, voxelSize: loader.voxelSize, features: loader.features };
  const hooks: (TrainHook<VoxelBatch> | null)[] = [
    imprintHook<VoxelBatch>(c.task.model, {
      ...scenes,
      seed: c.cfg.seed + PROTOTYPE_SEED,
      onProgress: c.onSetup && ((done, total) => c.onSetup!('imprint prototypes', done, total)),
    }),
    neuronGroupsHook(c.task.net, c.cfg.neuronGroups, scenes, c.cfg.seed),
    initialCheckpointHook<VoxelBatch>(c.meta),
    smartHook(c.task, c.arch, c.cfg.smart, c.cfg.seed, () =>
      absentClasses(trainingHistogram(c.ds, c.selection.scenes, c.selection.ignoreClasses)),
    ),
  ];
  return hooks.filter((h): h is TrainHook<VoxelBatch> => h !== null);
}
