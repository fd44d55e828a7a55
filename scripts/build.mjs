#!/usr/bin/env node
// One esbuild bundle per runtime, as the extension ships them (type-checking is `npm run check-types`,
// since esbuild does not type-check):
//   dist/extension.js  the extension host glue (vscode external)
//   dist/engine.js     the engine's child process (native TensorFlow packages external: found at run time)
//   dist/cli.js        the headless command line (`npx latent-explorer`)
//   dist/imageDecodeWorker.js  the threads that decode image folders, started by engine.js and cli.js
//   dist/layoutWorker.js  the second thread of a UMAP layout, started by engine.js and cli.js
//   dist/webview.js    the explorer page (browser)
//   dist/curves.js     the training curves page (browser)
// plus the tfjs WebAssembly binaries next to the engine bundles, and this platform's Dawn in dist/dawn/.
import { build } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';

const production = process.argv.includes('--production');
const require = createRequire(import.meta.url);
const nativeExternals = ['@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu'];
const common = { bundle: true, sourcemap: !production, minify: production, logLevel: 'warning', legalComments: 'none' };

const entries = [
  { in: 'src/extension/extension.ts', out: 'dist/extension.js', platform: 'node', external: ['vscode', ...nativeExternals] },
  { in: 'src/engine/worker.ts', out: 'dist/engine.js', platform: 'node', external: nativeExternals },
  {
    in: 'src/engine/cli.ts',
    out: 'dist/cli.js',
    platform: 'node',
    external: nativeExternals,
    banner: { js: '#!/usr/bin/env node' },
  },
  // Found beside engine.js / cli.js at run time (src/engine/data/imageDecodePool.ts).
  { in: 'src/engine/data/imageDecodeWorker.ts', out: 'dist/imageDecodeWorker.js', platform: 'node' },
  // Found beside engine.js / cli.js at run time (src/engine/project/partLayout.ts).
  { in: 'src/engine/project/layoutWorker.ts', out: 'dist/layoutWorker.js', platform: 'node' },
  { in: 'src/webview/main.ts', out: 'dist/webview.js', platform: 'browser', format: 'iife' },
  { in: 'src/webview/curves/main.ts', out: 'dist/curves.js', platform: 'browser', format: 'iife' },
];

// A missing entry is a broken tree, not an optional bundle: stop before building the others.
const missing = entries.filter((entry) => !existsSync(entry.in)).map((entry) => entry.in);
if (missing.length > 0) {
  console.error(`build: missing entry point${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`);
  process.exit(1);
}

mkdirSync('dist', { recursive: true });
await Promise.all(
  entries
    .map((entry) =>
      build({
        ...common,
        entryPoints: [entry.in],
        outfile: entry.out,
        platform: entry.platform,
        format: entry.format ?? 'cjs',
        target: entry.platform === 'node' ? 'node20' : 'chrome120',
        external: entry.external ?? [],
        banner: entry.banner,
      }),
    ),
);

// The WASM backend loads its .wasm files from beside the bundle (see src/engine/backend.ts).
const wasmDir = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
for (const file of readdirSync(wasmDir).filter((f) => f.endsWith('.wasm'))) copyFileSync(join(wasmDir, file), join('dist', file));
// The threaded build's pthread workers load its main script from a file (src/engine/kernels/wasmThreads.ts).
copyFileSync(join(wasmDir, '..', 'wasm-out', 'tfjs-backend-wasm-threaded-simd.js'), join('dist', 'tfjs-backend-wasm-threaded-simd.js'));
// Dawn (the webgpu backend) for this machine, where a platform .vsix puts it (src/engine/gpu/dawnBinary.ts):
// dist/dawn/<platform>-<arch>/, with what it loads beside it on Windows. `npm run package` repacks per target.
const dawnPlatform = `${process.platform}-${process.platform === 'darwin' ? 'universal' : process.arch}`;
const dawnFrom = join(dirname(require.resolve('webgpu/package.json')), 'dist', dawnPlatform);
rmSync(join('dist', 'dawn'), { recursive: true, force: true });
if (existsSync(join(dawnFrom, 'dawn.node'))) {
  mkdirSync(join('dist', 'dawn', dawnPlatform), { recursive: true });
  for (const file of readdirSync(dawnFrom)) copyFileSync(join(dawnFrom, file), join('dist', 'dawn', dawnPlatform, file));
}
console.log(`built ${entries.map((e) => e.out).join(', ')}`);
