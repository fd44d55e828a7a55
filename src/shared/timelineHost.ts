// The host's side of the timeline, free of `vscode` so the browser tests' stand-in hosts run the same
// code as the panel: the run's checkpoints listed by the engine (`run/describe`, off the host's
// thread), and `explorer/seek` allowed only to a checkpoint of that list.

import type { RunDescription } from './engineApi';
import { EngineError } from './errors';
import type { ExplorerHandler, RelayTarget } from './explorerHost';
import type { CheckpointInfo } from './protocol';
import type { Timeline } from './timelineApi';
import type { ExplorerInit } from './webviewApi';

const LIST_TIMEOUT_MS = 60_000;

/** The run of `shown`, oldest epoch first; just `shown` when its folder is not a readable run. */
export async function runTimeline(request: RelayTarget['request'], shown: CheckpointInfo, signal?: AbortSignal): Promise<Timeline> {
  let described: RunDescription | undefined;
  try {
    described = await request('run/describe', { runDir: shown.runDir }, { signal, timeoutMs: LIST_TIMEOUT_MS });
  } catch (error) {
    if (EngineError.is(error, 'cancelled')) throw error;
  }
  const infos = described?.checkpoints.some((c) => c.dir === shown.dir) ? described.checkpoints : [...(described?.checkpoints ?? []), shown];
  const checkpoints = infos
    .map((c) => ({ dir: c.dir, epoch: c.epoch, loss: c.metrics.loss, valLoss: c.metrics.valLoss }))
    .sort((a, b) => a.epoch - b.epoch || a.dir.localeCompare(b.dir));
  return { checkpoints, current: shown.dir };
}

export interface SeekTarget {
  request: RelayTarget['request'];
  /** The checkpoint the panel shows now. */
  shown(): Promise<CheckpointInfo>;
  /** Moves the panel to `dir` (checked to be of its run) and resolves with the page's new state. */
  moveTo(dir: string): Promise<ExplorerInit>;
}

/** Seeks move the panel in the order they arrive: one overtaken while its run was being listed is dropped. */
export function seekHandler(target: SeekTarget): ExplorerHandler<'explorer/seek'> {
  let newest = 0;
  return async ({ checkpoint }, { signal }) => {
    const mine = ++newest;
    const timeline = await runTimeline(target.request, await target.shown(), signal);
    // Only a checkpoint the host listed: the page never names an arbitrary folder for the engine to load.
    if (!timeline.checkpoints.some((c) => c.dir === checkpoint)) throw new EngineError('bad-input', 'That checkpoint is not one of this run’s');
    if (mine !== newest) throw new EngineError('cancelled', 'Another epoch was chosen');
    return target.moveTo(checkpoint);
  };
}
