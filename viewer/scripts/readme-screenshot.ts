/**
 * Renders docs/images/viewer-scannet.png: the real ScanNet scene0000_00 (NYU40 labels PLY from
 * ../shared/data, never copied into the repo) in our own viewer, coloured by the scannet20 palette.
 * Usage: npx tsx viewer/scripts/readme-screenshot.ts ['#extra=hash'] [out.png]
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { screenshotViewer } from './screenshot.js';

const SCAN = resolve('../shared/data/scannet/scans/scene0000_00/scene0000_00_vh_clean_2.labels.ply');
// Ceiling (NYU40 22) hidden so the room can be seen from above; camera from the south-east corner.
const HASH =
  process.argv[2] ??
  '#mode=gt&labels=scannet20%3Araw&hide=22&size=2.5&cam=4.25%2C-6.78%2C7.56%2C-0.9%2C0.5%2C0.5';
const OUT = resolve(process.argv[3] ?? 'docs/images/viewer-scannet.png');

if (!existsSync(SCAN)) throw new Error(`${SCAN} not found (the shared ScanNet fixture)`);
await screenshotViewer(SCAN, HASH, OUT);
