// `--debug` stacks name the TypeScript sources, not positions in the bundle. Node maps only files
// loaded after source maps were switched on (process.setSourceMapsEnabled cannot reach the bundle
// that calls it), so with --debug the bundle starts itself once more under --enable-source-maps.

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { constants } from 'node:os';

const RELAUNCHED = 'LATENT_EXPLORER_SOURCE_MAPS';

/**
 * Runs this same script again with source maps on and resolves with its exit code, or returns
 * undefined when there is nothing to do: no --debug, maps already on, or no map beside the script
 * (the production bundle ships none; running from the sources, tsx maps them already).
 */
export function relaunchWithSourceMaps(argv: string[], debug: boolean): Promise<number> | undefined {
  const script = process.argv[1];
  if (!debug || process.env[RELAUNCHED] || process.execArgv.includes('--enable-source-maps') || !script?.endsWith('.js') || !existsSync(`${script}.map`)) {
    return undefined;
  }
  // The terminal sends Ctrl-C to both processes: the child handles it, this one only waits.
  process.on('SIGINT', () => undefined);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--enable-source-maps', ...process.execArgv, script, ...argv], {
      stdio: 'inherit',
      env: { ...process.env, [RELAUNCHED]: '1' },
    });
    child.on('error', () => resolve(70));
    child.on('exit', (code, signal) => resolve(code ?? 128 + (signal ? constants.signals[signal] : 0)));
  });
}
