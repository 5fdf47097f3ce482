/**
 * Imprinting of the prototype head (rung A3) at the start of a new run: the normalised mean
 * pre-trained output feature of each class over the training selection's labelled voxels
 * (whole scenes through the network in inference mode, un-augmented); a class without labelled
 * voxels keeps its seeded random unit vector. On resume the prototypes come from the checkpoint.
 */
import * as tf from '@tensorflow/tfjs';
import type { TrainHook } from '../../../train/hooks.js';
import { PrototypeImprinter } from '../../../models/heads/prototype.js';
import type { SegModel } from '../../../models/seg-model.js';
import type { PreparedDataset } from '../../../data/prepared/dataset.js';
import type { Selection } from '../../../data/selection.js';
import type { FeatureMode } from '../../../data/loader/config.js';
import { keptPoints, sceneVoxels, sparseBatch } from './inputs.js';

export interface ImprintOptions {
  ds: PreparedDataset;
  selection: Selection;
  voxelSize: number;
  features: FeatureMode;
  /** Seed of the random vectors of classes without labelled voxels (the head's init seed). */
  seed: number;
  /** Called after each scene (imprinting passes every training scene through the network once). */
  onProgress?: (done: number, total: number) => void;
}

/** Imprints `model`'s prototypes from the selection (returns labelled voxels per class). */
export function imprintPrototypes(model: SegModel, o: ImprintOptions): Float64Array {
  const head = model.prototype;
  if (!head) throw new Error('imprintPrototypes: the model has no prototype head');
  const imprinter = new PrototypeImprinter(head.dim, head.classes, head.form.normalize);
  const keep = keptPoints(o.selection);
  for (const [i, name] of o.selection.scenes.entries()) {
    const s = sceneVoxels(o.ds, name, o.voxelSize, o.features, keep?.[name], o.selection.ignoreClasses);
    const f = tf.tidy(() => {
      const x = sparseBatch(s);
      return model.net.final.apply(model.net.features(x, { training: false })).features.dataSync();
    }) as Float32Array;
    imprinter.add(f, s.labels);
    o.onProgress?.(i + 1, o.selection.scenes.length);
  }
  head.set(imprinter.prototypes(o.seed));
  return imprinter.counts;
}

/** The hook that imprints at the start of a new run when the form asks for it (A3). */
export function imprintHook<B>(model: SegModel, o: ImprintOptions): TrainHook<B> | null {
  if (!model.prototype || !model.prototype.form.imprint) return null;
  return {
    name: 'prototype-imprint',
    start({ resumed }) {
      if (!resumed) imprintPrototypes(model, o);
    },
  };
}
