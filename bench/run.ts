// `npm run bench [-- training|projections|webview|curves|health|webgpu|kernels|celeba]`: every measurement, ours next
// to its reference from the same run, judged against its target. The run is appended to
// bench/results/history.jsonl (and written to latest.json / latest.md); `npm run bench:docs` then
// regenerates the tables in README.md and docs/PERFORMANCE.md. Exits 1 when a row misses its target
// or a suite fails, 2 for an unknown suite name.

import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { runBench, type Suite } from './runBench';

const SUITES: Suite[] = [
  { name: 'training', run: async () => (await import('./training.bench')).runTrainingBenchmarks() },
  { name: 'projections', run: async () => (await import('./projections.bench')).runProjectionBenchmarks() },
  { name: 'webview', run: async () => (await import('./webviewFrame.bench')).runWebviewFrameBenchmarks() },
  { name: 'curves', run: async () => (await import('./curvesFrame.bench')).runCurvesFrameBenchmarks() },
  { name: 'health', run: async () => (await import('./engineHealth.bench')).runEngineHealthBenchmarks() },
  { name: 'webgpu', run: async () => (await import('./webgpu.bench')).runWebgpuBenchmarks() },
  { name: 'kernels', run: async () => (await import('./kernels.bench')).runKernelBenchmarks() },
  { name: 'celeba', run: async () => (await import('./celeba.bench')).runCelebaBenchmarks() },
];

runBench({
  suites: SUITES,
  only: process.argv.slice(2),
  resultsDir: join(__dirname, 'results'),
  machine: `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, Node ${process.version}`,
  loadAverage: () => loadavg()[0],
  now: () => new Date(),
  print: (text) => process.stdout.write(text + '\n'),
}).then(
  ({ exitCode }) => {
    process.exitCode = exitCode;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
