/**
 * Rebuilds any batch of the stream from (epoch, index): the epoch's sample order, the samples read
 * from the source, their augmentation seeds, then the batch builder. The same code runs in the
 * prefetch worker and in the calling thread, so both give identical batches.
 */
import type { LoaderConfig } from './config.js';
import { createBatchBuilder, type BatchBuilder } from './build-batch.js';
import { batchSamples, batchesPerEpoch, epochOrder, sampleSeed } from './order.js';
import type { Batch, PairSample, SampleSource, SceneSample } from './types.js';

/** Builds batches of one source under one config. */
export class BatchMaker {
  readonly perEpoch: number;
  private readonly builder: BatchBuilder;
  private orderEpoch = -1;
  private order: Int32Array = new Int32Array(0);

  constructor(
    readonly source: SampleSource,
    readonly config: LoaderConfig,
  ) {
    if (!(source.size > 0)) throw new Error('data loader: the source has no samples');
    this.builder = createBatchBuilder(config);
    this.perEpoch = batchesPerEpoch(source.size, config.batchSize, config.dropLast);
    if (this.perEpoch === 0) {
      throw new Error(
        `data loader: ${source.size} samples make no full batch of ${config.batchSize} (dropLast)`,
      );
    }
  }

  /** Dataset indices of batch `index` of epoch `epoch`. */
  samplesOf(epoch: number, index: number): Int32Array {
    if (epoch !== this.orderEpoch) {
      this.order = epochOrder(this.source.size, this.config.seed, epoch, this.config.shuffle);
      this.orderEpoch = epoch;
    }
    return batchSamples(this.order, index, this.config.batchSize);
  }

  /** Reads, augments and voxelises batch `index` of epoch `epoch`. */
  async build(epoch: number, index: number): Promise<Batch> {
    const ids = this.samplesOf(epoch, index);
    const { seed } = this.config;
    if (this.source.kind === 'scenes') {
      const samples: SceneSample[] = [];
      for (const i of ids) samples.push(await this.source.read(i));
      return this.builder.scenes(
        samples,
        Array.from(ids, (i) => sampleSeed(seed, epoch, i, 0)),
        epoch,
        index,
      );
    }
    const samples: PairSample[] = [];
    for (const i of ids) samples.push(await this.source.read(i));
    const seeds = Array.from(
      ids,
      (i) => [sampleSeed(seed, epoch, i, 0), sampleSeed(seed, epoch, i, 1)] as const,
    );
    return this.builder.pairs(samples, seeds, epoch, index);
  }
}
