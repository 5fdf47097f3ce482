/**
 * The list of subcommands; each module exports `register(program)`.
 */
import type { Command } from 'commander';
import { register as info } from './info.js';

export const COMMANDS: ((program: Command) => void)[] = [info];
