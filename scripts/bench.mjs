#!/usr/bin/env node
// `npm run bench [-- training|projections|webview|health|webgpu|kernels]`: runs bench/run.ts under tsx and exits with its code
import { spawnSync } from 'node:child_process';
const result = spawnSync(process.execPath, ['--import', 'tsx', 'bench/run.ts', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' },
});
process.exit(result.status ?? 1);
