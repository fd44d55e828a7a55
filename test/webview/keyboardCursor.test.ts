// The maps' keyboard cursor search (src/webview/views/keyboardCursor.ts) as values: where the cursor
// starts and where each arrow takes it, on a small hand-made layout (screen y grows downwards).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nearestPoint, nextInDirection } from '../../src/webview/views/keyboardCursor';

//   0 (0,0)   1 (10,1)   2 (20,0)
//   3 (1,10)  4 (9,12)   5 (30,30)   6 not placed (NaN)   7 same place as 0
const xs = Float32Array.from([0, 10, 20, 1, 9, 30, Number.NaN, 0]);
const ys = Float32Array.from([0, 1, 0, 10, 12, 30, Number.NaN, 0]);
const count = xs.length;

describe('keyboard cursor search', () => {
  it('starts at the placed point nearest a place', () => {
    assert.equal(nearestPoint(xs, ys, count, 11, 2), 1);
    assert.equal(nearestPoint(xs, ys, count, 100, 100), 5);
    assert.equal(nearestPoint(xs, ys, 0, 0, 0), undefined, 'no points');
    assert.equal(nearestPoint(Float32Array.of(Number.NaN), Float32Array.of(Number.NaN), 1, 0, 0), undefined, 'none placed');
  });

  it('moves to the nearest point within 45° of the arrow, keeping to a line', () => {
    assert.equal(nextInDirection(xs, ys, count, 0, 'right'), 1);
    assert.equal(nextInDirection(xs, ys, count, 1, 'right'), 2);
    assert.equal(nextInDirection(xs, ys, count, 0, 'down'), 3);
    assert.equal(nextInDirection(xs, ys, count, 3, 'right'), 4);
    assert.equal(nextInDirection(xs, ys, count, 4, 'up'), 1);
    assert.equal(nextInDirection(xs, ys, count, 1, 'left'), 0, 'the nearer of two at the same place (0 and 7) is the first found');
    assert.equal(nextInDirection(xs, ys, count, 4, 'right'), 5);
  });

  it('falls back to the nearest on that side, and stops at the edge', () => {
    // From 2 (20,0) downwards: 4 (9,12) and 5 (30,30) lie within 45°; 4 is nearer along the line.
    assert.equal(nextInDirection(xs, ys, count, 2, 'down'), 4);
    assert.equal(nextInDirection(xs, ys, count, 5, 'right'), undefined, 'nothing further right');
    assert.equal(nextInDirection(xs, ys, count, 0, 'up'), undefined, 'nothing above');
    assert.equal(nextInDirection(xs, ys, count, 6, 'left'), undefined, 'from a point not placed');
    // Only off the 45° cone: the nearest on that side.
    const fx = Float32Array.from([0, 5, 2]);
    const fy = Float32Array.from([0, 20, 30]);
    assert.equal(nextInDirection(fx, fy, 3, 0, 'right'), 1);
  });
});
