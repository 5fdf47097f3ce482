/**
 * The view state applied to the 3D view: render settings, the scalar field bound in `f:` modes,
 * the colouring (classes and hidden ones, ignore and error colours, range and ramp) and the
 * scene's boxes. Returns the mode, range and ramp in effect, which the legend and panel show.
 */
import type { Box } from '../../../src/core/viewer-contract.js';
import { parseHexColor } from '../colors/colors.js';
import type { RampName } from '../colors/color-ramp.js';
import { classColor, className, classesById } from '../colors/label-lut.js';
import { ERROR_COLORS, IGNORE_COLOR } from '../panels/legend-content.js';
import type { View3D } from '../render/view3d.js';
import { autoRange, type SceneClasses } from '../scenes/scene-classes.js';
import type { ViewState } from './url-state.js';

/** Mode, scalar range and ramp in effect. */
export interface AppliedLook {
  mode: string;
  range: [number, number];
  ramp: RampName;
}

/** Pushes `s` into `v` (classes `shown`, boxes of the scene `boxes`); the caller requests the frame. */
export function applyStateToView(
  v: View3D,
  s: ViewState,
  shown: SceneClasses,
  boxes: { gt?: Box[]; pred?: Box[] } | undefined,
): AppliedLook {
  const mode = s.mode ?? 'height';
  Object.assign(v.settings, {
    mode,
    split: s.split,
    pointSize: s.pointSize,
    budget: s.budget,
    edl: s.edl,
    edlRadius: s.edlRadius,
    edlStrength: s.edlStrength,
    background: parseHexColor(s.background) ?? [27, 29, 34],
    boxes: s.boxes,
  });
  v.setScalarField(mode.startsWith('f:') ? mode.slice(2) : null);
  const range = s.range ?? autoRange(v.current, mode);
  const ramp: RampName = s.ramp ?? (mode === 'f:confidence' ? 'redgreen' : 'viridis');
  v.setColoring({
    classes: shown.classes,
    hidden: new Set(s.hidden),
    ignoreLabel: shown.ignoreLabel,
    ignoreColor: IGNORE_COLOR,
    errorColors: ERROR_COLORS,
    hiddenErrors: s.hiddenErrors,
    range,
    ramp,
  });
  const byId = classesById(shown.classes);
  const hidden = new Set(s.hidden);
  v.boxes.set(
    boxes,
    (label) => classColor(label, byId),
    (label) => className(label, byId, shown.ignoreLabel),
    (label) => hidden.has(label),
    s.minScore,
  );
  return { mode, range, ramp };
}
