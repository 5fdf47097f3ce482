/**
 * The link: the view state mirrored in the URL hash. It is read at start and after every edit of
 * the hash (a bad value is reported and its default used), and written back with
 * history.replaceState 200 ms after the last change, so camera moves make no history entries.
 */
import { decodeState, encodeState, type ViewState } from './url-state.js';

export class UrlLink {
  private timer = 0;

  constructor(
    /** Reports a problem of the link to the user. */
    private readonly warn: (msg: string) => void,
    /** The state to write. */
    private readonly state: () => ViewState,
  ) {}

  /** The state the URL carries now; its problems are reported as `link: …`. */
  read(): ViewState {
    const { state, problems } = decodeState(location.hash);
    for (const p of problems) this.warn(`link: ${p}`);
    return state;
  }

  /** Writes the state into the URL once changes pause. */
  schedule(): void {
    clearTimeout(this.timer);
    this.timer = window.setTimeout(() => {
      const hash = encodeState(this.state());
      if (hash !== location.hash) history.replaceState(null, '', hash || location.pathname + location.search);
    }, 200);
  }
}
