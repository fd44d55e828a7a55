// The shared selection model (src/webview/views/selection.ts) as a value: what it holds, what it
// tells its listeners, and the "pick two points" mode the interpolation view uses. DOM-free.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { matchQuery } from '../../src/webview/views/search';
import { SelectionModel, type SelectionChange } from '../../src/webview/views/selection';
import type { Factor } from '../../src/shared/protocol';

describe('SelectionModel', () => {
  it('keeps sorted unique in-range indices and a mask, and tells listeners once per real change', () => {
    const model = new SelectionModel(10);
    const changes: SelectionChange[] = [];
    model.onDidChange((c) => changes.push(c));
    model.set([7, 2, 2, 99, -1, 4.5, 0], 'lasso');
    assert.deepEqual(Array.from(model.indices), [0, 2, 7]);
    assert.deepEqual(Array.from(model.mask), [1, 0, 1, 0, 0, 0, 0, 1, 0, 0]);
    assert.ok(model.has(7) && !model.has(3));
    model.set([0, 7, 2], 'lasso');
    assert.equal(changes.length, 1, 'the same selection again is no change');
    model.combine([3, 7], 'add', 'brush');
    assert.deepEqual(Array.from(model.indices), [0, 2, 3, 7]);
    model.combine([0, 2], 'subtract', 'brush');
    assert.deepEqual(Array.from(model.indices), [3, 7]);
    model.clear();
    assert.equal(model.size, 0);
    assert.deepEqual(changes.map((c) => `${c.what}:${c.source}`), ['indices:lasso', 'indices:brush', 'indices:brush', 'indices:clear']);
  });

  it('stores groups A and B as copies', () => {
    const model = new SelectionModel(5);
    model.set([1, 2]);
    model.storeGroup('A');
    model.set([4]);
    model.storeGroup('B');
    model.clear();
    assert.deepEqual(Array.from(model.group('A')), [1, 2]);
    assert.deepEqual(Array.from(model.group('B')), [4]);
  });

  it('picks two points: clicks go to the pick, not the focus; a new pick or cancel ends the old', async () => {
    const model = new SelectionModel(20);
    const first = model.pickTwo();
    const second = model.pickTwo();
    assert.equal(await first, undefined, 'replaced by the second pick');
    assert.ok(model.offerPick(3));
    assert.deepEqual(model.picking, { picked: [3] });
    assert.ok(model.offerPick(11));
    assert.deepEqual(await second, [3, 11]);
    assert.equal(model.picking, undefined);
    assert.equal(model.offerPick(5), false, 'no pick running: a normal click');
    const third = model.pickTwo();
    model.cancelPick();
    assert.equal(await third, undefined);
    model.setFocus(4);
    assert.equal(model.focus, 4);
    model.setFocus(40);
    assert.equal(model.focus, undefined, 'out of range clears');
  });
});

describe('search queries', () => {
  const factors: Factor[] = [
    { name: 'shape', kind: 'category', classes: ['circle', 'square', 'triangle'], values: Int32Array.from([0, 1, 2, 0, 1, 2]) },
    { name: 'scale', kind: 'value', values: Float32Array.from([0.1, 0.5, 0.9, 0.7, 0.3, 0.6]) },
  ];
  const errors = Float32Array.from([0.01, 0.02, 0.03, 0.04, 0.05, 0.06]);
  it('matches class names, factor=class, comparisons and their conjunctions', () => {
    assert.deepEqual(matchQuery('circle', factors, errors, 6).indices, [0, 3]);
    assert.deepEqual(matchQuery('SQ', factors, errors, 6).indices, [1, 4], 'a prefix, any case');
    assert.deepEqual(matchQuery('shape=triangle', factors, errors, 6).indices, [2, 5]);
    assert.deepEqual(matchQuery('scale>=0.6', factors, errors, 6).indices, [2, 3, 5]);
    assert.deepEqual(matchQuery('scale>0.5 and shape=circle', factors, errors, 6).indices, [3]);
    assert.deepEqual(matchQuery('error<0.035', factors, errors, 6).indices, [0, 1, 2]);
  });
  it('says why a query matches nothing', () => {
    assert.match(matchQuery('hexagon', factors, errors, 6).problem ?? '', /No label starts with/);
    assert.match(matchQuery('shape=hexagon', factors, errors, 6).problem ?? '', /no class "hexagon"/);
    assert.match(matchQuery('size>1', factors, errors, 6).problem ?? '', /No factor named "size"/);
    assert.match(matchQuery('scale>big', factors, errors, 6).problem ?? '', /not a number/);
    assert.match(matchQuery('not hexagon', factors, errors, 6).problem ?? '', /No label starts with "hexagon"/, 'a negated term says what it could not find');
  });
  it('reads a yes/no attribute named alone as "yes" and negates any term with not', () => {
    // As an attribute table's boolean columns arrive (CelebA's Smiling, Eyeglasses).
    const attributes: Factor[] = [
      ...factors,
      { name: 'Smiling', kind: 'category', classes: ['no', 'yes'], values: Int32Array.from([1, 1, 0, 1, 0, 0]) },
      { name: 'Eyeglasses', kind: 'category', classes: ['no', 'yes'], values: Int32Array.from([0, 1, 0, 0, 1, 1]) },
    ];
    assert.deepEqual(matchQuery('Smiling', attributes, errors, 6).indices, [0, 1, 3]);
    assert.deepEqual(matchQuery('smiling and not Eyeglasses', attributes, errors, 6).indices, [0, 3]);
    assert.deepEqual(matchQuery('Smiling and !eyeglasses', attributes, errors, 6).indices, [0, 3], '! is not');
    assert.deepEqual(matchQuery('not Smiling', attributes, errors, 6).indices, [2, 4, 5]);
    assert.deepEqual(matchQuery('not Smiling and not Eyeglasses', attributes, errors, 6).indices, [2]);
    assert.deepEqual(matchQuery('not shape=circle and scale>0.5', attributes, errors, 6).indices, [2, 5], 'not binds to its own term');
    assert.deepEqual(matchQuery('not scale>0.5', attributes, errors, 6).indices, [0, 1, 4]);
    assert.deepEqual(matchQuery('not circle', attributes, errors, 6).indices, [1, 2, 4, 5]);
  });
});
