/**
 * The scenes the viewer can show: those the `view` server lists (with its predictions index and
 * the label sets it offers), files opened in the page and clouds made in the page (segmented
 * files); which one is shown, and which classes colour it.
 */
import type { LabelSet, SceneEntry, SceneListing } from '../../../src/core/viewer-contract.js';
import { resolveSceneClasses, type SceneClasses } from './scene-classes.js';
import type { ViewerCloud } from './viewer-cloud.js';

/** One entry of the scene list. */
export interface SceneRef {
  name: string;
  fileName: string;
  url?: string;
  file?: File;
  entry?: SceneEntry;
  /** A cloud made in the page (segmented file), shown without loading. */
  cloud?: ViewerCloud;
  /** Classes that come with the scene (the segmentation model's). */
  classes?: SceneClasses;
}

/** GET a JSON API answer; a non-2xx answer throws with the server's message. */
export async function fetchJson(url: string): Promise<unknown> {
  const res = await fetch(url, { cache: 'no-store' });
  const body = await res.text();
  if (!res.ok) {
    let msg = body.trim();
    try {
      msg = (JSON.parse(body) as { error?: string }).error ?? msg;
    } catch {
      // plain-text error body
    }
    throw new Error(`${url}: HTTP ${res.status}: ${msg}`);
  }
  return JSON.parse(body);
}

export class SceneList {
  /** The server's answer (null without a server). */
  listing: SceneListing | null = null;
  /** The label sets the server offers for plain scans. */
  labelSets: LabelSet[] = [];
  refs: SceneRef[] = [];
  /** Index of the scene shown or being loaded (-1 before the first). */
  index = -1;

  /** Fetches the scene list and the label sets; throws when there is no server. */
  async fetch(): Promise<SceneListing> {
    const [scenes, sets] = await Promise.all([fetchJson('api/scenes'), fetchJson('api/label-sets')]);
    this.listing = scenes as SceneListing;
    this.labelSets = (sets as { labelSets: LabelSet[] }).labelSets;
    return this.listing;
  }

  /** Makes the listed scenes the list (each with its predictions index entry). */
  useListing(listing: SceneListing): void {
    const index = listing.index;
    this.refs = listing.scenes.map((s) => ({
      name: s.name,
      fileName: s.url.split('/').pop() ?? s.name,
      url: s.url.replace(/^\//, ''),
      entry: index?.scenes.find((e) => e.name === s.name),
    }));
  }

  get count(): number {
    return this.refs.length;
  }

  /** The scene shown or being loaded. */
  get current(): SceneRef | undefined {
    return this.refs[this.index];
  }

  names(): string[] {
    return this.refs.map((s) => s.name);
  }

  indexOf(name: string | null): number {
    return this.refs.findIndex((s) => s.name === name);
  }

  /** Adds a scene named `name`, or `name (2)`, `name (3)`, … when taken; returns its index. */
  add(name: string, ref: Omit<SceneRef, 'name'>): number {
    let unique = name;
    for (let k = 2; this.refs.some((s) => s.name === unique); k++) unique = `${name} (${k})`;
    this.refs.push({ name: unique, ...ref });
    return this.refs.length - 1;
  }

  /**
   * The classes of the current scene: its own (a segmented file), the predictions index's, or
   * those of the label set `labels` chosen for plain scans.
   */
  classes(labels: string | null): SceneClasses {
    const own = this.current?.classes;
    if (own) return own;
    const index = this.listing?.kind === 'predictions' ? this.listing.index : undefined;
    return resolveSceneClasses(index, this.labelSets, labels);
  }
}
