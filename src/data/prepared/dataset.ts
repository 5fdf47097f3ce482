/**
 * Node reader of a prepared dataset folder: manifest.json plus one scene file per scene.
 * `openPreparedDataset(dir)` → manifest, scene names per split, and scene reads.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PreparedScene } from './codec.js';
import { parseManifest, type PreparedManifest } from './manifest.js';
import { readPreparedSceneFile } from './scene-file.js';

/** An opened prepared dataset. */
export interface PreparedDataset {
  dir: string;
  manifest: PreparedManifest;
  /** Scene names in manifest order, optionally of one split. */
  sceneNames(split?: string): string[];
  /** Reads and decodes one scene by name. */
  readScene(name: string): PreparedScene;
}

/** Opens a prepared dataset folder (errors name the folder and what is missing). */
export function openPreparedDataset(dir: string): PreparedDataset {
  const path = join(dir, 'manifest.json');
  if (!existsSync(path)) {
    throw new Error(
      `${dir}: no manifest.json (not a prepared dataset, or 'data prepare' did not finish; re-run it)`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`${path}: not valid JSON (${(e as Error).message})`);
  }
  const manifest = parseManifest(json, path);
  const byName = new Map(manifest.scenes.map((s) => [s.name, s]));
  return {
    dir,
    manifest,
    sceneNames(split?: string) {
      if (split !== undefined && !(split in manifest.splits)) {
        throw new Error(
          `${path}: no split '${split}' (splits: ${Object.keys(manifest.splits).join(', ') || 'none'})`,
        );
      }
      return manifest.scenes.filter((s) => split === undefined || s.split === split).map((s) => s.name);
    },
    readScene(name: string) {
      const entry = byName.get(name);
      if (!entry) throw new Error(`${path}: no scene '${name}'`);
      const scene = readPreparedSceneFile(join(dir, entry.file));
      if (scene.cloud.positions.length / 3 !== entry.points) {
        throw new Error(
          `${join(dir, entry.file)}: has ${scene.cloud.positions.length / 3} points, manifest says ${entry.points}`,
        );
      }
      return scene;
    },
  };
}
