// The performance tables in README.md and docs/PERFORMANCE.md are what `npm run bench:docs` makes from
// the committed bench/results/history.jsonl: a figure typed into a table, or a run appended without
// regenerating the docs, fails here.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { applyBlocks, docBlocks, DOCUMENTS } from '../../bench/docTables';
import type { BenchRecord } from '../../bench/resultsLog';
import { readHistory } from '../../bench/resultsLog';

const ROOT = join(__dirname, '..', '..');

describe('generated performance tables', () => {
  const blocks = docBlocks(readHistory(join(ROOT, 'bench', 'results')));
  for (const file of DOCUMENTS) {
    it(`${file} holds the tables the results history makes (run npm run bench:docs)`, () => {
      const text = readFileSync(join(ROOT, file), 'utf8');
      assert.match(text, /<!-- bench:[a-z-]+ -->/, `${file} has no generated table`);
      assert.equal(text, applyBlocks(text, blocks, file));
    });
  }
});

describe('applyBlocks and docBlocks', () => {
  const record = (date: string, ours: number, load: BenchRecord['load']): BenchRecord => ({
    date,
    machine: 'm',
    load,
    suites: [{ suite: 'training', rows: [{ name: 'train x', ours, reference: 1000, unit: 'samples/s', ratio: ours / 1000, target: { ratioAtLeast: 0.6 } }] }],
  });
  const history = [record('2026-12-01T10:00:00.000Z', 500, null), record('2026-12-02T10:00:00.000Z', 700, { start: 0.3, end: 0.8 })];

  it('shows each suite from its newest run, with the load it ran under', () => {
    const { summary } = docBlocks(history);
    assert.match(summary, /\| train x \| 700 \| 1,000 \| samples\/s \| 0\.70× \| ≥ 0\.60× reference \| met \|/);
    assert.doesNotMatch(summary, /\| 500 \|/);
    assert.match(summary, /training: 2026-12-02 10:00 UTC, m, load average 0\.3 → 0\.8/);
  });

  it('keeps every training run in the history table, misses marked', () => {
    const table = docBlocks(history)['training-history'];
    assert.match(table, /\| 2026-12-01 10:00 \| train x \| 500 \| .* \| \*\*missed\*\* \|/);
    assert.match(table, /\| 2026-12-02 10:00, load 0\.3 → 0\.8 \| train x \| 700 \| .* \| met \|/);
  });

  it('replaces only what is between the markers', () => {
    const text = 'before\n<!-- bench:a -->\nstale\n<!-- /bench:a -->\nafter\n';
    assert.equal(applyBlocks(text, { a: 'fresh' }, 'x.md'), 'before\n<!-- bench:a -->\nfresh\n<!-- /bench:a -->\nafter\n');
  });

  it('refuses an unknown table name and a marker without its end', () => {
    assert.throws(() => applyBlocks('<!-- bench:b -->\n<!-- /bench:b -->\n', { a: '' }, 'x.md'), /x\.md: no table named b/);
    assert.throws(() => applyBlocks('<!-- bench:a -->\nno end\n', { a: '' }, 'x.md'), /has no <!-- \/bench:a -->/);
  });
});
