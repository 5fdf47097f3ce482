/**
 * The transfer methods of `bench transfer --methods` (docs/transfer-methods.md): one table maps each method to its
 * backbone (pre-trained, scratch, or RadReg's own pre-training arm) and its fine-tuning overrides
 * (the phase-2 contract's config keys), and the arms a method list expands to.
 */

/** Every method `--methods` accepts, in the order tables list them. */
export const TRANSFER_METHODS = [
  'baseline',
  'scratch',
  'prototype',
  'prototype-a1',
  'prototype-a2',
  'prototype-probe',
  'scratch-prototype',
  'lora',
  'bn',
  'head',
  'smart',
  'lwf',
  'lwf-absent',
  'groups',
  'groups-random',
  'radreg',
  'synthetic-mix',
  'synthetic-joint',
  'complement',
] as const;

/** A `--methods` entry. */
export type TransferMethod = (typeof TRANSFER_METHODS)[number];

/** Where a method's fine-tuning starts and what it changes in the fine-tuning config. */
export interface MethodSpec {
  /**
   * The pre-trained backbone, none, a backbone pre-trained with `regularizer: radreg`, or every
   * init, scratch included (a data method: bench real-transfer runs it from each init).
   */
  init: 'pretrained' | 'scratch' | 'radreg' | 'any';
  /** Labelled synthetic rooms mixed into the training scenes (`data.mix`): bench real-transfer only. */
  mixesRooms?: true;
  /**
   * Scored with the complement rule (tasks/segment/complement.ts): the plain fine-tuned network
   * for the classes its labels have, its init (a segmentation network) for the others; it
   * fine-tunes nothing of its own (bench real-transfer scores the baseline cell's network).
   */
  complementsInit?: true;
  /** `--set` overrides of every fine-tuning run of the method (before the user's --finetune-set). */
  finetune: readonly string[];
}

/**
 * The method table. Free values are those chosen on dev scenes (seeds 2000+, docs/benchmarks.md:
 * LoRA lr 0.1, SMART ε 0.1, grouping ρ 0.5; the prototype head keeps the pre-training τ); change
 * them with `--finetune-set <method>:key=value`.
 */
export const METHOD_TABLE: Readonly<Record<TransferMethod, MethodSpec>> = {
  baseline: { init: 'pretrained', finetune: [] },
  scratch: { init: 'scratch', finetune: [] },
  prototype: { init: 'pretrained', finetune: ['head.type=prototype', 'head.form=A3'] },
  'prototype-a1': { init: 'pretrained', finetune: ['head.type=prototype', 'head.form=A1'] },
  'prototype-a2': { init: 'pretrained', finetune: ['head.type=prototype', 'head.form=A2'] },
  // the reference's prototype probe (backbone frozen; the head trains: the pre-trained output
  // layer and the prototypes) and the ladder's from-scratch control
  'prototype-probe': {
    init: 'pretrained',
    finetune: ['head.type=prototype', 'head.form=A3', 'freezeBackbone=true'],
  },
  'scratch-prototype': { init: 'scratch', finetune: ['head.type=prototype', 'head.form=A3'] },
  lora: { init: 'pretrained', finetune: ['trainable=lora', 'optim.lr=0.1'] },
  bn: { init: 'pretrained', finetune: ['trainable=bn'] },
  // the linear probe: `trainable: head` is the contract's alias of this existing key
  head: { init: 'pretrained', finetune: ['freezeBackbone=true'] },
  smart: { init: 'pretrained', finetune: ['smart.enabled=true', 'smart.epsilon=0.1'] },
  // learning without forgetting: SMART's proximal term alone, its teacher frozen at θ₀ (β = 1),
  // so the fine-tuned network keeps the initial network's predictions where labels are silent
  // (the classes a synthetic-supervised init knows and the few labels lack); μ is SMART's default
  lwf: {
    init: 'pretrained',
    finetune: ['smart.enabled=true', 'smart.lambda=0', 'smart.steps=0', 'smart.beta=1'],
  },
  // the same teacher term on a coarser partition: each class the training labels lack on its own,
  // the labelled classes pooled, so the init's say on the absent classes is kept while the split
  // among the labelled ones is left to the labels
  'lwf-absent': {
    init: 'pretrained',
    finetune: [
      'smart.enabled=true',
      'smart.lambda=0',
      'smart.steps=0',
      'smart.beta=1',
      'smart.partition=absent',
    ],
  },
  groups: { init: 'pretrained', finetune: ['neuronGroups.ratio=0.5'] },
  'groups-random': {
    init: 'pretrained',
    finetune: ['neuronGroups.ratio=0.5', 'neuronGroups.random=true'],
  },
  radreg: { init: 'radreg', finetune: [] },
  // cross-domain room mixing: the bench's labelled synthetic rooms (ScanNet20 classes) placed over
  // the real training room with probability data.mix.p (its schema default), so that classes the
  // real labels lack are trained in a real room's context
  'synthetic-mix': { init: 'any', finetune: [], mixesRooms: true },
  // the same rooms placed beside the real room (data.mix.placement): joint training on both
  // domains in one sample, no synthetic object sharing voxels with a real one
  'synthetic-joint': { init: 'any', finetune: ['data.mix.placement=beside'], mixesRooms: true },
  // plain fine-tuning, scored with the synthetic-supervised init answering for the classes the
  // labels lack (at the all budget: its thresholds are calibrated on the labelled points)
  complement: { init: 'pretrained', finetune: [], complementsInit: true },
};

/** Methods only `bench real-transfer` runs: they need its labelled synthetic rooms or its inits. */
export function onlyRealTransfer(method: TransferMethod): boolean {
  const spec = METHOD_TABLE[method];
  return Boolean(spec.mixesRooms || spec.complementsInit);
}

/** Parses a `--methods` list; unknown names are an error listing the valid ones. */
export function parseMethods(list: string): TransferMethod[] {
  const names = list
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (names.length === 0) throw new Error('--methods: expected a comma-separated list of methods');
  for (const n of names)
    if (!(TRANSFER_METHODS as readonly string[]).includes(n))
      throw new Error(`--methods: unknown method '${n}' (expected some of ${TRANSFER_METHODS.join(', ')})`);
  return [...new Set(names)] as TransferMethod[];
}

/** One column of the benchmark: a method fine-tuned from one initialisation. */
export interface TransferArm {
  /** Row label (the method; a further pre-training loss's baseline is labelled by the loss). */
  label: string;
  method: TransferMethod;
  /** Cache key of the initialisation: 'scratch', the loss name, or `<loss>+radreg`. */
  init: string;
}

/**
 * The arms of a method list: `baseline` once per pre-training loss (the first labelled
 * `baseline`, the others by their loss, as the loss columns of earlier tables); every other
 * pre-trained method starts from the first loss's backbone.
 */
export function transferArms(methods: readonly TransferMethod[], losses: readonly string[]): TransferArm[] {
  const arms: TransferArm[] = [];
  for (const method of methods) {
    const spec = METHOD_TABLE[method];
    if (onlyRealTransfer(method))
      throw new Error(
        `--methods ${method}: ${spec.mixesRooms ? 'mixes labelled synthetic rooms into real training scenes' : 'scores a fine-tuned network with its synthetic-supervised init'}; only bench real-transfer runs it`,
      );
    if (spec.init === 'scratch') {
      arms.push({ label: method, method, init: 'scratch' });
      continue;
    }
    if (losses.length === 0)
      throw new Error(`--methods ${method}: needs a pre-trained backbone, but --losses is empty`);
    if (method === 'baseline')
      losses.forEach((loss, i) => arms.push({ label: i === 0 ? 'baseline' : loss, method, init: loss }));
    else
      arms.push({ label: method, method, init: spec.init === 'radreg' ? `${losses[0]}+radreg` : losses[0] });
  }
  return arms;
}

/** A cached run's method: runs written before `--methods` existed are scratch or baseline. */
export function runMethod(r: { init: string; method?: string }): string {
  return r.method ?? (r.init === 'scratch' ? 'scratch' : 'baseline');
}

/**
 * The fine-tuning overrides of `method`: the table's, then the user's `--finetune-set` entries
 * (an entry `<method>:key=value` applies to that method only).
 */
export function methodOverrides(method: TransferMethod, finetuneSet: readonly string[] = []): string[] {
  const user: string[] = [];
  for (const s of finetuneSet) {
    const m = /^([a-z0-9-]+):([^=]+=.*)$/.exec(s);
    if (m && (TRANSFER_METHODS as readonly string[]).includes(m[1])) {
      if (m[1] === method) user.push(m[2]);
    } else user.push(s);
  }
  return [...METHOD_TABLE[method].finetune, ...user];
}

/** A run folder's name (baseline and scratch keep the names earlier benches used, so their runs are reused). */
export function armRunName(protocol: string, budget: number, arm: TransferArm, seed: number): string {
  const tag = arm.method === 'baseline' || arm.method === 'scratch' ? arm.init : arm.method;
  return protocol === 'scenes-per-seed'
    ? `scenes${budget}-per-seed-${tag}-s${seed}`
    : `${protocol}${budget}-${tag}-s${seed}`;
}

/** The trainable-parameter count a fine-tuning run's summary.md reports, if it does. */
export function trainableFromSummary(summaryMd: string): number | null {
  const m = /^- trainable parameters: (\d+)/m.exec(summaryMd);
  return m ? Number(m[1]) : null;
}
