import { test } from 'node:test';
import assert from 'node:assert/strict';
import { configChanges } from '../../src/train/run-dir.js';

test('configChanges: keys both configs have, nested and dotted; arrays whole; ignored subtrees skipped', () => {
  const was = { name: 'a', train: { maxSteps: 600, lr: 0.1 }, data: { dir: '/x', crop: [1, 2] }, old: 1 };
  const now = { name: 'a', train: { maxSteps: 2400, lr: 0.1 }, data: { dir: '/y', crop: [1, 3] }, added: 2 };
  assert.deepEqual(configChanges(was, now, ['data.dir']), [
    { key: 'train.maxSteps', was: 600, now: 2400 },
    { key: 'data.crop', was: [1, 2], now: [1, 3] },
  ]);
  assert.deepEqual(configChanges(was, was), []);
  assert.deepEqual(configChanges({ init: null }, { init: '/ck' }, ['init']), []);
});
