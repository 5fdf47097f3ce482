/**
 * The backbone a fine-tuning run builds when it starts from a pre-trained checkpoint: the keys
 * that give the network its shapes come from the checkpoint when the config's differ, unless the
 * user set them (then the mismatch is an error naming both).
 */
import { readCheckpointMeta } from './checkpoint.js';

/** The model keys that give a backbone its parameter shapes (input width aside: see adaptStem). */
export const SHAPE_KEYS = ['backbone', 'stemKernel'] as const;
type ShapeKey = (typeof SHAPE_KEYS)[number];

/** What a fine-tuning config's model section has of those keys. */
type ShapeModel = { [K in ShapeKey]: unknown };

/**
 * The model section to build for a run initialised from `init`: each shape key the checkpoint
 * records with another value is taken from the checkpoint (one note per key says so), unless
 * `explicit(key)` names where the user set it, which is an error naming both values.
 */
export function initArchitecture<M extends ShapeModel>(
  model: M,
  init: string,
  explicit: (key: string) => string | undefined,
): { model: M; notes: string[] } {
  const { dir, meta } = readCheckpointMeta(init);
  const arch = meta.architecture;
  const out = { ...model };
  const notes: string[] = [];
  for (const key of SHAPE_KEYS) {
    const theirs = arch[key];
    if (theirs === undefined || theirs === model[key]) continue;
    const where = explicit(`model.${key}`);
    if (where !== undefined) {
      throw new Error(
        `${dir}: the checkpoint's ${key} (${String(theirs)}) does not match model.${key} ${String(model[key])} (set by ${where}); ` +
          `init from a checkpoint with ${key} ${String(model[key])}, or leave model.${key} unset to fine-tune the checkpoint's`,
      );
    }
    (out as Record<string, unknown>)[key] = theirs;
    notes.push(
      `model.${key} ${String(theirs)} taken from the init checkpoint ${dir} (the config's default was ${String(model[key])})`,
    );
  }
  return { model: out, notes };
}
