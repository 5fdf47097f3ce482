/**
 * Browser-test plumbing: build the viewer from the current sources, launch Debian's chromium with
 * playwright-core (never a downloaded browser), and read the rendered canvas back as a colour
 * histogram for pixel assertions.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { DEFAULT_CHROMIUM, launchChromium } from '../../src/serve/chromium.js';
import { requirePath } from '../../test/helpers/requires.js';

/** `false` when chromium exists, else the reason to skip (with CI=true: throws naming it). */
export const SKIP_BROWSER: false | string = requirePath(
  DEFAULT_CHROMIUM,
  'chromium',
  'apt-get install chromium, or set POINTCONTRAST_CHROMIUM',
);

/**
 * Records `page`'s uncaught errors (and, when `consoleErrors`, its console.error lines) into
 * `into`; returns `into`.
 */
export function watchErrors(page: Page, into: string[] = [], consoleErrors = true): string[] {
  page.on('console', (m) => {
    if (consoleErrors && m.type() === 'error') into.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => into.push(`pageerror: ${e.message}`));
  return into;
}

/** Builds viewer/ into a fresh temp folder (so tests never run a stale dist/viewer); returns it. */
export async function buildViewer(): Promise<string> {
  const { build } = await import('vite');
  const outDir = mkdtempSync(join(tmpdir(), 'pc-viewer-build-'));
  await build({
    configFile: fileURLToPath(new URL('../vite.config.ts', import.meta.url)),
    build: { outDir, emptyOutDir: true },
    logLevel: 'error',
  });
  return outDir;
}

/** Launches chromium with a fresh user-data dir. */
export function launch(viewport = { width: 1000, height: 700 }): Promise<BrowserContext> {
  return launchChromium({ viewport });
}

/** Exact RGB colours of the canvas and how many pixels have each, per horizontal region. */
export interface CanvasColors {
  width: number;
  height: number;
  /** 'r,g,b' → pixel count. */
  counts: Record<string, number>;
}

/**
 * Renders one frame and counts the canvas pixel colours inside the fraction [x0, x1) of the width.
 * The read happens in the same task as the render, so no preserveDrawingBuffer is needed.
 */
export function canvasColors(page: Page, x0 = 0, x1 = 1): Promise<CanvasColors> {
  return page.evaluate(
    ([a, b]) => {
      const app = window.pointcontrastViewer;
      app.view.renderNow();
      const src = app.view.renderer.domElement;
      const c = document.createElement('canvas');
      c.width = src.width;
      c.height = src.height;
      const ctx = c.getContext('2d');
      if (!ctx) throw new Error('no 2d context');
      ctx.drawImage(src, 0, 0);
      const left = Math.floor(a * c.width);
      const right = Math.floor(b * c.width);
      const d = ctx.getImageData(left, 0, right - left, c.height).data;
      const counts: Record<string, number> = {};
      for (let i = 0; i < d.length; i += 4) {
        const k = `${d[i]},${d[i + 1]},${d[i + 2]}`;
        counts[k] = (counts[k] ?? 0) + 1;
      }
      return { width: c.width, height: c.height, counts };
    },
    [x0, x1] as const,
  );
}

/** Pixels of exactly colour `rgb`. */
export function count(c: CanvasColors, rgb: readonly number[]): number {
  return c.counts[rgb.join(',')] ?? 0;
}

/** Pixels whose colour satisfies `pred`. */
export function countWhere(c: CanvasColors, pred: (r: number, g: number, b: number) => boolean): number {
  let n = 0;
  for (const [k, v] of Object.entries(c.counts)) {
    const [r, g, b] = k.split(',').map(Number);
    if (pred(r, g, b)) n += v;
  }
  return n;
}

/** The lil-gui controller row whose label is `name`. */
export function guiControl(page: Page, name: string) {
  return page.locator('.lil-controller', {
    has: page.locator('.lil-name', { hasText: new RegExp(`^${escapeRe(name)}$`) }),
  });
}

/** A lil-gui button (function controller) by its label. */
export function guiButton(page: Page, name: string) {
  return page.locator('.lil-controller button', { hasText: name });
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Waits until the app has drawn `scene` (the first frame after its load). */
export async function waitLoaded(page: Page, scene: string, timeout = 20_000): Promise<void> {
  try {
    await page.waitForFunction((s) => document.body.dataset.loaded === s, scene, { timeout });
  } catch (e) {
    const info = await page.evaluate(() => ({
      loaded: document.body.dataset.loaded,
      status: document.getElementById('status')?.textContent,
      errors: window.pointcontrastViewer?.errors,
      focus: document.activeElement?.outerHTML.slice(0, 120),
    }));
    throw new Error(
      `scene '${scene}' not drawn: ${(e as Error).message.split('\n')[0]}; page: ${JSON.stringify(info)}`,
    );
  }
}

/** CSS-pixel position of a world point in the single (or first) viewport. */
export function project(page: Page, p: readonly [number, number, number]): Promise<{ x: number; y: number }> {
  return page.evaluate((q) => {
    const app = window.pointcontrastViewer;
    const vp = app.view.viewports()[0];
    const cam = app.view.camera;
    cam.aspect = vp.w / vp.h;
    cam.updateProjectionMatrix();
    const v = cam.position.clone().set(q[0], q[1], q[2]).project(cam);
    return { x: vp.x + ((v.x + 1) / 2) * vp.w, y: vp.y + ((1 - v.y) / 2) * vp.h };
  }, p);
}
