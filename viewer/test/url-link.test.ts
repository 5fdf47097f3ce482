import { afterEach, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { UrlLink } from '../src/app/url-link.js';
import { DEFAULT_STATE, type ViewState } from '../src/app/url-state.js';

/** A page's location, history and timers, enough for UrlLink; timers run when `flush` is called. */
interface FakePage {
  location: { hash: string; pathname: string; search: string };
  writes: string[];
  flush(): void;
}

const saved = { location: globalThis.location, history: globalThis.history, window: globalThis.window };
let page: FakePage;

beforeEach(() => {
  let pending: (() => void) | null = null;
  const location = { hash: '#edl=0', pathname: '/', search: '' };
  const writes: string[] = [];
  page = {
    location,
    writes,
    flush: () => {
      const f = pending;
      pending = null;
      f?.();
    },
  };
  Object.assign(globalThis, {
    location,
    history: {
      replaceState: (_s: unknown, _t: string, url: string) => {
        writes.push(url);
        location.hash = url.startsWith('#') ? url : '';
      },
    },
    window: {
      setTimeout: (f: () => void) => {
        pending = f;
        return 1;
      },
    },
  });
});

afterEach(() => {
  Object.assign(globalThis, saved);
});

const state = (scene: string): ViewState => ({ ...DEFAULT_STATE, scene, edl: false });

test('the link writes the state once changes pause', () => {
  let s = state('room_scan1');
  const link = new UrlLink(assert.fail, () => s);
  assert.equal(link.read().edl, false);
  link.schedule();
  page.flush();
  assert.deepEqual(page.writes, ['#scene=room_scan1&edl=0']);
  s = state('test55');
  link.schedule();
  page.flush();
  assert.deepEqual(page.writes, ['#scene=room_scan1&edl=0', '#scene=test55&edl=0']);
});

test('an edit of the hash before a pending write wins: the write is dropped and the edit is read', () => {
  const s = state('room_scan1');
  const link = new UrlLink(assert.fail, () => s);
  link.read();
  link.schedule(); // e.g. a camera move after room_scan1 was drawn
  page.location.hash = '#scene=test55&edl=0'; // the user edits the URL; hashchange not yet run
  page.flush(); // the timer fires before the hashchange handler
  assert.deepEqual(page.writes, [], 'the edit is not overwritten by the older state');
  assert.equal(link.read().scene, 'test55');
  // once read, the link writes again
  link.schedule();
  page.flush();
  assert.deepEqual(page.writes, ['#scene=room_scan1&edl=0']);
});
