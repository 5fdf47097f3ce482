/**
 * Where a fine-tuning run starts: a pre-trained backbone loaded by same-shape parameter names
 * (the head is new; any other mismatch is an error listing the layers), a stem adapted to extra
 * input channels, and the trainable set of linear probing.
 */
import * as tf from '@tensorflow/tfjs';
import { loadWeights, type LoadReport } from '../models/build.js';
import type { Params } from '../models/params.js';
import { loadCheckpoint } from './checkpoint.js';

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
 * A backbone pre-trained on constant-one inputs ('ones', 3 identical channels) fine-tuned with
 * 'ones-rgb' (1, r, g, b): the stem's constant channel gets the sum of the three pre-trained
 * input channels and the colour channels start at zero, so at initialisation the network
 * computes exactly what was pre-trained and learns to use colour during fine-tuning.
 */
export function adaptStem(params: Params, weights: Map<string, tf.Tensor>, from?: string, to?: string): void {
  const w = weights.get(STEM);
  if (!w || from !== 'ones' || to !== 'ones-rgb') return;
  const target = params.get(STEM);
  const [vol, cin, cout] = w.shape;
  if (cin !== 3 || target.shape[1] !== 4 || target.shape[0] !== vol || target.shape[2] !== cout) return;
  const adapted = tf.tidy(() => tf.concat([tf.sum(w, 1, true), tf.zeros([vol, 3, cout])], 1));
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
