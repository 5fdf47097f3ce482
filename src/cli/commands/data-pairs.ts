/**
 * `pointcontrast data pairs`: partial-view pairs with point correspondences for pre-training, from
 * synthetic scenes, a folder of scans, or RGB-D frames in ScanNet's layout (docs/pairs.md).
 */
import type { Command } from 'commander';
import { generatePairs } from '../../data/pairs/generate.js';
import { printedJson } from '../output.js';
import { createProgress } from '../progress.js';

interface Opts {
  from: string;
  root?: string;
  out: string;
  scenes?: string;
  viewsPerScene: string;
  minOverlap: string;
  voxel: string;
  radiusVoxels: string;
  overlapVoxel: string;
  storeVoxel?: string;
  frameSkip: string;
  pointsPerM2?: string;
  splatRadius?: string;
  workers: string;
  seed: string;
  json?: boolean;
}

/** `--splat-radius`: metres > 0 or 'adaptive' (per point, from the local spacing). */
export function splatRadiusOption(v: string | undefined): number | 'adaptive' | undefined {
  if (v === undefined || v === 'adaptive') return v;
  const n = Number(v);
  if (v.trim() === '' || !(n > 0 && Number.isFinite(n))) {
    throw new Error(`--splat-radius: expected a radius in metres > 0 or 'adaptive', got '${v}'`);
  }
  return n;
}

function num(v: string | undefined, key: string, integer = false): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || (integer && !Number.isInteger(n))) {
    throw new Error(`${key}: expected ${integer ? 'an integer' : 'a number'}, got '${v}'`);
  }
  return n;
}

export function register(data: Command): void {
  data
    .command('pairs')
    .description(
      'partial-view pairs + correspondences for pre-training (resumable; one file per pair + pairs.json)',
    )
    .requiredOption('--from <source>', 'synth | scans | rgbd')
    .option(
      '--root <dir>',
      'scans: folder of .ply/.pcd/.txt scans or a prepared dataset; rgbd: ScanNet-layout scene(s)',
    )
    .requiredOption('--out <dir>', 'output folder')
    .option('--scenes <n>', 'synth: number of scenes (scene i uses seed + i)')
    .option('--views-per-scene <n>', 'virtual camera views per full scan', '8')
    .option('--min-overlap <f>', 'keep view pairs with overlap ≥ f', '0.3')
    .option('--voxel <m>', 'pre-training voxel size in metres', '0.025')
    .option('--radius-voxels <r>', 'correspondence radius in voxels', '1.5')
    .option('--overlap-voxel <m>', 'voxel of the overlap test (radius 1.5·voxel)', '0.05')
    .option(
      '--store-voxel <m>',
      'downsample stored views to one point per voxel (0 = keep all; default --voxel)',
    )
    .option('--frame-skip <k>', 'rgbd: use frames whose id is a multiple of k', '25')
    .option('--points-per-m2 <d>', 'synth: surface sampling density')
    .option(
      '--splat-radius <m|adaptive>',
      "scans/synth: z-buffer splat radius of the virtual views in metres (default 0.025), or 'adaptive' (each point's 2nd-nearest-neighbour distance, 1–10 cm) for sparse, uneven real scans",
    )
    .option('--workers <n>', 'worker threads', '1')
    .option('--seed <s>', 'seed of synthetic scenes and virtual cameras', '0')
    .option('--json', 'print the summary as one JSON object')
    .action(async (opts: Opts) => {
      if (!['synth', 'scans', 'rgbd'].includes(opts.from)) {
        throw new Error(`--from: expected synth, scans or rgbd, got '${opts.from}'`);
      }
      const workers = num(opts.workers, '--workers', true)!;
      if (workers < 1) throw new Error(`--workers: expected an integer ≥ 1, got '${opts.workers}'`);
      let bar: ReturnType<typeof createProgress> | undefined;
      const r = await generatePairs({
        from: opts.from as 'synth' | 'scans' | 'rgbd',
        root: opts.root,
        out: opts.out,
        scenes: num(opts.scenes, '--scenes', true),
        viewsPerScene: num(opts.viewsPerScene, '--views-per-scene', true),
        minOverlap: num(opts.minOverlap, '--min-overlap'),
        voxel: num(opts.voxel, '--voxel'),
        radiusVoxels: num(opts.radiusVoxels, '--radius-voxels'),
        overlapVoxel: num(opts.overlapVoxel, '--overlap-voxel'),
        storeVoxel: num(opts.storeVoxel, '--store-voxel'),
        frameSkip: num(opts.frameSkip, '--frame-skip', true),
        pointsPerM2: num(opts.pointsPerM2, '--points-per-m2'),
        seed: num(opts.seed, '--seed', true),
        ...(opts.splatRadius !== undefined
          ? { camera: { splatRadius: splatRadiusOption(opts.splatRadius) } }
          : {}),
        workers,
        onProgress: (done, total) => {
          bar ??= createProgress(`pairs from ${opts.from}`, total, 'scenes');
          bar.update(done);
        },
      });
      bar?.stop();
      const t = r.manifest.totals;
      const summary = {
        out: opts.out,
        scenes: t.scenes,
        scenesGenerated: r.scenesGenerated,
        scenesSkipped: r.scenesSkipped,
        pairs: t.pairs,
        pairsGenerated: r.pairsGenerated,
        points: t.points,
        correspondences: t.correspondences,
        megabytes: +(t.bytes / 1e6).toFixed(2),
        seconds: +r.seconds.toFixed(2),
        pairsPerSecond: +(r.pairsGenerated / r.seconds).toFixed(2),
      };
      if (printedJson(opts.json, summary)) return;
      const dropped = r.manifest.scenes.filter((s) => s.dropped.length > 0);
      process.stdout.write(
        [
          `${t.pairs} pairs from ${t.scenes} scenes (${r.scenesGenerated} generated, ${r.scenesSkipped} already done) → ${opts.out}/pairs.json`,
          `${t.points} points, ${t.correspondences} correspondences, ${summary.megabytes} MB`,
          `${summary.seconds} s, ${summary.pairsPerSecond} pairs/s generated`,
          ...dropped.map((s) =>
            s.dropped[0].id === '*'
              ? `note: ${s.name}: ${s.dropped[0].reason}`
              : `note: ${s.name}: ${s.dropped.length} frame(s) dropped (${s.dropped[0].id}: ${s.dropped[0].reason}${s.dropped.length > 1 ? ', …' : ''})`,
          ),
        ].join('\n') + '\n',
      );
    });
}
