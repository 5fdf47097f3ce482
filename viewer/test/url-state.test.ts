import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeState, DEFAULT_STATE, encodeState, type ViewState } from '../src/app/url-state.js';

test('the default state encodes to an empty hash and decodes back', () => {
  assert.equal(encodeState({ ...DEFAULT_STATE }), '');
  assert.deepEqual(decodeState(''), { state: { ...DEFAULT_STATE }, problems: [] });
});

test('a full state round-trips through the hash', () => {
  const s: ViewState = {
    scene: 'scene0000_01 (copy)',
    mode: 'f:confidence',
    camera: { position: [1.5, -2.25, 3], target: [0.125, 0, -1] },
    hidden: [7, -1, 3],
    hiddenErrors: [0],
    pointSize: 3.5,
    budget: 500_000,
    edl: false,
    edlRadius: 2,
    edlStrength: 0.8,
    background: '#ffffff',
    split: true,
    boxes: false,
    minScore: 0.5,
    ramp: 'coolwarm',
    range: [0.25, 0.75],
    labels: 'scannet20:raw',
  };
  const hash = encodeState(s);
  assert.match(
    hash,
    /^#scene=scene0000_01\+%28copy%29&mode=f%3Aconfidence&cam=1\.5%2C-2\.25%2C3%2C0\.125%2C0%2C-1&hide=-1%2C3%2C7/,
  );
  const back = decodeState(hash);
  assert.deepEqual(back.problems, []);
  assert.deepEqual(back.state, { ...s, hidden: [-1, 3, 7] });
});

test('camera coordinates are rounded to millimetres', () => {
  const hash = encodeState({
    ...DEFAULT_STATE,
    camera: { position: [1.23456, 0, 0], target: [0, 0, 0.0004] },
  });
  assert.deepEqual(decodeState(hash).state.camera, { position: [1.235, 0, 0], target: [0, 0, 0] });
});

test('bad values fall back to defaults and are reported', () => {
  const { state, problems } = decodeState(
    '#size=abc&edl=yes&cam=1,2,3&bg=red&hide=1,x&range=5,1&ramp=rainbow&budget=10&mode=pred',
  );
  assert.equal(state.mode, 'pred');
  assert.equal(state.pointSize, DEFAULT_STATE.pointSize);
  assert.equal(state.edl, DEFAULT_STATE.edl);
  assert.equal(state.camera, null);
  assert.equal(state.background, DEFAULT_STATE.background);
  assert.deepEqual(state.hidden, []);
  assert.equal(state.range, null);
  assert.equal(state.ramp, null);
  assert.equal(state.budget, DEFAULT_STATE.budget);
  assert.deepEqual(
    problems.map((p) => p.split('=')[0]),
    ['#cam', '#hide', '#size', '#budget', '#edl', '#bg', '#ramp', '#range'],
  );
});
