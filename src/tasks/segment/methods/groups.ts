/**
 * Neuron grouping as a trainer hook: at the start of a new run, every conv + BN layer's output
 * channels are grouped by their activations at θ₀ on fixed training voxels (or at random with
 * the same sizes, the control) and the grouping is written to `neuron-groups.json` (read back on
 * resume); every step each member's gradient becomes its group's mean.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { TrainHook } from '../../../train/hooks.js';
import type { VoxelBatch } from '../../../data/loader/types.js';
import { writeJsonAtomic } from '../../../data/io/atomic-write.js';
import {
  buildNeuronGroups,
  neuronLayers,
  recordActivations,
  tieGradients,
  type GroupedLayer,
} from '../../../models/neuron-groups.js';
import type { Res16UNet } from '../../../models/res16unet.js';
import type { SegConfig } from '../schema.js';
import { keptPoints, sceneVoxels, sparseBatch, stackScenes, type SceneVoxels } from './inputs.js';
import type { ImprintOptions } from './prototype.js';

/** What `neuron-groups.json` holds. */
export interface NeuronGroupsFile {
  ratio: number;
  random: boolean;
  voxels: number;
  layers: { conv: string; bn: string; channels: number; count: number; groups: number[] }[];
}

/** Groups the layers of `net` from its activations on the selection's first scenes (≥ `voxels` rows). */
export function groupNetwork(
  net: Res16UNet,
  groups: SegConfig['neuronGroups'],
  scenes: Omit<ImprintOptions, 'seed'>,
  seed: number,
): GroupedLayer[] {
  const ratio = groups.ratio;
  if (ratio === null) throw new Error('groupNetwork: neuronGroups.ratio is null');
  const keep = keptPoints(scenes.selection);
  const picked: SceneVoxels[] = [];
  let rows = 0;
  for (const name of scenes.selection.scenes) {
    const s = sceneVoxels(
      scenes.ds,
      name,
      scenes.voxelSize,
      scenes.features,
      keep?.[name],
      scenes.selection.ignoreClasses,
    );
    picked.push(s);
    rows += s.labels.length;
    if (rows >= groups.voxels) break;
  }
  const batch = stackScenes(picked);
  let acts: ReturnType<typeof recordActivations> = new Map();
  tf.tidy(() => {
    acts = recordActivations(net, sparseBatch(batch), groups.voxels, seed);
  });
  return buildNeuronGroups(neuronLayers(net), acts, ratio, seed, groups.random);
}

/** The neuron-grouping hook of a run (null when `neuronGroups.ratio` is null). */
export function neuronGroupsHook(
  net: Res16UNet,
  groups: SegConfig['neuronGroups'],
  scenes: Omit<ImprintOptions, 'seed'>,
  seed: number,
): TrainHook<VoxelBatch> | null {
  if (groups.ratio === null) return null;
  let layers: GroupedLayer[] = [];
  return {
    name: 'neuron-groups',
    start({ run, resumed }) {
      const file = join(run.path, 'neuron-groups.json');
      if (resumed) {
        if (!existsSync(file))
          throw new Error(`${file}: missing (the run's neuron groups are needed to resume)`);
        const saved = JSON.parse(readFileSync(file, 'utf8')) as NeuronGroupsFile;
        layers = saved.layers.map((l) => ({ ...l, groups: Int32Array.from(l.groups) }));
        return;
      }
      layers = groupNetwork(net, groups, scenes, seed);
      const out: NeuronGroupsFile = {
        ratio: groups.ratio!,
        random: groups.random,
        voxels: groups.voxels,
        layers: layers.map((l) => ({
          conv: l.conv,
          bn: l.bn,
          channels: l.channels,
          count: l.count,
          groups: Array.from(l.groups),
        })),
      };
      writeJsonAtomic(file, out);
    },
    gradients(grads) {
      return Object.fromEntries(tieGradients(new Map(Object.entries(grads)), layers));
    },
  };
}
