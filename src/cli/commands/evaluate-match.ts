/**
 * `pointcontrast evaluate match --checkpoint DIR --src A.ply --ref B.ply --transform T.txt [--json]`:
 * 3DMatch-style feature matching of a pre-trained backbone on one registered fragment pair, or
 * with `--pairs DIR` averaged over held-out pairs of a `data pairs` folder.
 */
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { backendFromOptions } from '../context.js';
import { loadModel } from '../../train/load-model.js';
import { evaluateMatch, evaluatePairFolder, parseTransform } from '../../tasks/pretrain/infer.js';
import { readPointCloud } from '../../data/io/read-cloud.js';

interface Opts {
  checkpoint: string;
  src?: string;
  ref?: string;
  transform?: string;
  pairs?: string;
  maxPairs?: string;
  frame: string;
  json?: boolean;
}

export function register(evaluate: Command): void {
  evaluate
    .command('match')
    .description(
      'feature-match recall of backbone features on a registered pair (3.75 cm correspondences, 10 cm hits, 5 % recall threshold)',
    )
    .requiredOption('--checkpoint <dir>', 'backbone checkpoint or run folder')
    .option('--src <file>', 'source fragment (PLY/PCD)')
    .option('--ref <file>', 'reference fragment (PLY/PCD)')
    .option('--transform <file>', '4×4 row-major text matrix mapping src into ref')
    .option('--pairs <dir>', 'instead: held-out pairs of a `data pairs` folder (see --frame)')
    .option('--max-pairs <n>', 'with --pairs: evaluate at most n pairs')
    .option(
      '--frame <camera|gravity>',
      'with --pairs: views in their camera frames, or gravity-aligned with the source turned by a per-pair yaw',
      'camera',
    )
    .option('--json', 'print one JSON object')
    .action(async (opts: Opts, cmd: Command) => {
      await backendFromOptions(cmd);
      const model = loadModel(opts.checkpoint);
      if (opts.pairs) {
        if (opts.frame !== 'camera' && opts.frame !== 'gravity') {
          throw new Error(`evaluate match: --frame must be camera or gravity, got "${opts.frame}"`);
        }
        const r = evaluatePairFolder(
          model,
          opts.pairs,
          opts.maxPairs ? Number(opts.maxPairs) : Infinity,
          opts.frame,
        );
        if (opts.json) process.stdout.write(`${JSON.stringify(r)}\n`);
        else
          process.stdout.write(
            `${r.pairs} pairs  hit_ratio ${(100 * r.hit_ratio).toFixed(2)} %  feature_match_recall ${(100 * r.feature_match_recall).toFixed(1)} %\n`,
          );
        return;
      }
      if (!opts.src || !opts.ref || !opts.transform) {
        throw new Error('evaluate match: give --src, --ref and --transform (or --pairs DIR)');
      }
      const t = parseTransform(readFileSync(opts.transform, 'utf8'), opts.transform);
      const res = evaluateMatch(model, readPointCloud(opts.src), readPointCloud(opts.ref), t);
      if (opts.json) process.stdout.write(`${JSON.stringify(res)}\n`);
      else
        process.stdout.write(
          `pairs ${res.pairs}  hit_ratio ${(100 * res.hit_ratio).toFixed(2)} %  feature_match_recall ${res.feature_match_recall}\n`,
        );
    });
}
