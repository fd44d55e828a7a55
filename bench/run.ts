// `npm run bench [-- training|projections|webview|health|webgpu]`: every measurement, ours next to its
// reference from the same run, written to
// bench/results/latest.json and bench/results/latest.md (summarized in docs/PERFORMANCE.md).

import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import type { BenchRow } from './benchTypes';

type Suite = { name: string; load: () => Promise<() => Promise<BenchRow[]>> };

const SUITES: Suite[] = [
  { name: 'training', load: async () => (await import('./training.bench')).runTrainingBenchmarks },
  { name: 'projections', load: async () => (await import('./projections.bench')).runProjectionBenchmarks },
  { name: 'webview', load: async () => (await import('./webviewFrame.bench')).runWebviewFrameBenchmarks },
  { name: 'health', load: async () => (await import('./engineHealth.bench')).runEngineHealthBenchmarks },
  { name: 'webgpu', load: async () => (await import('./webgpu.bench')).runWebgpuBenchmarks },
  { name: 'celeba', load: async () => (await import('./celeba.bench')).runCelebaBenchmarks },
];

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const rows: BenchRow[] = [];
  for (const suite of SUITES.filter((s) => only.length === 0 || only.includes(s.name))) {
    process.stderr.write(`bench: ${suite.name}…\n`);
    try {
      const run = await suite.load();
      rows.push(...(await run()));
    } catch (error) {
      rows.push({ name: suite.name, ours: 0, reference: null, unit: '', ratio: null, note: `failed: ${String(error)}` });
    }
  }
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, Node ${process.version}`;
  const dir = join(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  // A partial run (named suites) writes its own files, so it never hides the full run's figures.
  const stem = only.length === 0 ? 'latest' : `latest-${only.join('-')}`;
  writeFileSync(join(dir, `${stem}.json`), JSON.stringify({ date: new Date().toISOString(), machine, rows }, null, 2) + '\n');
  const format = (v: number | null) => (v === null ? '—' : Math.abs(v) >= 100 ? Math.round(v).toLocaleString('en') : Number.isInteger(v) ? String(v) : v.toPrecision(3));
  const table = [
    `# Benchmarks (${new Date().toISOString().slice(0, 10)}, ${machine})`,
    '',
    '| measurement | ours | reference | unit | ratio | target | notes |',
    '|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.name} | ${format(r.ours)} | ${format(r.reference)} | ${r.unit} | ${r.ratio === null ? '—' : `${r.ratio.toFixed(2)}×`} | ${r.target ?? ''} | ${r.note ?? ''} |`),
  ].join('\n');
  writeFileSync(join(dir, `${stem}.md`), table + '\n');
  process.stdout.write(table + '\n');
}

void main();
