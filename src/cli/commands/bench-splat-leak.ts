/**
 * `pointcontrast bench splat-leak`: the z-buffer visibility of `data pairs --from scans` at the
 * fixed splat radius versus the adaptive one (`--splat-radius adaptive`), on real scans (points
 * kept by one radius only) and on synthetic rooms (see-through and lost points against the mesh).
 */
import type { Command } from 'commander';
import { loadStatsInput, parseSynthSeeds } from '../../bench/scene-stats.js';
import { splatLeak } from '../../bench/splat-leak.js';
import { Rng } from '../../core/rng.js';
import { roomBoundsOf } from '../../data/pairs/views.js';
import { generateScene, surfaceMesh } from '../../data/synth/index.js';
import { machineLoad } from '../bench-machine.js';
import { positiveInt, positiveNumber, seedInt } from '../options.js';
import { printedJson } from '../output.js';

/** The triangles (9 floats each) of an indexed mesh. */
function triangleSoup(m: { positions: Float32Array; indices: Uint32Array }): Float32Array {
  const t = new Float32Array(m.indices.length * 3);
  for (let k = 0; k < m.indices.length; k++)
    t.set(m.positions.subarray(m.indices[k] * 3, m.indices[k] * 3 + 3), k * 3);
  return t;
}

export function register(bench: Command): void {
  bench
    .command('splat-leak')
    .description(
      'z-buffer visibility of virtual views: fixed vs adaptive splat radius (see-through points; truth from the mesh on synth rooms)',
    )
    .requiredOption('--input <src>', 'a .ply/.pcd scan, a ScanNet scan folder, or synth:SEED[,SEED…|A-B]')
    .option('--views <n>', 'random virtual cameras per cloud', '40')
    .option('--radius <m>', 'the fixed splat radius', '0.025')
    .option('--min-spacing <m>', 'synth: thin to this minimum spacing (generateScene minSpacing)')
    .option('--scanner', 'synth: keep only what a virtual walk-around capture sees')
    .option('--seed <s>', 'seed of the cameras', '0')
    .option('--json', 'print one JSON object')
    .action(
      (opts: {
        input: string;
        views: string;
        radius: string;
        minSpacing?: string;
        scanner?: boolean;
        seed: string;
        json?: boolean;
      }) => {
        const views = positiveInt(opts.views, '--views');
        const radius = positiveNumber(opts.radius, '--radius');
        const seed = seedInt(opts.seed, '--seed');
        const rows = [];
        if (opts.input.startsWith('synth:')) {
          for (const s of parseSynthSeeds(opts.input)) {
            const scene = generateScene({
              seed: s,
              ...(opts.scanner ? { scanner: true } : {}),
              ...(opts.minSpacing ? { minSpacing: positiveNumber(opts.minSpacing, '--min-spacing') } : {}),
            });
            const tri = triangleSoup(surfaceMesh(scene.surfaces));
            const room = {
              min: scene.room.min as [number, number, number],
              max: scene.room.max as [number, number, number],
            };
            rows.push({
              name: scene.name,
              ...splatLeak(scene.cloud, room, Rng.keyed(seed, scene.name).rand(), views, radius, tri),
            });
          }
        } else {
          for (const c of loadStatsInput(opts.input)) {
            const room = roomBoundsOf(c.cloud.positions);
            rows.push({
              name: c.name,
              ...splatLeak(c.cloud, room, Rng.keyed(seed, c.name).rand(), views, radius),
            });
          }
        }
        if (printedJson(opts.json, { bench: 'splat-leak', clouds: rows, ...machineLoad() })) return;
        for (const r of rows) {
          const t = r.truth;
          process.stdout.write(
            `${r.name}: ${r.views} views, fixed ${r.fixedRadius} m keeps ${r.fixed}, adaptive (p50 ${(100 * r.adaptiveRadiusP50).toFixed(2)} cm) keeps ${r.adaptive}; fixed only ${r.fixedOnly}, adaptive only ${r.adaptiveOnly}` +
              (t
                ? `; truth ${t.visible} visible: see-through fixed ${t.fixedSeeThrough} / adaptive ${t.adaptiveSeeThrough}, lost fixed ${t.fixedLost} / adaptive ${t.adaptiveLost}`
                : '') +
              '\n',
          );
        }
      },
    );
}
