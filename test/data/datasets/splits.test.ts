// Split assignment: split list files (named or inferred), --val, defaults, partial downloads.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assignSplits, parseSplitFileArg } from '../../../src/data/datasets/splits.js';

const dir = mkdtempSync(join(tmpdir(), 'splits-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};

test('split files by name or inferred; --val wins; unlisted scenes get the default', () => {
  const val = file('scannetv2_val.txt', 'scene0000_01\r\n# comment\r\n\r\nscene0002_00\r\n');
  const extra = file('mine.txt', 'scene0001_00\n');
  const names = ['scene0000_00', 'scene0000_01', 'scene0001_00', 'scene0002_00', 'scene0003_00'];
  const r = assignSplits(names, { splitFiles: [val, `test=${extra}`], val: ['scene0003_00'] }, () => 'train');
  assert.deepEqual(Object.fromEntries(r.splits), {
    scene0000_01: 'val',
    scene0002_00: 'val',
    scene0001_00: 'test',
    scene0003_00: 'val',
    scene0000_00: 'train',
  });
  assert.deepEqual(r.warnings, []);
});

test('listed scenes missing on disk are a warning; conflicts and unknown --val are errors', () => {
  const train = file('train.txt', 'a\nb\nzz\nyy\n');
  const r = assignSplits(['a', 'b'], { splitFiles: [train] });
  assert.equal(r.warnings.length, 1);
  assert.match(r.warnings[0], /train\.txt': 2 of 4 listed scenes are not in the dataset \(first: zz\)/);
  const val = file('val.txt', 'b\n');
  assert.throws(
    () => assignSplits(['a', 'b'], { splitFiles: [train, val] }),
    /val\.txt': scene 'b' is already in split 'train'/,
  );
  assert.throws(() => assignSplits(['a'], { val: ['q'] }), /--val: scene 'q' is not in the dataset/);
  assert.throws(
    () => parseSplitFileArg('/x/list.txt'),
    /cannot tell the split from the name; write it as <split>=<path>/,
  );
  assert.throws(
    () => assignSplits(['a'], { splitFiles: ['val=/nonexistent/v.txt'] }),
    /split file '\/nonexistent\/v\.txt': ENOENT/,
  );
});
