/**
 * What a furniture builder returns: the object's shape in its own frame (origin at the centre of
 * its footprint on the floor, front towards −y, back at +y = depth/2) and its overall size.
 */
import type { Shape, ShapeBuilder } from '../shape.js';

/** A parametric object ready to be placed. */
export interface Model {
  /** Model name, e.g. 'dining-chair'. */
  kind: string;
  /** Train id. */
  label: number;
  shape: Shape;
  /** Footprint width (x), depth (y) and height (z), metres. */
  w: number;
  d: number;
  h: number;
}

/** Wraps a finished builder as a Model. */
export function model(kind: string, g: ShapeBuilder, w: number, d: number, h: number): Model {
  return { kind, label: g.label, shape: g.shape, w, d, h };
}
