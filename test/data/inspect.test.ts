/**
 * `data inspect`: the report for fixtures built in code (types, bounds, NaN count, histogram)
 * and for the real mOSD frame (README numbers), and the CLI contract (--json keys, exit code 1
 * with one error line naming the file).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatInspectReport, inspectCloud, inspectFile } from '../../src/data/inspect.js';
import { writePcd, writePly } from '../../src/data/formats/index.js';
import { Command } from 'commander';
import { register } from '../../src/cli/commands/data-inspect.js';
import { needShared, SHARED } from './formats/fixtures.js';

const cloud = {
  positions: new Float32Array([0, 0, 0, 1, -2, 3, NaN, 0, 0, -1, 5, 0.5]),
  colors: new Uint8Array(12).fill(100),
  labels: new Int32Array([3, 3, 7, -1]),
  instances: new Int32Array([1, 1, 2, -1]),
  properties: { confidence: new Float32Array([0.9, 0.8, 0.1, 0.5]) },
};

/**
 * Runs `data inspect …` through its command module the way src/cli/main.ts does (an error thrown
 * by the action becomes "pointcontrast: <message>" and exit code 1), without importing every other
 * command of the CLI.
 */
async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  const o = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((s: string) => ((out += s), true)) as typeof process.stdout.write;
  const program = new Command('pointcontrast').exitOverride();
  register(program.command('data').exitOverride());
  try {
    await program.parseAsync(['node', 'pointcontrast', ...args]);
    return { code: 0, out, err: '' };
  } catch (e) {
    return { code: 1, out, err: `pointcontrast: ${(e as Error).message}\n` };
  } finally {
    process.stdout.write = o;
  }
}

describe('inspectCloud', () => {
  test('PLY: declared types, finite bounds, NaN count, label histogram, instances', () => {
    const r = inspectCloud(
      writePly(cloud, { propertyTypes: { label: 'short' }, comments: ['hello'] }),
      'p.ply',
    );
    assert.equal(r.format, 'ply');
    assert.equal(r.encoding, 'binary_little_endian');
    assert.equal(r.points, 4);
    assert.deepEqual(
      r.properties.map((p) => `${p.name}:${p.type}`),
      [
        'x:float',
        'y:float',
        'z:float',
        'red:uchar',
        'green:uchar',
        'blue:uchar',
        'confidence:float',
        'label:short',
        'instance:int',
      ],
    );
    assert.deepEqual(r.bounds, { min: [-1, -2, 0], max: [1, 5, 3] });
    assert.deepEqual(r.nonFinite, { count: 1, firstIndex: 2 });
    assert.deepEqual(r.labels, { property: 'label', classes: 3, histogram: { '-1': 1, '3': 2, '7': 1 } });
    assert.deepEqual(r.instances, { property: 'instance', distinct: 3 });
    assert.deepEqual(r.comments, ['hello']);
    assert.deepEqual(r.elements, [{ name: 'vertex', count: 4 }]);
    assert.equal(r.header[0], 'ply');
    assert.equal(r.header[r.header.length - 1], 'end_header');
    const txt = formatInspectReport(r);
    assert.match(txt, /points {6}4\n/);
    assert.match(txt, /non-finite {2}1 points \(first: point 2\)/);
    assert.match(txt, /^ {13}3: 2$/m);
  });

  test('PCD: TYPE+SIZE, organized dimensions, nothing dropped', () => {
    const r = inspectCloud(writePcd(cloud, { width: 2, height: 2, data: 'ascii' }), 'c.pcd');
    assert.equal(r.format, 'pcd');
    assert.equal(r.encoding, 'ascii');
    assert.deepEqual(r.organized, { width: 2, height: 2 });
    assert.equal(r.points, 4);
    assert.deepEqual(
      r.properties.map((p) => `${p.name}:${p.type}`),
      ['x:F4', 'y:F4', 'z:F4', 'rgb:F4', 'label:I4', 'instance:I4', 'confidence:F4'],
    );
    assert.equal(r.nonFinite.count, 1);
  });

  test('text rows', () => {
    const r = inspectCloud(new TextEncoder().encode('1 2 3 4\n5 6 7 4\n'), 'a.txt');
    assert.equal(r.format, 'xyz');
    assert.equal(r.points, 2);
    assert.deepEqual(r.labels?.histogram, { '4': 2 });
  });

  test('mOSD test55.pcd: README counts', needShared('pcd/test55.pcd'), () => {
    const r = inspectFile(join(SHARED, 'pcd/test55.pcd'));
    assert.equal(r.points, 307200);
    assert.deepEqual(r.organized, { width: 640, height: 480 });
    assert.equal(r.nonFinite.count, 307200 - 175178);
    assert.deepEqual(
      r.properties.map((p) => `${p.name}:${p.type}`),
      ['label:U4', 'x:F4', 'y:F4', 'z:F4', 'rgba:U4'],
    );
    assert.equal(r.labels!.classes, 23);
    assert.equal(r.labels!.histogram['0'], 132022);
    assert.equal(r.labels!.histogram['90'], 14708);
    assert.equal(r.labels!.histogram['151'], 3097);
    assert.ok(Math.abs(r.bounds!.min[2] - 0.542) < 6e-4 && Math.abs(r.bounds!.max[2] - 1.347) < 6e-4);
  });
});

describe('pointcontrast data inspect', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pc-inspect-'));

  test('--json prints one object with format, points, properties', async () => {
    const f = join(dir, 'c.ply');
    writeFileSync(f, writePly(cloud));
    const { code, out } = await cli(['data', 'inspect', f, '--json']);
    assert.equal(code, 0);
    assert.equal(out.trim().split('\n').length, 1);
    const r = JSON.parse(out);
    assert.equal(r.format, 'ply');
    assert.equal(r.points, 4);
    assert.equal(r.properties.length, 9);
    assert.equal(r.labels.histogram['3'], 2);
  });

  test('a bad file: exit code 1 and one error line naming the file', async () => {
    const f = join(dir, 'bad.ply');
    writeFileSync(f, 'ply\nformat ascii 1.0\nelement vertex 2\nproperty float x\nend_header\n1\n');
    const { code, out, err } = await cli(['data', 'inspect', f]);
    assert.equal(code, 1);
    assert.equal(out, '');
    assert.equal(err.trim().split('\n').length, 1);
    assert.ok(err.startsWith(`pointcontrast: ${f}: line 6: truncated data`), err);
    const missing = await cli(['data', 'inspect', join(dir, 'nope.pcd')]);
    assert.equal(missing.code, 1);
    assert.match(missing.err, /nope\.pcd: cannot read: no such file/);
  });
});
