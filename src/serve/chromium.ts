/**
 * Launches Debian's chromium through playwright-core (a dev dependency, imported lazily) with the
 * flags that work headless on a machine without GPU or outside network, and a fresh profile.
 * Used by the browser tests and `bench viewer`; never downloads a browser.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';

/** Debian's chromium (override with POINTCONTRAST_CHROMIUM). */
export const DEFAULT_CHROMIUM = process.env.POINTCONTRAST_CHROMIUM ?? '/usr/bin/chromium';

/** Headless, no GPU (WebGL through SwiftShader), no background network, no first-run UI. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
];

/**
 * Added to {@link CHROMIUM_ARGS} for a WebGPU adapter without a GPU: Dawn on SwiftShader's Vulkan,
 * a software adapter (right answers, CPU speed).
 */
export const WEBGPU_SOFTWARE_ARGS = [
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan',
  '--use-vulkan=swiftshader',
  '--use-webgpu-adapter=swiftshader',
];

/** Options of {@link launchChromium}. */
export interface LaunchOptions {
  executablePath?: string;
  /** Flags added to {@link CHROMIUM_ARGS} (e.g. {@link WEBGPU_SOFTWARE_ARGS}). */
  extraArgs?: string[];
  viewport?: { width: number; height: number };
}

/** Starts chromium with a new temporary user-data dir; throws a clear Error when it cannot. */
export async function launchChromium(opts: LaunchOptions = {}): Promise<BrowserContext> {
  const executablePath = opts.executablePath ?? DEFAULT_CHROMIUM;
  if (!existsSync(executablePath)) {
    throw new Error(
      `chromium not found at ${executablePath} (apt-get install chromium, or set POINTCONTRAST_CHROMIUM)`,
    );
  }
  let chromium;
  try {
    ({ chromium } = await import('playwright-core'));
  } catch {
    throw new Error(
      'playwright-core is not installed (it is a dev dependency: run npm ci in the repository)',
    );
  }
  return chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'pc-chromium-')), {
    executablePath,
    headless: true,
    args: [...CHROMIUM_ARGS, ...(opts.extraArgs ?? [])],
    viewport: opts.viewport ?? { width: 1000, height: 700 },
    deviceScaleFactor: 1,
    acceptDownloads: true,
  });
}
