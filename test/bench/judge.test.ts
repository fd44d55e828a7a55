// The bench's judging with made-up rows: each kind of target, met and missed, and what counts as failed.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BenchRow, Target } from '../../bench/benchTypes';
import { describeTarget, exitCodeOf, judgeRow } from '../../bench/judge';

function row(ours: number, reference: number | null, target: Target, extra: Partial<BenchRow> = {}): BenchRow {
  return { name: 'fake', ours, reference, unit: 's', ratio: reference === null ? null : ours / reference, target, ...extra };
}

describe('judgeRow', () => {
  it('compares with an upper and a lower bound, the bound itself meeting it', () => {
    assert.equal(judgeRow(row(0.5, null, { atMost: 0.5 })).status, 'met');
    assert.equal(judgeRow(row(0.51, null, { atMost: 0.5 })).status, 'missed');
    assert.equal(judgeRow(row(10, null, { atLeast: 10 })).status, 'met');
    assert.equal(judgeRow(row(9.9, null, { atLeast: 10 })).status, 'missed');
  });

  it('shows a figure that rounds to its line with the digits that tell them apart', () => {
    assert.equal(judgeRow(row(1.5021, null, { atMost: 1.5 })).why, '1.502 s misses ≤ 1.5 s');
    assert.equal(judgeRow(row(0.49996, null, { atLeast: 0.5 })).why, '0.49996 s misses ≥ 0.5 s');
    assert.equal(judgeRow(row(1.2345, null, { atMost: 1.5 })).why, '1.23 s meets ≤ 1.5 s');
  });

  it('judges ratio targets on ours / reference, not on the row’s stored ratio', () => {
    assert.equal(judgeRow(row(6_000, 10_000, { ratioAtLeast: 0.6 })).status, 'met');
    assert.equal(judgeRow(row(5_999, 10_000, { ratioAtLeast: 0.6 })).status, 'missed');
    assert.equal(judgeRow(row(5_000, 10_000, { ratioAtLeast: 0.6 }, { ratio: 0.9 })).status, 'missed');
    assert.equal(judgeRow(row(2.5, 16, { ratioAtMost: 1 })).status, 'met');
    assert.equal(judgeRow(row(17, 16, { ratioAtMost: 1 })).status, 'missed');
  });

  it('allows a quality score a little under the reference', () => {
    assert.equal(judgeRow(row(0.96, 0.969, { referenceMinus: 0.01 })).status, 'met');
    assert.equal(judgeRow(row(0.958, 0.969, { referenceMinus: 0.01 })).status, 'missed');
  });

  it('fails a ratio row without a reference rather than passing it', () => {
    const verdict = judgeRow(row(7_000, null, { ratioAtLeast: 0.6 }));
    assert.equal(verdict.status, 'failed');
    assert.match(verdict.why, /no reference/);
  });

  it('fails a row marked failed, or without a figure, whatever its target', () => {
    assert.equal(judgeRow(row(1, 1, { atMost: 5 }, { failed: 'the child process crashed' })).status, 'failed');
    assert.equal(judgeRow(row(1, null, { none: 'measures only' }, { failed: 'timeout' })).status, 'failed');
    assert.equal(judgeRow(row(Number.NaN, null, { atMost: 5 })).status, 'failed');
  });

  it('leaves a row with no target unjudged, giving the reason', () => {
    const verdict = judgeRow(row(438, 6714, { none: 'a software adapter' }));
    assert.deepEqual([verdict.status, verdict.why], ['untargeted', 'a software adapter']);
  });

  it('says the target in words', () => {
    assert.equal(describeTarget({ ratioAtLeast: 0.6, of: 'PyTorch at its best' }, 'samples/s'), '≥ 0.60× PyTorch at its best');
    assert.equal(describeTarget({ atMost: 0.5 }, 's'), '≤ 0.5 s');
    assert.equal(describeTarget({ referenceMinus: 0.01 }, ''), '≥ reference − 0.01');
  });
});

describe('exitCodeOf', () => {
  const met = judgeRow(row(1, null, { atMost: 2 }));
  const untargeted = judgeRow(row(1, null, { none: 'x' }));
  it('is 0 when every row met its target or has none', () => assert.equal(exitCodeOf([met, untargeted]), 0));
  it('is 1 on a miss', () => assert.equal(exitCodeOf([met, judgeRow(row(3, null, { atMost: 2 }))]), 1));
  it('is 1 on a failure', () => assert.equal(exitCodeOf([met, judgeRow(row(1, null, { atMost: 2 }, { failed: 'x' }))]), 1));
});
