/**
 * `pointcontrast evaluate …`: metrics of a checkpoint on a split. Each subcommand module exports
 * `register(evaluate)`.
 */
import type { Command } from 'commander';
import { register as seg } from './evaluate-seg.js';
import { register as match } from './evaluate-match.js';
import { register as det } from './evaluate-det.js';
import { register as linearization } from './evaluate-linearization.js';
import { register as structure } from './evaluate-structure.js';

const SUBCOMMANDS: ((evaluate: Command) => void)[] = [seg, match, det, linearization, structure];

export function register(program: Command): void {
  const evaluate = program
    .command('evaluate')
    .description(
      'evaluate a checkpoint (segmentation mIoU, feature matching, detection mAP, linearisation of fine-tuning) or, without labels, predictions on a room (structure)',
    );
  for (const sub of SUBCOMMANDS) sub(evaluate);
}
