/**
 * `pointcontrast data prepare <scannet|s3dis|ply-folder|synth>`: raw dataset → prepared cache
 * (one scene file per scene + manifest.json), with a progress bar and a summary.
 */
import type { Command } from 'commander';
import { prepareDataset } from '../../data/prepared/prepare.js';
import { formatPrepareSummary } from '../../data/prepared/summary.js';
import { DATASETS } from '../../data/datasets/registry.js';
import type { SourceOptions } from '../../data/datasets/types.js';
import { collect } from '../config-option.js';
import { printJson } from '../output.js';
import { createProgress } from '../progress.js';

interface Opts {
  root?: string;
  out?: string;
  workers: string;
  splitFile: string[];
  val: string[];
  classes?: string;
  tsv?: string;
  valArea: string[];
  skipBadLines?: boolean;
  scenes?: string;
  seed?: string;
  pointsPerM2?: string;
  scanner?: boolean;
  minSpacing?: string;
  furnitureVariety?: boolean;
  limit?: string;
  force?: boolean;
  json?: boolean;
}

/** Commander collector of a repeatable comma-separated list (`--val a,b --val c`). */
const collectList = (v: string, prev: string[]) => [...prev, ...v.split(',').filter(Boolean)];

function int(v: string | undefined, key: string, min: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new Error(`${key}: expected an integer ≥ ${min}, got '${v}'`);
  return n;
}

function num(v: string | undefined, key: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${key}: expected a positive number, got '${v}'`);
  return n;
}

export function register(data: Command): void {
  data
    .command('prepare')
    .description('raw dataset → prepared cache: one binary scene file per scene + manifest.json (resumable)')
    .argument('<type>', `source type: ${Object.keys(DATASETS).join(' | ')}`)
    .option(
      '--root <dir>',
      'dataset root (scannet: holds scans/; s3dis: holds Area_1..6; ply-folder: the folder)',
    )
    .option('--out <dir>', 'output folder (default datasets/prepared/<type>)')
    .option('--workers <n>', 'worker threads preparing scenes in parallel', '1')
    .option('--split-file <[split=]file>', 'scene list, one name per line (repeatable)', collect, [])
    .option(
      '--val <names>',
      'scene names to put in the val split (comma separated, repeatable)',
      collectList,
      [],
    )
    .option(
      '--classes <file|name>',
      'label map: built-in name (scannet20, s3dis13, …) or a JSON / one-name-per-line file',
    )
    .option('--tsv <file>', 'scannet: scannetv2-labels.combined.tsv (default: in --root or its parent)')
    .option('--val-area <n>', 's3dis: area(s) whose rooms form the val split (default 5)', collectList, [])
    .option('--skip-bad-lines', 's3dis: skip malformed rows (counted in the summary) instead of failing')
    .option('--scenes <n>', 'synth: number of scenes')
    .option('--seed <s>', 'synth: base seed (scene i uses seed + i)')
    .option('--points-per-m2 <d>', 'synth: surface sampling density')
    .option(
      '--scanner',
      'synth: keep only what a virtual walk-around capture at eye height sees (default off)',
    )
    .option(
      '--min-spacing <m>',
      'synth: thin to this minimum point spacing, like a decimated scan mesh (default off)',
    )
    .option(
      '--furniture-variety',
      'synth: add furniture of scanned homes (sectional sofas, curtains along walls, more clutter; default off)',
    )
    .option('--limit <n>', 'prepare only the first N scenes of the listing')
    .option('--force', 'redo every scene even if a valid file exists')
    .option('--json', 'print the summary as one JSON object')
    .action(async (type: string, opts: Opts) => {
      const source: SourceOptions = {
        root: opts.root,
        classes: opts.classes,
        splitFiles: opts.splitFile,
        val: opts.val,
        tsv: opts.tsv,
        skipBadLines: opts.skipBadLines,
        scenes: int(opts.scenes, '--scenes', 1),
        seed: int(opts.seed, '--seed', 0),
        pointsPerM2: num(opts.pointsPerM2, '--points-per-m2'),
        ...(opts.scanner ? { scanner: true } : {}),
        ...(opts.minSpacing !== undefined ? { minSpacing: num(opts.minSpacing, '--min-spacing') } : {}),
        ...(opts.furnitureVariety ? { variety: true } : {}),
        limit: int(opts.limit, '--limit', 1),
      };
      if (opts.valArea.length > 0) source.valAreas = opts.valArea.map((a) => int(a, '--val-area', 1)!);
      const workers = int(opts.workers, '--workers', 1)!;
      const out = opts.out ?? `datasets/prepared/${type}`;
      let bar: ReturnType<typeof createProgress> | undefined;
      const t0 = performance.now();
      const result = await prepareDataset({
        type,
        source,
        out,
        workers,
        force: opts.force,
        onProgress: (done, total) => {
          bar ??= createProgress(`prepare ${type}`, total, 'scenes');
          bar.update(done);
        },
      });
      bar?.stop();
      const seconds = (performance.now() - t0) / 1000;
      if (opts.json) {
        const m = result.manifest;
        const summary = {
          out: result.out,
          scenes: m.scenes.length,
          prepared: result.prepared,
          skipped: result.skipped,
          redone: result.redone,
          points: m.points,
          splits: Object.fromEntries(Object.entries(m.splits).map(([k, v]) => [k, v.length])),
          histogram: Object.fromEntries(m.classes.map((c, i) => [c.name, m.histogram[i]])),
          ignored: m.ignored,
          boxes: m.scenes.reduce((s, e) => s + e.boxes, 0),
          warnings: result.warnings,
          seconds,
        };
        printJson(summary);
      } else process.stdout.write(`${formatPrepareSummary(result, seconds)}\n`);
    });
}
