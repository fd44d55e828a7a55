// Which runs of the workspace the lecture views compare with the open checkpoint (AE vs PCA, β):
// kept free of the `vscode` runtime (types only) so it is tested in plain Node.

import { resolve } from 'node:path';
import type { CheckpointInfo } from '../shared/protocol';
import type { RunEntry } from './runIndex';

/** Sibling runs passed to the engine at most (it reads each one's checkpoint). */
export const MAX_SIBLINGS = 12;

/**
 * The latest checkpoint of every other run trained on the same dataset with the same sample shape,
 * most recently updated first (findRuns' order). The engine decides which of them each view uses
 * (same kind and other code sizes for AE vs PCA, VAEs for β).
 */
export function siblingCheckpoints(runs: readonly Pick<RunEntry, 'uri' | 'checkpoints'>[], current: Pick<CheckpointInfo, 'runDir' | 'dataset'>): string[] {
  const here = resolve(current.runDir);
  const shape = current.dataset.sampleShape.join('×');
  const out: string[] = [];
  for (const run of runs) {
    const latest = run.checkpoints.at(-1);
    if (!latest || resolve(run.uri.fsPath) === here) continue;
    if (latest.file.dataset.name !== current.dataset.name || latest.file.dataset.sampleShape.join('×') !== shape) continue;
    out.push(latest.uri.fsPath);
    if (out.length >= MAX_SIBLINGS) break;
  }
  return out;
}
