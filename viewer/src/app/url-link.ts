/**
 * The link: the view state mirrored in the URL hash. It is read at start and after every edit of
 * the hash (a bad value is reported and its default used), and written back with
 * history.replaceState 200 ms after the last change, so camera moves make no history entries.
 * An edit of the hash made while a write is pending wins: the write is dropped, and the
 * hashchange that follows the edit reads it.
 */
import { decodeState, encodeState, type ViewState } from './url-state.js';

export class UrlLink {
  private timer = 0;
  /** The hash as this link last read or wrote it; anything else in the URL is an edit not yet read. */
  private known: string;

  constructor(
    /** Reports a problem of the link to the user. */
    private readonly warn: (msg: string) => void,
    /** The state to write. */
    private readonly state: () => ViewState,
  ) {
    this.known = location.hash;
  }

  /** The state the URL carries now; its problems are reported as `link: …`. */
  read(): ViewState {
    this.known = location.hash;
    const { state, problems } = decodeState(this.known);
    for (const p of problems) this.warn(`link: ${p}`);
    return state;
  }

  /** Writes the state into the URL once changes pause, unless the hash was edited meanwhile. */
  schedule(): void {
    clearTimeout(this.timer);
    this.timer = window.setTimeout(() => {
      if (location.hash !== this.known) return; // an edit whose hashchange has not run yet
      const hash = encodeState(this.state());
      if (hash !== location.hash) history.replaceState(null, '', hash || location.pathname + location.search);
      this.known = location.hash;
    }, 200);
  }
}
