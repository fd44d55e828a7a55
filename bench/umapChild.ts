// One UMAP run as the extension ships it: projections.bench.ts bundles this file with esbuild, as
// scripts/build.mjs bundles the engine, next to a bundled layoutWorker.js, and runs it in a fresh
// process (`node umapChild.js <codes.f32> <rows> <cols> <epochs|default> <points.f32>`). The one
// runUmap call is the process's first, as a user's first map is the engine's: the layout worker
// starts cold from its bundle, and nothing is warmed up. Prints one JSON line (seconds to the first
// layout and to the final one, epochs) and writes the final layout (rows × 2 float32) to the last path.

import { readFileSync, writeFileSync } from 'node:fs';
import { runUmap } from '../src/engine/project/umap';

export interface UmapChildResult {
  first: number;
  total: number;
  epochs: number;
}

async function main(): Promise<void> {
  const [codesPath, rowsText, colsText, epochsText, outPath] = process.argv.slice(2);
  const bytes = readFileSync(codesPath);
  const codes = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const nEpochs = epochsText === 'default' ? undefined : Number(epochsText);
  const start = performance.now();
  let first = 0;
  let epochs = 0;
  const points = await runUmap(codes, Number(rowsText), Number(colsText), { seed: 1, nEpochs }, {
    onLayout: (_layout, _epoch, total) => {
      if (first === 0) first = (performance.now() - start) / 1000;
      epochs = total;
    },
  });
  const result: UmapChildResult = { first, total: (performance.now() - start) / 1000, epochs };
  writeFileSync(outPath, points);
  process.stdout.write(JSON.stringify(result) + '\n');
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
