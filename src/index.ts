/**
 * The public library API of pointcontrast: everything the CLI does is available from here.
 * Platform-free modules (geometry, sparse, models, losses, eval, formats, synth, augment) also
 * run in the browser; the rest needs Node.
 */

// backend
export { initBackend, backendInfo, type BackendInfo, type BackendChoice } from './backend/select.js';
export { preflight, PreflightError } from './train/preflight.js';
export { registerCustomKernels } from './backend/kernels/register.js';

// geometry
export type { PointCloud, TypedArray } from './geometry/point-cloud.js';
export { voxelize, batchCoords, type Voxelized } from './geometry/voxelize.js';
export { CoordHash } from './geometry/coord-hash.js';
export { RadiusIndex, radiusPairs } from './geometry/radius-search.js';

// sparse engine
export { SparseTensor } from './sparse/sparse-tensor.js';
export { CoordSet } from './sparse/coord-set.js';
export { CoordinateManager, type MapPlan } from './sparse/coordinate-manager.js';
export {
  submanifoldMap,
  downsampleMap,
  transposeMap,
  kernelOffsets,
  type KernelMap,
} from './sparse/kernel-map.js';
export { sparseConvOp } from './sparse/conv-op.js';
export * as sparseOps from './sparse/ops.js';
export { gatherRows } from './sparse/gather-op.js';
export { matMul2d } from './sparse/matmul.js';

// models
export { Res16UNet, type UNetSpec, type UNetOptions } from './models/res16unet.js';
export { BACKBONES, BACKBONE_NAMES, type BackboneName } from './models/registry.js';
export { buildNetwork, loadWeights, architectureSchema, type Architecture } from './models/build.js';
export { Params } from './models/params.js';

// losses
export { pointInfoNCE, infoNCEOnMatches } from './losses/point-info-nce.js';
export { hardestContrastive } from './losses/hardest-contrastive.js';
export { shapeContextLoss, partitionMatrix } from './losses/shape-context.js';
export {
  LOSSES,
  createLoss,
  lossConfigSchema,
  lossDefaults,
  type LossName,
  type LossConfig,
  type PairLoss,
} from './losses/registry.js';

// evaluation
export { ConfusionMatrix, formatSegTable, type SegMetrics } from './eval/confusion.js';
export { featureMatch, type FeatureMatchResult } from './eval/feature-match.js';

// data: formats, datasets, synthetic scenes, pairs, loader, augmentation
export * from './data/formats/index.js';
export { readPointCloud, writePointCloudPly } from './data/io/read-cloud.js';
export { generateScene, sceneSurfaces } from './data/synth/index.js';
export { prepareDataset } from './data/prepared/prepare.js';
export { openPreparedDataset, type PreparedDataset } from './data/prepared/dataset.js';
export { generatePairs } from './data/pairs/generate.js';
export { openPairDataset } from './data/pairs/reader.js';
export {
  createLoader,
  type DataLoader,
  type Batch,
  type PairBatch,
  type VoxelBatch,
} from './data/loader/index.js';
export { TRANSFORMS, parseTransforms } from './data/augment/registry.js';
export { Rng, deriveSeed } from './core/rng.js';

// training, fine-tuning, evaluation, prediction
export { runPretrain } from './tasks/pretrain/run.js';
export { resolvePretrainConfig } from './tasks/pretrain/schema.js';
export { runFinetuneSeg } from './tasks/segment/run.js';
export { resolveSegConfig } from './tasks/segment/schema.js';
export { segmentationLoss } from './tasks/segment/task.js';
export { runTraining, type TrainingConfig } from './train/run-training.js';
export {
  validationHook,
  periodicCheckpointHook,
  parameterSubsetHook,
  type TrainHook,
  type StepContext,
  type AfterStepContext,
} from './train/hooks.js';
export { train, type TrainTask, type TrainOptions } from './train/trainer.js';
export { saveCheckpoint, loadCheckpoint } from './train/checkpoint.js';
export { loadModel, type LoadedModel } from './train/load-model.js';
export { predictScene, evaluateSplit } from './tasks/segment/infer.js';
export { writePredictions } from './tasks/segment/predict.js';
export { evaluateMatch } from './tasks/pretrain/infer.js';
export { runDemo } from './bench/demo.js';
