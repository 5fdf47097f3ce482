/**
 * Class colours and visibility as a 256×1 RGBA look-up texture indexed by the raw class id
 * (never by sorted position; Open3D-ML#461), alpha 0 hiding a class (Potree's scheme).
 */
import { generatedClassColor, type Rgb } from './colors.js';

/** Width of the label LUT: ids 0..255 have their own texel; larger ids use the "other" colour. */
export const LUT_SIZE = 256;

/** Colour of every id ≥ LUT_SIZE (they share one legend row and one visibility flag). */
export const OTHER_COLOR: [number, number, number] = [204, 204, 204];
/** Legend name of the ids ≥ LUT_SIZE. */
export const OTHER_NAME = `ids ≥ ${LUT_SIZE}`;

/** A class as the viewer needs it. */
export interface ViewerClass {
  id: number;
  name: string;
  color: Rgb;
}

/** The colour of class `id`: its palette entry, else a generated one. */
export function classColor(id: number, byId: ReadonlyMap<number, ViewerClass>): Rgb {
  return byId.get(id)?.color ?? generatedClassColor(id);
}

/** The display name of class `id` (`class <id>` when the label set does not name it). */
export function className(id: number, byId: ReadonlyMap<number, ViewerClass>, ignoreLabel = -1): string {
  if (id < 0 || id === ignoreLabel) return 'ignore';
  return byId.get(id)?.name ?? `class ${id}`;
}

/** Indexes classes by id. */
export function classesById(classes: readonly ViewerClass[]): Map<number, ViewerClass> {
  return new Map(classes.map((c) => [c.id, c]));
}

/** Builds the RGBA texels: texel `id` = class colour, alpha 0 when `hidden` holds the id. */
export function buildLabelLut(classes: readonly ViewerClass[], hidden: ReadonlySet<number>): Uint8Array {
  const byId = classesById(classes);
  const out = new Uint8Array(LUT_SIZE * 4);
  for (let id = 0; id < LUT_SIZE; id++) {
    const c = classColor(id, byId);
    out[id * 4] = c[0];
    out[id * 4 + 1] = c[1];
    out[id * 4 + 2] = c[2];
    out[id * 4 + 3] = hidden.has(id) ? 0 : 255;
  }
  return out;
}

/** A label set re-keyed by its raw ids (e.g. scannet20 classes addressed by NYU40 id). */
export function classesByRawId(classes: readonly (ViewerClass & { raw?: number })[]): ViewerClass[] {
  return classes
    .filter((c) => c.raw !== undefined)
    .map((c) => ({ id: c.raw as number, name: c.name, color: c.color }));
}
