// checkpoint.json: what a checkpoint is (epoch, model, dataset, metrics) and every file it holds
// with its size and SHA-256. Parsed by src/shared/runFiles.ts, which the sidebar uses too.

import { createHash } from 'node:crypto';
import { parseCheckpointFile } from '../../shared/runFiles';

export { MAX_CHECKPOINT_JSON_BYTES } from '../../shared/runFiles';

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The parsed content of a checkpoint.json, or a bad-input error saying which field is wrong. */
export const checkCheckpointFile = parseCheckpointFile;
