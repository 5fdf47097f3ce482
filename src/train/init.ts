/**
 * Where a fine-tuning run starts: a pre-trained backbone loaded by same-shape parameter names
 * (the head is new; any other mismatch is an error listing the layers), a stem adapted to extra
 * input channels, and the trainable set of linear probing.
 */
import * as tf from '@tensorflow/tfjs';
import { loadWeights, type LoadReport } from '../models/build.js';
import type { Params } from '../models/params.js';
import { loadCheckpoint } from './checkpoint.js';
import {
  carriesChannels,
  FEATURE_CHANNELS,
  type FeatureChannel,
  type FeatureMode,
} from '../models/input-features.js';

/** A name test for one head prefix or several (detection: the new `head.` and the unused `final.`). */
function headTest(prefix: string | readonly string[]): (name: string) => boolean {
  const list = typeof prefix === 'string' ? [prefix] : prefix;
  return (name) => list.some((p) => name.startsWith(p));
}

/**
 * Loads a pre-trained backbone into `params` by same-shape names. Parameters under `headPrefix`
 * may differ (the head is new); any other mismatch is an error that lists the layers.
 */
export function loadBackbone(
  params: Params,
  init: string,
  headPrefix: string | readonly string[] = 'final.',
  features?: string,
): LoadReport {
  const isHead = headTest(headPrefix);
  const ck = loadCheckpoint(init);
  try {
    const { features: from, backbone } = ck.meta.architecture;
    adaptStem(params, ck.weights, typeof from === 'string' ? from : undefined, features);
    const report = loadWeights(params, ck.weights, 'same-shape', ck.dir);
    const bad = report.skipped.filter((s) => !isHead(s.name));
    if (bad.length > 0) {
      throw new Error(
        `${ck.dir}: the checkpoint's backbone${typeof backbone === 'string' && backbone ? ` (${backbone})` : ''} does not match the network; ${bad.length} layers differ:\n  ` +
          bad
            .slice(0, 25)
            .map((s) => `${s.name}: ${s.reason}`)
            .join('\n  ') +
          (bad.length > 25 ? `\n  … ${bad.length - 25} more` : ''),
      );
    }
    return report;
  } finally {
    tf.dispose([...ck.weights.values()]);
  }
}

const STEM = 'conv0p1s1.weight';

/**
 * A backbone pre-trained on one input layout fine-tuned with a wider one that names every channel
 * it had (models/input-features.ts): each new channel of the stem gets the sum of the pre-trained
 * channels of the same name ('ones' has three constant channels, so its 'one' gets their sum) and
 * the channels it did not have start at zero. At initialisation the network computes exactly what
 * was pre-trained and learns to use the new inputs (colour, height) during fine-tuning:
 * 'ones' → 'ones-rgb', 'ones-height' → 'ones-rgb-height', 'ones' → 'ones-height', 'rgb' → 'ones-rgb'.
 */
export function adaptStem(params: Params, weights: Map<string, tf.Tensor>, from?: string, to?: string): void {
  const w = weights.get(STEM);
  if (!w || !from || !to || from === to || !(from in FEATURE_CHANNELS) || !(to in FEATURE_CHANNELS)) return;
  if (!carriesChannels(from as FeatureMode, to as FeatureMode)) return;
  const src: readonly FeatureChannel[] = FEATURE_CHANNELS[from as FeatureMode];
  const dst: readonly FeatureChannel[] = FEATURE_CHANNELS[to as FeatureMode];
  const target = params.get(STEM);
  const [vol, cin, cout] = w.shape;
  if (
    cin !== src.length ||
    target.shape[1] !== dst.length ||
    target.shape[0] !== vol ||
    target.shape[2] !== cout
  )
    return;
  // The channels of one name are contiguous in every layout: one slice, summed over the channels.
  const adapted = tf.tidy(() =>
    tf.concat(
      dst.map((ch) => {
        const first = src.indexOf(ch);
        if (first < 0) return tf.zeros([vol, 1, cout]);
        const count = src.lastIndexOf(ch) - first + 1;
        return tf.sum(tf.slice(w, [0, first, 0], [vol, count, cout]), 1, true);
      }),
      1,
    ),
  );
  w.dispose();
  weights.set(STEM, adapted);
}

/** Names of the parameters to train: everything, or only the head when probing. */
export function trainableNames(
  params: Params,
  freezeBackbone: boolean,
  headPrefix: string | readonly string[] = 'final.',
): string[] {
  const isHead = headTest(headPrefix);
  return params.specs.filter((s) => s.trainable && (!freezeBackbone || isHead(s.name))).map((s) => s.name);
}
