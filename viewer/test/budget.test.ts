import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  adaptInteractiveBudget,
  INTERACTIVE_BUDGET,
  MAX_INTERACTIVE_BUDGET,
  MIN_INTERACTIVE_BUDGET,
} from '../src/render/budget.js';

test('late frames shrink the moving budget, prompt ones grow it, within bounds', () => {
  assert.equal(adaptInteractiveBudget(INTERACTIVE_BUDGET, 100), 600_000);
  assert.equal(adaptInteractiveBudget(INTERACTIVE_BUDGET, 5), 1_200_000);
  assert.equal(adaptInteractiveBudget(INTERACTIVE_BUDGET, 30), INTERACTIVE_BUDGET, 'in between: unchanged');
  let b = INTERACTIVE_BUDGET;
  for (let k = 0; k < 20; k++) b = adaptInteractiveBudget(b, 1500);
  assert.equal(b, MIN_INTERACTIVE_BUDGET);
  for (let k = 0; k < 40; k++) b = adaptInteractiveBudget(b, 1);
  assert.equal(b, MAX_INTERACTIVE_BUDGET);
});
