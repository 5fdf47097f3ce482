/**
 * The list of subcommands; each module exports `register(program)`.
 */
import type { Command } from 'commander';
import { register as info } from './info.js';
import { register as data } from './data.js';
import { register as bench } from './bench.js';
import { register as pretrain } from './pretrain.js';
import { register as view } from './view.js';

export const COMMANDS: ((program: Command) => void)[] = [info, data, pretrain, view, bench];
