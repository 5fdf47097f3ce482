// Builds a tiny S3DIS-layout tree in a temp folder (no real S3DIS here): three rooms in Areas 1, 2
// and 5, with stairs, a room-level .txt that must be ignored, and optionally the known bad float.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Annotation files per room: class_k → rows [x, y, z, r, g, b]. */
export const S3DIS_ROOMS: Record<string, Record<string, number[][]>> = {
  'Area_1/conferenceRoom_1': {
    chair_1: [
      [0, 0, 0, 10, 20, 30],
      [1, 0, 0.5, 10, 20, 30],
      [0.5, 2, 1, 10, 20, 30],
    ],
    chair_2: [
      [3, 3, 0, 1, 1, 1],
      [3.5, 3.25, 0.75, 1, 1, 1],
    ],
    wall_1: [
      [-1, -1, 0, 200, 200, 200],
      [-1, 5, 0, 200, 200, 200],
      [-1, 5, 3, 200, 200, 200],
      [-1, -1, 3, 200, 200, 200],
    ],
    stairs_1: [
      [4, 4, 0, 5, 5, 5],
      [4, 4.5, 0.2, 5, 5, 5],
    ],
    table_1: [
      [1, 1, 0.7, 90, 60, 30],
      [2, 1.5, 0.75, 90, 60, 30],
      [1.5, 1.25, 0.0, 90, 60, 30],
    ],
  },
  'Area_2/hallway_1': {
    floor_1: [
      [0, 0, 0, 50, 50, 50],
      [1, 0, 0, 50, 50, 50],
      [0, 1, 0, 50, 50, 50],
    ],
    clutter_1: [
      [0.2, 0.3, 0.4, 1, 2, 3],
      [0.3, 0.4, 0.5, 1, 2, 3],
    ],
  },
  'Area_5/office_19': {
    ceiling_1: [
      [0, 0, 3, 7, 7, 7],
      [1, 0, 3, 7, 7, 7],
      [0, 1, 3, 7, 7, 7],
      [1, 1, 3, 7, 7, 7],
      [2, 1, 3, 7, 7, 7],
    ],
    board_1: [
      [0, 2, 1, 240, 240, 240],
      [0.5, 2, 1.5, 240, 240, 240],
    ],
  },
};

/** Line (1-based) of ceiling_1.txt that holds the bad float when `badFloat` is set. */
export const BAD_LINE = 4;

/** Writes the tree; returns its root. With `badFloat`, row 4 of Area_5/office_19 ceiling_1 is corrupt. */
export function makeS3disFixture(badFloat = false): string {
  const root = mkdtempSync(join(tmpdir(), 's3dis-'));
  for (const [room, anns] of Object.entries(S3DIS_ROOMS)) {
    const dir = join(root, room, 'Annotations');
    mkdirSync(dir, { recursive: true });
    const all: string[] = [];
    for (const [name, rows] of Object.entries(anns)) {
      const lines = rows.map((r) => r.map((v, i) => (i < 3 ? v.toFixed(6) : String(v))).join(' '));
      if (badFloat && room === 'Area_5/office_19' && name === 'ceiling_1')
        lines[BAD_LINE - 1] = '1.000000 1.0\x10000 3.000000 7 7 7';
      writeFileSync(join(dir, `${name}.txt`), `${lines.join('\n')}\n`);
      all.push(...lines);
    }
    writeFileSync(
      join(root, room, `${room.split('/')[1]}.txt`),
      'not read: the annotations are the source\n',
    );
  }
  writeFileSync(
    join(root, 'Area_1', 'Area_1_alignmentAngle.txt'),
    '## Global alignment angle per disjoint space ##\n',
  );
  return root;
}
