/**
 * A mean-teacher copy of a network's parameters (SMART's Bregman proximal anchor):
 * θ̃ ← β·θ̃ + (1 − β)·θ for every parameter of the student the teacher has by name, BN running
 * statistics included, so the teacher can run in inference mode.
 */
import * as tf from '@tensorflow/tfjs';
import type { Params } from './params.js';

function pairs(teacher: Params, student: Params): [tf.Variable, tf.Variable][] {
  const out: [tf.Variable, tf.Variable][] = [];
  for (const [name, s] of student.entries()) {
    if (!teacher.has(name)) throw new Error(`EMA teacher has no parameter ${name}`);
    const t = teacher.get(name);
    if (t.shape.join('x') !== s.shape.join('x'))
      throw new Error(`EMA teacher ${name}: shape ${t.shape.join('×')} vs student ${s.shape.join('×')}`);
    out.push([t, s]);
  }
  return out;
}

/** Copies every student parameter into the teacher (initialisation: θ̃₀ = θ₀). */
export function copyParams(teacher: Params, student: Params): void {
  for (const [t, s] of pairs(teacher, student)) t.assign(s);
}

/** One EMA step θ̃ ← β·θ̃ + (1 − β)·θ over all parameters, 0 ≤ β ≤ 1. */
export function emaUpdate(teacher: Params, student: Params, beta: number): void {
  if (!(beta >= 0 && beta <= 1)) throw new RangeError(`EMA β must be in [0, 1], got ${beta}`);
  const ps = pairs(teacher, student);
  tf.tidy(() => {
    for (const [t, s] of ps) t.assign(tf.add(tf.mul(t, beta), tf.mul(s, 1 - beta)));
  });
}
