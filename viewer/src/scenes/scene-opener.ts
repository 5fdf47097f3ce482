/**
 * Opening scenes of the list: loads one (an opened file's bytes or a listed scene's URL, parsed in
 * the worker; a cloud made in the page as it is), reporting progress and failures, the newest
 * request winning (older ones are dropped when they finish, never cancelled); or tries scenes in
 * turn from one until one loads, the failures named in the status line.
 */
import { CloudLoader, type Loaded, type LoadTimings } from './loader.js';
import type { SceneList, SceneRef } from './scene-list.js';
import type { StatusLine } from '../panels/status-line.js';

/** What the last scene load cost, up to the first frame drawn with it (ms). */
export interface LoadRecord extends LoadTimings {
  scene: string;
  points: number;
  bytes: number;
  /** From the load request to the first frame drawn with the new scene. */
  total: number;
  /** performance.now() at that first frame (ms since navigation start). */
  sincePageStart: number;
}

/** What the app does around a load. */
export interface OpenerHooks {
  /** Scene `ref` is about to load: it becomes the scene of the state and the panel. */
  selected(ref: SceneRef): void;
  /** Scene `ref` loaded and is still wanted: show it (`t0`: when its load began). */
  show(ref: SceneRef, loaded: Loaded, keepLinkState: boolean, t0: number): void;
  /** Shows a message to the user. */
  warn(msg: string, sticky: boolean): void;
}

export class SceneOpener {
  private readonly loader = new CloudLoader();
  /** Number of the newest load request. */
  private latest = 0;

  constructor(
    private readonly scenes: SceneList,
    private readonly status: StatusLine,
    private readonly hooks: OpenerHooks,
  ) {}

  /**
   * Loads scene `i`, and when it fails the next ones in direction `dir` until one loads (each
   * tried once); the failures stay on screen, named. Resolves to the index shown, or -1.
   */
  async openFirstLoadable(i: number, dir: 1 | -1, keepLinkState = false): Promise<number> {
    const n = this.scenes.count;
    const failed: string[] = [];
    const first = this.latest + 1;
    for (let k = 0; k < n; k++) {
      const j = (((i + dir * k) % n) + n) % n;
      const ok = await this.loadScene(j, keepLinkState && k === 0);
      if (ok) {
        if (failed.length)
          this.status.failedNote = `${failed.join(', ')}: could not load; showing ${this.scenes.refs[j].name}`;
        this.status.set();
        return j;
      }
      if (this.latest !== first + k) return -1; // the user asked for another scene meanwhile
      failed.push(this.scenes.refs[j].name);
    }
    this.status.set(
      `${failed.join(', ')}: could not load (see the messages above); drop a PLY/PCD file here`,
    );
    return -1;
  }

  /** Loads scene `i` (true when shown); with `keepLinkState` the camera and range of the URL are kept. */
  async loadScene(i: number, keepLinkState = false): Promise<boolean> {
    const ref = this.scenes.refs[i];
    if (!ref) return false;
    this.status.failedNote = '';
    const request = ++this.latest;
    const t0 = performance.now();
    this.scenes.index = i;
    this.hooks.selected(ref);
    this.status.set(`loading ${ref.name}…`);
    let loaded: Loaded;
    try {
      loaded = ref.cloud
        ? { cloud: ref.cloud, bytes: 0, timings: { fetch: 0, parse: 0, prepare: 0 } }
        : await this.fetch(ref, request);
    } catch (e) {
      if (request !== this.latest) return false;
      this.hooks.warn(`${ref.name}: ${(e as Error).message}`, true);
      this.status.set(`${ref.name}: could not load (see the message above)`);
      return false;
    }
    if (request !== this.latest) return false;
    this.hooks.show(ref, loaded, keepLinkState, t0);
    return true;
  }

  /** Fetches and parses a listed scene or an opened file in the worker, with progress. */
  private async fetch(ref: SceneRef, request: number): Promise<Loaded> {
    const source = ref.file ? { buffer: await ref.file.arrayBuffer() } : { url: ref.url ?? '' };
    return this.loader.load(source, ref.fileName, (done, total) => {
      if (request === this.latest)
        this.status.set(`loading ${ref.name}… ${Math.round((100 * done) / total)} %`);
    });
  }
}
