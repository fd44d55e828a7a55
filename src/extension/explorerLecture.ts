// What only the host can add to the explorer's lecture views: for AE vs PCA and the β comparison, the
// workspace's other runs on the same data (src/extension/runIndex.ts), as checkpoint folders the
// engine reads itself. The requests themselves are relayed as src/shared/explorerRequests.ts says.

import type { CheckpointInfo } from '../shared/protocol';
import type { Log } from './log';
import { findRuns } from './runIndex';
import { siblingCheckpoints } from './lectureSiblings';

/** Latest checkpoints of the workspace's sibling runs; none when looking fails (the views still work). */
export async function siblingRuns(current: CheckpointInfo, log: Log): Promise<string[]> {
  try {
    return siblingCheckpoints(await findRuns(), current);
  } catch (error) {
    log.warn(`Looking for sibling runs failed: ${String(error)}`);
    return [];
  }
}
