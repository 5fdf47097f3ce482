/**
 * `pointcontrast evaluate match --checkpoint DIR --src A.ply --ref B.ply --transform T.txt [--json]`:
 * 3DMatch-style feature matching of a pre-trained backbone on one registered fragment pair.
 */
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { backendFromOptions } from '../context.js';
import { loadModel } from '../../train/load-model.js';
import { evaluateMatch, parseTransform } from '../../train/match.js';
import { readPointCloud } from '../../data/io/read-cloud.js';

export function register(evaluate: Command): void {
  evaluate
    .command('match')
    .description(
      'feature-match recall of backbone features on a registered pair (3.75 cm correspondences, 10 cm hits, 5 % recall threshold)',
    )
    .requiredOption('--checkpoint <dir>', 'backbone checkpoint or run folder')
    .requiredOption('--src <file>', 'source fragment (PLY/PCD)')
    .requiredOption('--ref <file>', 'reference fragment (PLY/PCD)')
    .requiredOption('--transform <file>', '4×4 row-major text matrix mapping src into ref')
    .option('--json', 'print one JSON object')
    .action(
      async (
        opts: { checkpoint: string; src: string; ref: string; transform: string; json?: boolean },
        cmd: Command,
      ) => {
        await backendFromOptions(cmd);
        const model = loadModel(opts.checkpoint);
        const t = parseTransform(readFileSync(opts.transform, 'utf8'), opts.transform);
        const res = evaluateMatch(model, readPointCloud(opts.src), readPointCloud(opts.ref), t);
        if (opts.json) process.stdout.write(`${JSON.stringify(res)}\n`);
        else
          process.stdout.write(
            `pairs ${res.pairs}  hit_ratio ${(100 * res.hit_ratio).toFixed(2)} %  feature_match_recall ${res.feature_match_recall}\n`,
          );
      },
    );
}
