/**
 * How labels, errors and scalar fields are coloured, written into the shared point uniforms: the
 * class look-up texture (alpha hides a class), ignore / "other ids" / error colours and their
 * visibility, the scalar range and the ramp texture.
 */
import type { Rgb } from '../colors/colors.js';
import { buildLabelLut, LUT_SIZE, OTHER_COLOR, type ViewerClass } from '../colors/label-lut.js';
import { rampTexels, type RampName } from '../colors/color-ramp.js';
import { setTexels, type PointUniforms } from './point-material.js';

/** The colouring of the points (uniforms and look-up textures). */
export interface Coloring {
  classes: readonly ViewerClass[];
  /** Hidden class ids (-1 hides ignored points). */
  hidden: ReadonlySet<number>;
  ignoreLabel: number;
  ignoreColor: Rgb;
  errorColors: readonly [Rgb, Rgb, Rgb];
  hiddenErrors: readonly number[];
  range: [number, number];
  ramp: RampName;
}

/** Writes `c` into the uniforms every material variant shares. */
export function applyColoring(u: PointUniforms, c: Coloring): void {
  const rgb = (v: Rgb): [number, number, number] => [v[0] / 255, v[1] / 255, v[2] / 255];
  setTexels(u.uLut.value, buildLabelLut(c.classes, c.hidden));
  u.uIgnoreLabel.value = c.ignoreLabel;
  u.uOtherColor.value.set(...rgb(OTHER_COLOR), [...c.hidden].some((id) => id >= LUT_SIZE) ? 0 : 1);
  u.uIgnoreColor.value.set(...rgb(c.ignoreColor), c.hidden.has(-1) ? 0 : 1);
  c.errorColors.forEach((e, k) => u.uErrorColors.value[k].set(...rgb(e)));
  u.uErrorVisible.value.set(
    ...([0, 1, 2].map((k) => (c.hiddenErrors.includes(k) ? 0 : 1)) as [number, number, number]),
  );
  u.uRange.value.set(c.range[0], c.range[1]);
  setTexels(u.uRamp.value, rampTexels(c.ramp));
}
