/**
 * The point budget while the camera moves: it starts at 1 M and adapts to how late animation
 * frames arrive (browsers hold requestAnimationFrame back while the GPU is busy), so a scene of
 * millions of points stays responsive on a slow GPU; the full budget is drawn once it stops.
 */

/** Starting moving budget. */
export const INTERACTIVE_BUDGET = 1_000_000;
/** The moving budget never drops below this… */
export const MIN_INTERACTIVE_BUDGET = 50_000;
/** …nor grows above this. */
export const MAX_INTERACTIVE_BUDGET = 4_000_000;

/** Next moving budget after a frame that came `latencyMs` after it was requested. */
export function adaptInteractiveBudget(budget: number, latencyMs: number): number {
  if (latencyMs > 40) return Math.max(MIN_INTERACTIVE_BUDGET, Math.round(budget * 0.6));
  if (latencyMs < 20) return Math.min(MAX_INTERACTIVE_BUDGET, Math.round(budget * 1.2));
  return budget;
}
