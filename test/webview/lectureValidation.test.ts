// The host's checks of the lecture views' requests (src/extension/lectureValidation.ts, merged into
// explorerValidators): session indices within the open session, codes exactly one latent long and
// finite, noise and sizes bounded, unknown fields and kinds refused.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { explorerValidators } from '../../src/shared/validation/explorerValidation';
import { EngineError } from '../../src/shared/errors';

const valid = explorerValidators(() => ({ latent: 3, datasetCount: 1000, count: 50 }));
const closed = explorerValidators(() => ({}));
const bad = (e: unknown): boolean => EngineError.is(e, 'bad-input');

describe('lecture request validation', () => {
  it('takes interpolation ends as session samples or codes of the latent size', () => {
    const ok = valid['explorer/interpolate']({ from: { kind: 'sample', index: 49 }, to: { kind: 'code', code: Float32Array.of(1, 2, 3) }, steps: 8, mode: 'spherical' });
    assert.deepEqual(ok.from, { kind: 'sample', index: 49 });
    assert.equal(ok.to.kind === 'code' && ok.to.code.length, 3);
    const base = { from: { kind: 'sample', index: 0 }, to: { kind: 'sample', index: 1 }, steps: 8, mode: 'linear' };
    assert.throws(() => valid['explorer/interpolate']({ ...base, from: { kind: 'sample', index: 50 } }), bad, 'past the session');
    assert.throws(() => valid['explorer/interpolate']({ ...base, to: { kind: 'code', code: Float32Array.of(1, 2) } }), bad, 'wrong length');
    assert.throws(() => valid['explorer/interpolate']({ ...base, to: { kind: 'code', code: Float32Array.of(1, Number.NaN, 3) } }), bad, 'not finite');
    assert.throws(() => valid['explorer/interpolate']({ ...base, to: { kind: 'sample', index: 1, code: [1, 2, 3] } }), bad, 'both');
    assert.throws(() => valid['explorer/interpolate']({ ...base, steps: 1 }), bad);
    assert.throws(() => valid['explorer/interpolate']({ ...base, steps: 33 }), bad);
    assert.throws(() => valid['explorer/interpolate']({ ...base, mode: 'cubic' }), bad);
    assert.throws(() => valid['explorer/interpolate']({ ...base, extra: 1 }), bad);
    assert.throws(() => closed['explorer/interpolate']({ ...base, to: { kind: 'code', code: [1, 2, 3] } }), bad, 'no session yet');
  });

  it('takes sample sets by index or by factor, bounded', () => {
    assert.deepEqual(valid['explorer/average']({ set: { kind: 'indices', indices: [0, 49] } }), { set: { kind: 'indices', indices: [0, 49] } });
    assert.deepEqual(valid['explorer/average']({ set: { kind: 'factor', factor: 'smiling', value: 1 } }), { set: { kind: 'factor', factor: 'smiling', value: 1 } });
    assert.throws(() => valid['explorer/average']({ set: { kind: 'indices', indices: [50] } }), bad);
    assert.throws(() => valid['explorer/average']({ set: { kind: 'indices', indices: [1.5] } }), bad);
    assert.throws(() => valid['explorer/average']({ set: { kind: 'factor', factor: '', value: 1 } }), bad);
    assert.throws(() => valid['explorer/average']({ set: { kind: 'factor', factor: 'x'.repeat(101), value: 1 } }), bad);
    assert.throws(() => valid['explorer/average']({ set: { kind: 'everything' } }), bad);
    const attribute = valid['explorer/attributeVector']({ with: { kind: 'indices', indices: [1] }, without: { kind: 'indices', indices: [2] } });
    assert.deepEqual(attribute.without, { kind: 'indices', indices: [2] });
    assert.equal('without' in valid['explorer/attributeVector']({ with: { kind: 'factor', factor: 'smiling', value: 0 } }), false);
    assert.equal(valid['explorer/attributeVector']({ with: { kind: 'factor', factor: 'smiling', value: 0 }, target: 49 }).target, 49);
    assert.throws(() => valid['explorer/attributeVector']({ with: { kind: 'factor', factor: 'smiling', value: 0 }, target: 50 }), bad);
  });

  it('bounds noise, prior draws and the PCA comparison', () => {
    assert.deepEqual(valid['explorer/denoise']({ index: 3, noise: { kind: 'masking', amount: 0.5 }, seed: 2 }), { index: 3, noise: { kind: 'masking', amount: 0.5 }, seed: 2 });
    assert.throws(() => valid['explorer/denoise']({ index: 3, noise: { kind: 'blur', amount: 0.5 }, seed: 2 }), bad);
    assert.throws(() => valid['explorer/denoise']({ index: 3, noise: { kind: 'gaussian', amount: 1.5 }, seed: 2 }), bad);
    assert.throws(() => valid['explorer/denoise']({ index: 3, noise: { kind: 'gaussian', amount: -0.1 }, seed: 2 }), bad);
    assert.throws(() => valid['explorer/prior']({ count: 65, seed: 1 }), bad);
    assert.throws(() => valid['explorer/prior']({ count: 4, seed: -1 }), bad);
    assert.deepEqual(valid['explorer/vaeSummary']({}), {});
    assert.throws(() => valid['explorer/vaeSummary']({ siblings: ['/etc'] }), bad, 'the webview cannot name folders');
    assert.throws(() => valid['explorer/aeVsPca']({ maxK: 8, showCount: 6, siblings: ['/etc'] }), bad, 'the webview cannot name folders');
    assert.throws(() => valid['explorer/aeVsPca']({ maxK: 0, showCount: 6 }), bad);
    assert.throws(() => valid['explorer/aeVsPca']({ maxK: 8, showCount: 17 }), bad);
  });
});
