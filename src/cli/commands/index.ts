/**
 * The list of subcommands; each module exports `register(program)`.
 */
import type { Command } from 'commander';
import { register as info } from './info.js';
import { register as data } from './data.js';
import { register as bench } from './bench.js';
import { register as pretrain } from './pretrain.js';
import { register as view } from './view.js';
import { register as finetune } from './finetune.js';
import { register as evaluate } from './evaluate.js';
import { register as predict } from './predict.js';
import { register as demo } from './demo.js';
import { register as exportModel } from './export.js';

export const COMMANDS: ((program: Command) => void)[] = [
  info,
  data,
  pretrain,
  finetune,
  evaluate,
  predict,
  exportModel,
  demo,
  view,
  bench,
];
