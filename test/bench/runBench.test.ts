// A whole bench run with fake suites (no timing): the exit code, the record appended to the history
// rather than replacing it, and a suite that throws becoming a failed row.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { BenchRow } from '../../bench/benchTypes';
import { readHistory } from '../../bench/resultsLog';
import { runBench, type Suite } from '../../bench/runBench';
import { makeTempDir } from '../support/tempDir';

const fast: BenchRow = { name: 'fast thing', ours: 0.2, reference: null, unit: 's', ratio: null, target: { atMost: 0.5 } };
const slow: BenchRow = { name: 'slow thing', ours: 0.9, reference: null, unit: 's', ratio: null, target: { atMost: 0.5 } };

describe('runBench', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let printed: string[];
  let clock: number;
  beforeEach(() => {
    temp = makeTempDir('latent-bench-test-');
    printed = [];
    clock = Date.UTC(2026, 11, 5, 18, 0);
  });
  afterEach(() => temp.remove());

  const run = (suites: Suite[], only: string[] = []) =>
    runBench({
      suites,
      only,
      resultsDir: temp.dir,
      machine: 'test machine',
      loadAverage: () => 1.5,
      now: () => new Date((clock += 60_000)),
      print: (text) => printed.push(text),
    });

  it('exits 0 when every row meets its target, and records the run with its load', async () => {
    const { exitCode } = await run([{ name: 'a', run: async () => [fast] }]);
    assert.equal(exitCode, 0);
    const [record] = readHistory(temp.dir);
    assert.deepEqual(record.suites, [{ suite: 'a', rows: [fast] }]);
    assert.deepEqual(record.load, { start: 1.5, end: 1.5 });
    assert.equal(record.machine, 'test machine');
  });

  it('exits 1 on a missed target and names the row', async () => {
    const { exitCode } = await run([{ name: 'a', run: async () => [fast, slow] }]);
    assert.equal(exitCode, 1);
    assert.match(printed.at(-1)!, /1 of 2 rows did not meet their target:\n {2}missed: slow thing: 0\.9 s misses ≤ 0\.5 s/);
  });

  it('turns a suite that throws into a failed row, runs the others, and exits 1', async () => {
    const { exitCode, verdicts } = await run([
      { name: 'broken', run: async () => Promise.reject(new Error('no browser')) },
      { name: 'a', run: async () => [fast] },
    ]);
    assert.equal(exitCode, 1);
    assert.deepEqual(
      verdicts.map((v) => [v.name, v.status, v.why]),
      [
        ['broken suite', 'failed', 'no browser'],
        ['fast thing', 'met', '0.2 s meets ≤ 0.5 s'],
      ],
    );
  });

  it('appends each run, dated, keeping the earlier ones; latest.json is the newest', async () => {
    await run([{ name: 'a', run: async () => [slow] }]);
    await run([{ name: 'a', run: async () => [fast] }]);
    const history = readHistory(temp.dir);
    assert.deepEqual(history.map((r) => [r.date, r.suites[0].rows[0].name]), [
      ['2026-12-05T18:01:00.000Z', 'slow thing'],
      ['2026-12-05T18:02:00.000Z', 'fast thing'],
    ]);
    assert.equal(JSON.parse(readFileSync(join(temp.dir, 'latest.json'), 'utf8')).date, '2026-12-05T18:02:00.000Z');
    assert.match(readFileSync(join(temp.dir, 'latest.md'), 'utf8'), /\| fast thing \| 0\.2 \| — \| s \| — \| ≤ 0\.5 s \| met \|/);
  });

  it('runs only the suites named, and refuses an unknown name without recording anything', async () => {
    let ran = '';
    const suites: Suite[] = [
      { name: 'a', run: async () => ((ran += 'a'), [fast]) },
      { name: 'b', run: async () => ((ran += 'b'), [fast]) },
    ];
    assert.equal((await run(suites, ['b'])).exitCode, 0);
    assert.equal(ran, 'b');
    assert.equal((await run(suites, ['c'])).exitCode, 2);
    assert.equal(readHistory(temp.dir).length, 1);
    assert.match(printed.at(-1)!, /no suite named c; the suites are a, b/);
  });
});
