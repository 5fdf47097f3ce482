/**
 * Optimizers with PyTorch semantics and serialisable state (for exact resume): SGD with
 * momentum, dampening, Nesterov and L2 weight decay; Adam (L2) and AdamW (decoupled decay).
 * Optional clipping of the global gradient norm.
 */
import * as tf from '@tensorflow/tfjs';
import { tidyScalar } from '../sparse/read.js';
import { z } from 'zod';

export const optimizerSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('sgd'),
    lr: z.number().positive(),
    momentum: z.number().min(0).max(1).default(0.9),
    dampening: z.number().min(0).max(1).default(0),
    weightDecay: z.number().min(0).default(0),
    nesterov: z.boolean().default(false),
    clipGradNorm: z.number().positive().nullable().default(null),
  }),
  z.strictObject({
    type: z.enum(['adam', 'adamw']),
    lr: z.number().positive(),
    beta1: z.number().min(0).max(1).default(0.9),
    beta2: z.number().min(0).max(1).default(0.999),
    eps: z.number().positive().default(1e-8),
    weightDecay: z.number().min(0).default(0),
    clipGradNorm: z.number().positive().nullable().default(null),
  }),
]);
export type OptimizerConfig = z.output<typeof optimizerSchema>;

/** Named state tensors (buffers per parameter + step), for checkpoints. */
export type OptimizerState = { name: string; tensor: tf.Tensor }[];

export class Optimizer {
  #step = 0;
  readonly #slots = new Map<string, tf.Variable[]>();

  constructor(readonly config: OptimizerConfig) {}

  get step(): number {
    return this.#step;
  }

  /** Global L2 norm of the gradients (a number). */
  static globalNorm(grads: tf.Tensor[]): number {
    return Math.sqrt(tidyScalar(() => tf.addN(grads.map((g) => tf.sum(tf.square(g))))));
  }

  #slot(name: string, v: tf.Variable, count: number): tf.Variable[] {
    let s = this.#slots.get(name);
    if (!s) {
      s = Array.from({ length: count }, () => tf.variable(tf.zerosLike(v), false));
      this.#slots.set(name, s);
    }
    return s;
  }

  /**
   * Applies one update with learning rate `lr` to named variables and their gradients.
   * Returns the gradient norm before clipping.
   */
  apply(params: [string, tf.Variable][], grads: Map<string, tf.Tensor>, lr: number): number {
    const c = this.config;
    const list = params.filter(([n]) => grads.has(n));
    const norm = Optimizer.globalNorm(list.map(([n]) => grads.get(n)!));
    const scale = c.clipGradNorm !== null && norm > c.clipGradNorm ? c.clipGradNorm / (norm + 1e-6) : 1;
    this.#step++;
    const t = this.#step;
    tf.tidy(() => {
      for (const [name, p] of list) {
        let g = grads.get(name)!;
        if (scale !== 1) g = tf.mul(g, scale);
        if (c.type === 'sgd') {
          if (c.weightDecay > 0) g = tf.add(g, tf.mul(p, c.weightDecay));
          if (c.momentum > 0) {
            const [buf] = this.#slot(name, p, 1);
            const next = t === 1 ? g : tf.add(tf.mul(buf, c.momentum), tf.mul(g, 1 - c.dampening));
            buf.assign(next);
            g = c.nesterov ? tf.add(g, tf.mul(next, c.momentum)) : next;
          }
          p.assign(tf.sub(p, tf.mul(g, lr)));
        } else {
          if (c.type === 'adam' && c.weightDecay > 0) g = tf.add(g, tf.mul(p, c.weightDecay));
          const [m, v] = this.#slot(name, p, 2);
          m.assign(tf.add(tf.mul(m, c.beta1), tf.mul(g, 1 - c.beta1)));
          v.assign(tf.add(tf.mul(v, c.beta2), tf.mul(tf.square(g), 1 - c.beta2)));
          const mhat = tf.div(m, 1 - c.beta1 ** t);
          const vhat = tf.div(v, 1 - c.beta2 ** t);
          let next: tf.Tensor = p;
          if (c.type === 'adamw' && c.weightDecay > 0) next = tf.mul(next, 1 - lr * c.weightDecay);
          p.assign(tf.sub(next, tf.mul(tf.div(mhat, tf.add(tf.sqrt(vhat), c.eps)), lr)));
        }
      }
    });
    return norm;
  }

  /** State for checkpoints: step and every slot, named `<param>/<slot index>`. */
  state(): OptimizerState {
    const out: OptimizerState = [{ name: 'step', tensor: tf.scalar(this.#step, 'int32') }];
    for (const [name, slots] of this.#slots)
      slots.forEach((s, i) => out.push({ name: `${name}/${i}`, tensor: s }));
    return out;
  }

  /** Restores state written by `state()` (shapes are checked against the parameters). */
  restore(state: Map<string, tf.Tensor>, params: [string, tf.Variable][]): void {
    const step = state.get('step');
    this.#step = step ? step.dataSync()[0] : 0;
    const count = this.config.type === 'sgd' ? (this.config.momentum > 0 ? 1 : 0) : 2;
    for (const [name, p] of params) {
      if (!state.has(`${name}/0`)) continue;
      const slots = this.#slot(name, p, count);
      slots.forEach((s, i) => {
        const t = state.get(`${name}/${i}`);
        if (!t) throw new Error(`optimizer state lacks ${name}/${i}`);
        if (t.shape.join() !== p.shape.join())
          throw new Error(`optimizer state ${name}/${i}: shape ${t.shape} ≠ ${p.shape}`);
        s.assign(t);
      });
    }
  }

  dispose(): void {
    for (const s of this.#slots.values()) s.forEach((v) => v.dispose());
    this.#slots.clear();
  }
}
