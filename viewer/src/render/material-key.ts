/**
 * Which point material variant draws the cloud in a viewport: the shader mode of the viewer's colour
 * mode, the labels whose look-up alpha hides points, the attributes the cloud has, pick or colour.
 */
import type { AttributeSet, MaterialKey, ShaderMode } from './point-material.js';
import type { Viewport } from './viewports.js';
import type { ViewerCloud } from '../scenes/viewer-cloud.js';

/** Shader mode of a viewer mode id. */
export function shaderModeOf(mode: string): ShaderMode {
  if (mode.startsWith('f:')) return 'scalar';
  return (['rgb', 'gt', 'pred', 'error', 'instance', 'height'] as const).find((m) => m === mode) ?? 'height';
}

/**
 * The material key for `side`: a split side shows its own labels; the single view shows `mode`,
 * filtered by the labels it shows (gt for gt and error), else by gt or pred, whichever the cloud has.
 */
export function materialKey(
  cloud: ViewerCloud | null,
  scalarName: string | null,
  mode: string,
  side: Viewport['side'],
  pick: boolean,
): MaterialKey {
  const c = cloud;
  const attrs: AttributeSet = {
    rgb: !!c?.colors,
    gt: !!c?.gt,
    pred: !!c?.pred,
    instance: !!c?.instance,
    scalar: !!scalarName && !!c?.scalars[scalarName],
  };
  if (side !== 'single') return { mode: side, filter: side, attrs, pick };
  const shaderMode = shaderModeOf(mode);
  const filter =
    shaderMode === 'pred'
      ? 'pred'
      : shaderMode === 'gt' || shaderMode === 'error'
        ? 'gt'
        : attrs.gt
          ? 'gt'
          : attrs.pred
            ? 'pred'
            : null;
  return { mode: shaderMode, filter, attrs, pick };
}
