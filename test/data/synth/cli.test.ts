import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { register } from '../../../src/cli/commands/data-synth.js';
import { generateScene } from '../../../src/data/synth/scene.js';
import { parsePly } from '../../../src/data/formats/ply-parse.js';
import { plyToPointCloud } from '../../../src/data/formats/ply-cloud.js';
import type { SynthIndex } from '../../../src/data/synth/export.js';

async function runSynth(args: string[]): Promise<void> {
  const program = new Command().exitOverride();
  register(program.command('data'));
  await program.parseAsync(['data', 'synth', ...args], { from: 'user' });
}

describe('pointcontrast data synth', () => {
  test('writes one PLY per scene with the generator’s exact arrays, and scenes.json with the boxes', async () => {
    const out = mkdtempSync(join(tmpdir(), 'synth-cli-'));
    try {
      const write = process.stdout.write;
      process.stdout.write = () => true;
      try {
        await runSynth([
          '--out',
          out,
          '--scenes',
          '2',
          '--seed',
          '40',
          '--points-per-m2',
          '150',
          '--noise',
          '0.002',
        ]);
      } finally {
        process.stdout.write = write;
      }
      assert.deepEqual(readdirSync(out).sort(), ['scenes.json', 'synth_00040.ply', 'synth_00041.ply']);
      const index = JSON.parse(readFileSync(join(out, 'scenes.json'), 'utf8')) as SynthIndex;
      assert.equal(index.format, 'pointcontrast-synth');
      assert.equal(index.classes.length, 24);
      assert.deepEqual(index.options, {
        scenes: 2,
        seed: 40,
        pointsPerM2: 150,
        noise: 0.002,
        roomType: null,
      });
      for (const [i, entry] of index.scenes.entries()) {
        const s = generateScene({ seed: 40 + i, pointsPerM2: 150, noise: 0.002 });
        assert.equal(entry.name, s.name);
        assert.equal(entry.roomType, s.roomType);
        assert.deepEqual(entry.boxes, JSON.parse(JSON.stringify(s.boxes)));
        const cloud = plyToPointCloud(parsePly(readFileSync(join(out, entry.file))));
        assert.equal(entry.points, s.cloud.positions.length / 3);
        assert.deepEqual(cloud.positions, s.cloud.positions);
        assert.deepEqual(cloud.normals, s.cloud.normals);
        assert.deepEqual(cloud.colors, s.cloud.colors);
        assert.deepEqual(cloud.labels, s.cloud.labels);
        assert.deepEqual(cloud.instances, s.cloud.instances);
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  test('--scanner --min-spacing --furniture-variety write the generator’s scene and record the options', async () => {
    const out = mkdtempSync(join(tmpdir(), 'synth-cli-'));
    try {
      const write = process.stdout.write;
      process.stdout.write = () => true;
      try {
        await runSynth([
          '--out',
          out,
          '--scenes',
          '1',
          '--seed',
          '10',
          '--points-per-m2',
          '300',
          '--scanner',
          '--min-spacing',
          '0.03',
          '--furniture-variety',
        ]);
      } finally {
        process.stdout.write = write;
      }
      const index = JSON.parse(readFileSync(join(out, 'scenes.json'), 'utf8')) as SynthIndex;
      assert.deepEqual(index.options, {
        scenes: 1,
        seed: 10,
        pointsPerM2: 300,
        noise: 0.005,
        roomType: null,
        scanner: true,
        minSpacing: 0.03,
        variety: true,
      });
      const opts = { seed: 10, pointsPerM2: 300, scanner: true, minSpacing: 0.03 };
      const s = generateScene({ ...opts, variety: true });
      const cloud = plyToPointCloud(parsePly(readFileSync(join(out, index.scenes[0].file))));
      assert.deepEqual(cloud.positions, s.cloud.positions);
      assert.deepEqual(index.scenes[0].boxes, JSON.parse(JSON.stringify(s.boxes)));
      assert.ok(
        s.cloud.positions.length <
          generateScene({ seed: 10, pointsPerM2: 300, variety: true }).cloud.positions.length,
      );
      // the variety option reached the generator: this seed's room differs without it
      assert.notEqual(generateScene(opts).objects.length, s.objects.length);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  test('bad options fail with the option name and what was expected', async () => {
    await assert.rejects(
      runSynth(['--out', 'x', '--scenes', '2', '--min-spacing', '-1']),
      /--min-spacing: expected a positive number, got '-1'/,
    );
    await assert.rejects(
      runSynth(['--out', '/nonexistent/x', '--scenes', '0']),
      /--scenes: expected an integer ≥ 1, got '0'/,
    );
    await assert.rejects(
      runSynth(['--out', 'x', '--scenes', '2', '--room-type', 'garage']),
      /--room-type: expected one of bedroom/,
    );
    await assert.rejects(
      runSynth(['--out', 'x', '--scenes', '2', '--format', 'las']),
      /--format: expected 'ply'/,
    );
    await assert.rejects(
      runSynth(['--out', 'x', '--scenes', '2', '--points-per-m2', '-5']),
      /--points-per-m2: expected a positive number/,
    );
  });
});
