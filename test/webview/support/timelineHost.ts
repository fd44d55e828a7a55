// A stand-in host for the training timeline backed by the real engine: a run trained here with the CLI
// (one checkpoint per epoch), opened in an EngineProcess with the PCA map aligned onto the run's
// latest epoch as the panel asks, the run's timeline in every state given to the page, and
// `explorer/seek` answered by the panel's own handler (src/shared/timelineHost.ts): the host moves to
// the checkpoint, opens it and answers with its state. Everything else is relayed to the session shown.

import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { EngineProcess } from '../../../src/engine/engineProcess';
import type { ExploreSnapshot } from '../../../src/shared/engineApi';
import { runTimeline, seekHandler } from '../../../src/shared/timelineHost';
import type { ExplorerInit } from '../../../src/shared/webviewApi';
import { makeTempDir } from '../../support/tempDir';
import { forwardLayouts } from './engineHost';
import type { ExplorerHandlers } from './harness';
import { relayHandlers } from './lectureHost';
import { readSnapshot } from '../../support/openSnapshot';

const ROOT = join(__dirname, '..', '..', '..');

export interface TrainedRun {
  runDir: string;
  checkpoint(epoch: number): string;
  remove(): void;
}

/** `latent-explorer train` on built-in shapes for `epochs` epochs: a real run with a checkpoint per epoch. */
export function trainRun(epochs: number): TrainedRun {
  const temp = makeTempDir('latent-timeline-');
  const runDir = join(temp.dir, 'run');
  execFileSync(
    process.execPath,
    ['--import', 'tsx', 'src/engine/cli.ts', 'train', '--dataset', 'shapes', '--limit', '1500', '--model', 'dense', '--latent', '8', '--epochs', String(epochs), '--out', runDir],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], timeout: 5 * 60_000, env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' } },
  );
  return { runDir, checkpoint: (epoch) => join(runDir, 'checkpoints', `epoch-${String(epoch).padStart(4, '0')}`), remove: () => temp.remove() };
}

export interface TimelineEngineHost {
  handlers: ExplorerHandlers;
  /** The checkpoint folders the page asked to seek to, in order. */
  readonly seeks: string[];
  /** The session shown now. */
  readonly snapshot: ExploreSnapshot;
  dispose(): void;
}

export async function openTimelineHost(run: TrainedRun, startAt: string, limit: number): Promise<TimelineEngineHost> {
  const engine = new EngineProcess({ workerPath: join(ROOT, 'src', 'engine', 'worker.ts'), execArgv: ['--import', 'tsx'] });
  const request: Parameters<typeof runTimeline>[0] = (method, params, options) => engine.channel.request(method, params, options);
  let snapshot: ExploreSnapshot | undefined;
  const seeks: string[] = [];
  const open = async (checkpoint: string): Promise<ExplorerInit> => {
    const previous = snapshot;
    const header = await engine.channel.request('explore/open', { checkpoint, limit, seed: 1, alignTo: run.runDir }, { timeoutMs: 5 * 60_000 });
    snapshot = (await readSnapshot(engine.channel, header, { timeoutMs: 5 * 60_000 })).snapshot;
    if (previous) await engine.channel.request('explore/close', { sessionId: previous.sessionId });
    return {
      title: `${header.checkpoint.runName} · epoch ${header.checkpoint.epoch}`,
      snapshot: header,
      settings: { pointsCap: limit, umap: { nNeighbors: 15, minDist: 0.1, seed: 1 } },
      live: { following: false },
      timeline: await runTimeline(request, header.checkpoint),
    };
  };
  try {
    let init = await open(startAt);
    const current = (): ExploreSnapshot => {
      if (!snapshot) throw new Error('not opened');
      return snapshot;
    };
    const relays = relayHandlers(engine, () => current().sessionId);
    const forwarding = forwardLayouts(engine, relays, () => snapshot?.sessionId);
    const handlers: ExplorerHandlers = {
      ...relays,
      'explorer/ready': () => init,
      'explorer/project': forwarding.project,
      'explorer/seek': seekHandler({
        request,
        shown: async () => current().checkpoint,
        moveTo: async (dir) => {
          seeks.push(dir);
          init = await open(dir);
          return init;
        },
      }),
      'explorer/checkpoints': () => [],
      'explorer/follow': ({ follow }) => ({ following: follow }),
    };
    return {
      handlers,
      seeks,
      get snapshot() {
        return current();
      },
      dispose: () => {
        forwarding.dispose();
        engine.dispose();
      },
    };
  } catch (error) {
    engine.dispose();
    throw error;
  }
}
