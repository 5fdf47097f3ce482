/**
 * The panel's values and the view state, both ways: the values that mirror a state, and the state
 * change an edit of one value asks for (colours normalised, an empty range or label set refused).
 */
import { parseHexColor, toHexColor } from '../colors/colors.js';
import type { RampName } from '../colors/color-ramp.js';
import type { ViewState } from '../app/url-state.js';
import type { PanelParams } from './panel.js';

/** Panel values mirroring a view state (with the ramp and range in effect). */
export function paramsFromState(s: ViewState, ramp: string, range: readonly [number, number]): PanelParams {
  return {
    scene: s.scene ?? '',
    mode: s.mode ?? '',
    ramp,
    min: range[0],
    max: range[1],
    labels: s.labels ?? '',
    pointSize: s.pointSize,
    budget: s.budget,
    edl: s.edl,
    edlRadius: s.edlRadius,
    edlStrength: s.edlStrength,
    background: s.background,
    split: s.split,
    boxes: s.boxes,
    minScore: s.minScore,
  };
}

/** The state change asked for by an edit of `key` (`range`: the range in the state now). */
export function stateChangeOf(
  key: keyof PanelParams,
  p: PanelParams,
  range: ViewState['range'],
): Partial<ViewState> {
  switch (key) {
    case 'scene':
      return { scene: p.scene };
    case 'background':
      return { background: toHexColor(parseHexColor(p.background) ?? [0, 0, 0]) };
    case 'min':
    case 'max':
      return { range: p.min < p.max ? [p.min, p.max] : range };
    case 'ramp':
      return { ramp: p.ramp as RampName };
    case 'labels':
      return { labels: p.labels || null };
    default:
      return { [key]: p[key] } as Partial<ViewState>;
  }
}
