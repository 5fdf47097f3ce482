/**
 * `bench scene-stats` inputs: a point-cloud file (a ScanNet `_vh_clean_2.ply` brings its labels,
 * segments and aggregation along, in NYU40 names), a ScanNet scan folder, a prepared dataset
 * folder (manifest.json: every scene, class names from its label map) or `synth:SEEDS` (generated
 * rooms, seeds as a comma list and/or ranges a-b). Each becomes named clouds for `sceneStats`.
 */
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { PointCloud } from '../geometry/point-cloud.js';
import { labelMapFromNames, classNames } from '../data/label-map.js';
import { NYU40_NAMES } from '../data/datasets/scannet-meta.js';
import { loadScanNetScene, scanFiles, SCANNET_TSV } from '../data/datasets/scannet.js';
import { readPointCloud } from '../data/io/read-cloud.js';
import { openPreparedDataset } from '../data/prepared/dataset.js';
import { manifestLabelMap } from '../data/prepared/manifest.js';
import { generateScene, SYNTH_LABEL_MAP, type SynthOptions } from '../data/synth/index.js';
import { sceneStats, type SceneStats } from '../data/scene-stats.js';

/** One cloud to measure. */
export interface StatsCloud {
  name: string;
  /** Where it came from (file, folder or synth spec). */
  source: string;
  cloud: PointCloud;
  classNames?: readonly string[];
}

/** Seeds of `synth:5000,5003-5005` → [5000, 5003, 5004, 5005]. */
export function parseSynthSeeds(spec: string): number[] {
  const body = spec.slice('synth:'.length);
  const seeds: number[] = [];
  for (const part of body.split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!m)
      throw new Error(`--input '${spec}': expected synth:SEED[,SEED…] or synth:A-B, bad part '${part}'`);
    const a = Number(m[1]);
    const b = m[2] === undefined ? a : Number(m[2]);
    if (b < a) throw new Error(`--input '${spec}': range '${part}' runs backwards`);
    for (let s = a; s <= b; s++) seeds.push(s);
  }
  return seeds;
}

const isDir = (p: string) => existsSync(p) && statSync(p).isDirectory();

/** ScanNet's label TSV in the scan folder's parents (scans/sceneXXXX_YY → the root). */
function findTsv(dir: string): string | undefined {
  return [join(dir, '..', SCANNET_TSV), join(dir, '..', '..', SCANNET_TSV)].find((p) => existsSync(p));
}

function scanNetScan(dir: string, name: string): StatsCloud {
  const map = labelMapFromNames([...NYU40_NAMES], 'nyu40');
  const scene = loadScanNetScene(name, dir, map, findTsv(dir));
  return { name, source: scanFiles(dir, name).mesh, cloud: scene.cloud, classNames: NYU40_NAMES };
}

/** The clouds of one `--input` value; `synth` options (besides the seed) apply to synth inputs. */
export function loadStatsInput(input: string, synth: Omit<SynthOptions, 'seed'> = {}): StatsCloud[] {
  if (input.startsWith('synth:')) {
    const names = SYNTH_LABEL_MAP.classes.map((c) => c.name);
    return parseSynthSeeds(input).map((seed) => {
      const s = generateScene({ ...synth, seed });
      return { name: `${s.name} ${s.roomType}`, source: input, cloud: s.cloud, classNames: names };
    });
  }
  if (!existsSync(input)) throw new Error(`--input '${input}': no such file or folder`);
  if (isDir(input)) {
    if (existsSync(join(input, 'manifest.json'))) {
      const ds = openPreparedDataset(input);
      const names = classNames(manifestLabelMap(ds.manifest));
      return ds.sceneNames().map((name) => ({
        name,
        source: input,
        cloud: ds.readScene(name).cloud,
        classNames: names,
      }));
    }
    const name = basename(input);
    if (existsSync(scanFiles(input, name).mesh)) return [scanNetScan(input, name)];
    throw new Error(
      `--input '${input}': a folder must hold manifest.json (prepared dataset) or ${name}_vh_clean_2.ply (ScanNet scan)`,
    );
  }
  const m = /^(scene\d{4}_\d{2})_vh_clean_2\.ply$/.exec(basename(input));
  if (m && existsSync(scanFiles(dirname(input), m[1]).labels)) return [scanNetScan(dirname(input), m[1])];
  return [{ name: basename(input), source: input, cloud: readPointCloud(input) }];
}

/** Statistics of every cloud of every input, in input order. */
export function measureInputs(
  inputs: readonly string[],
  synth: Omit<SynthOptions, 'seed'> = {},
  onCloud?: (name: string) => void,
): (SceneStats & { name: string; source: string })[] {
  const out: (SceneStats & { name: string; source: string })[] = [];
  for (const input of inputs) {
    for (const c of loadStatsInput(input, synth)) {
      out.push({ name: c.name, source: c.source, ...sceneStats(c.cloud, { classNames: c.classNames }) });
      onCloud?.(c.name);
    }
  }
  return out;
}
