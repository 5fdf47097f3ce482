/**
 * A named, ordered store of a model's variables (weights, biases, batch-norm γ/β and running
 * statistics). Names are stable across runs ("block1.0.conv1.weight"), which is what
 * checkpoints and same-shape weight loading key on.
 */
import * as tf from '@tensorflow/tfjs';

/** How a parameter is initialised. */
export type Init = { kind: 'uniform'; bound: number } | { kind: 'const'; value: number };

export interface ParamSpec {
  name: string;
  shape: number[];
  init: Init;
  trainable: boolean;
}

/** A deterministic seeded initialiser stream (each parameter gets its own derived seed). */
function seedFor(base: number, index: number): number {
  return (Math.imul(base + 0x9e3779b9, 2654435761) ^ Math.imul(index + 1, 40503)) >>> 0;
}

let variableCounter = 0;

/**
 * Maps a parameter's stored variable to the tensor a layer computes with (LoRA: W + s·A·B).
 * Returns the variable itself for parameters it leaves alone.
 */
export type WeightTransform = (name: string, value: tf.Variable) => tf.Tensor;

export class Params {
  readonly #specs: ParamSpec[] = [];
  readonly #vars = new Map<string, tf.Variable>();
  /** Optional effective-weight hook the conv layers read their kernels through (null = identity). */
  weightTransform: WeightTransform | null = null;
  /** When false, only specs are recorded (parameter counting without allocating). */
  readonly allocate: boolean;
  readonly seed: number;

  constructor(opts: { allocate?: boolean; seed?: number } = {}) {
    this.allocate = opts.allocate ?? true;
    this.seed = opts.seed ?? 0;
  }

  /** Declares a parameter and returns its variable (undefined in counting mode). */
  add(name: string, shape: number[], init: Init, trainable = true): tf.Variable {
    if (this.#specs.some((s) => s.name === name)) throw new Error(`duplicate parameter name ${name}`);
    const spec = { name, shape, init, trainable };
    this.#specs.push(spec);
    if (!this.allocate) return undefined as unknown as tf.Variable;
    const seed = seedFor(this.seed, this.#specs.length);
    const value = tf.tidy(() =>
      init.kind === 'uniform'
        ? tf.randomUniform(shape, -init.bound, init.bound, 'float32', seed)
        : tf.fill(shape, init.value),
    );
    const v = tf.variable(value, trainable, `${name}#${variableCounter++}`);
    value.dispose();
    this.#vars.set(name, v);
    return v;
  }

  get specs(): readonly ParamSpec[] {
    return this.#specs;
  }

  /** Variable by parameter name. */
  get(name: string): tf.Variable {
    const v = this.#vars.get(name);
    if (!v) throw new Error(`unknown parameter ${name}`);
    return v;
  }

  /** The tensor a layer computes with for parameter `name` (the variable unless a transform is set). */
  effective(name: string): tf.Tensor {
    const v = this.get(name);
    return this.weightTransform ? this.weightTransform(name, v) : v;
  }

  /** Whether a parameter of this name has been declared. */
  has(name: string): boolean {
    return this.#specs.some((s) => s.name === name);
  }

  /** [name, variable] pairs in declaration order. */
  entries(): [string, tf.Variable][] {
    return [...this.#vars.entries()];
  }

  /** Trainable variables in declaration order. */
  trainable(): tf.Variable[] {
    return this.#specs.filter((s) => s.trainable).map((s) => this.get(s.name));
  }

  /** Number of trainable scalars (from the specs; works in counting mode). */
  count(): number {
    let n = 0;
    for (const s of this.#specs) if (s.trainable) n += s.shape.reduce((a, b) => a * b, 1);
    return n;
  }

  dispose(): void {
    for (const v of this.#vars.values()) v.dispose();
    this.#vars.clear();
  }
}
