/**
 * The status line (#status): either a given text (loading, failures, hints) or the summary of the
 * scene shown, followed by which scenes failed to load before it.
 */
import { statusText, type StatusFacts } from './hud.js';

export class StatusLine {
  /** Which scenes failed before the one shown (kept after the summary until the next load). */
  failedNote = '';

  constructor(
    private readonly el: HTMLElement,
    /** The facts of the summary; null while no scene is shown. */
    private readonly facts: () => StatusFacts | null,
  ) {}

  /** Shows `text`, or without it the summary of the scene shown (nothing changes before one is). */
  set(text?: string): void {
    if (text !== undefined) {
      this.el.textContent = text;
      return;
    }
    const f = this.facts();
    if (!f) return;
    const note = this.failedNote ? ` (${this.failedNote})` : '';
    this.el.textContent = statusText(f) + note;
  }
}
