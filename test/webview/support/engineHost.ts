// The stand-in host backed by the real engine: trains a tiny checkpoint with the CLI, opens it in an
// EngineProcess (src/engine/worker.ts under tsx) and relays the webview's requests to the engine
// session with the panel's own relays (src/shared/explorerHost.ts), forwarding UMAP's partial layouts.

import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { EngineProcess } from '../../../src/engine/engineProcess';
import type { EngineNotifications, ExploreSnapshot } from '../../../src/shared/engineApi';
import type { ExplorerInit } from '../../../src/shared/webviewApi';
import { makeTempDir } from '../../support/tempDir';
import type { ExplorerHandlers, HostContext } from './harness';
import { relayHandlers } from './lectureHost';
import { readSnapshot } from '../../support/openSnapshot';

const ROOT = join(__dirname, '..', '..', '..');

export interface TrainedCheckpoint {
  dir: string;
  remove(): void;
}

/** `latent-explorer train` on built-in shapes: a real checkpoint in a temp folder. */
export function trainTinyCheckpoint(): TrainedCheckpoint {
  const temp = makeTempDir('latent-webview-');
  const out = join(temp.dir, 'run');
  execFileSync(
    process.execPath,
    ['--import', 'tsx', 'src/engine/cli.ts', 'train', '--dataset', 'shapes', '--model', 'dense', '--latent', '8', '--epochs', '2', '--out', out],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], timeout: 5 * 60_000, env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' } },
  );
  return { dir: join(out, 'checkpoints', 'epoch-0002'), remove: () => temp.remove() };
}

export interface EngineHost {
  engine: EngineProcess;
  snapshot: ExploreSnapshot;
  init: ExplorerInit;
  handlers: ExplorerHandlers;
  /** Partial layouts forwarded to the page (projection id and epoch). */
  layoutsForwarded: { projectionId: string; epoch: number; epochs: number }[];
  dispose(): void;
}

export async function openEngineHost(checkpoint: string, limit: number): Promise<EngineHost> {
  const engine = new EngineProcess({ workerPath: join(ROOT, 'src', 'engine', 'worker.ts'), execArgv: ['--import', 'tsx'] });
  try {
    const header = await engine.channel.request('explore/open', { checkpoint, limit, seed: 1 }, { timeoutMs: 5 * 60_000 });
    // The whole session, for the tests to compare with; the page takes it in chunks through the relays.
    const { snapshot } = await readSnapshot(engine.channel, header, { timeoutMs: 5 * 60_000 });
    const sessionId = snapshot.sessionId;
    const init: ExplorerInit = {
      title: `${snapshot.checkpoint.runName} · epoch ${snapshot.checkpoint.epoch}`,
      snapshot: header,
      settings: { pointsCap: limit, umap: { nNeighbors: 15, minDist: 0.1, seed: 1 } },
    };
    const layoutsForwarded: EngineHost['layoutsForwarded'] = [];
    const relays = relayHandlers(engine, () => sessionId);
    const forwarding = forwardLayouts(engine, relays, () => sessionId, (note) => layoutsForwarded.push({ projectionId: note.projectionId, epoch: note.epoch, epochs: note.epochs }));
    const handlers: ExplorerHandlers = {
      ...relays,
      'explorer/ready': () => init,
      'explorer/project': forwarding.project,
      // No other checkpoints, and nothing to follow, in this host.
      'explorer/checkpoints': () => [],
      'explorer/follow': ({ follow }) => ({ following: follow }),
    };
    return {
      engine,
      snapshot,
      init,
      handlers,
      layoutsForwarded,
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

/**
 * `explorer/project` relayed to the engine session, with UMAP's partial layouts forwarded to the page
 * that asked for that projection (the harness's notify is per page), as the panel forwards them.
 */
export function forwardLayouts(
  engine: EngineProcess,
  relays: ExplorerHandlers,
  sessionId: () => string | undefined,
  onForward?: (note: EngineNotifications['explore/layout']) => void,
): { project: ExplorerHandlers['explorer/project']; dispose(): void } {
  const routes = new Map<string, HostContext['notify']>();
  const unsubscribe = engine.channel.onNotification('explore/layout', (note) => {
    if (note.sessionId !== sessionId()) return;
    const notify = routes.get(note.projectionId);
    if (!notify) return;
    onForward?.(note);
    notify('explorer/layout', { projectionId: note.projectionId, projection: note.projection, epoch: note.epoch, epochs: note.epochs });
  });
  const relay = relays['explorer/project'];
  return {
    project: async (params, context) => {
      routes.set(params.projectionId, context.notify);
      try {
        return await relay!(params, context);
      } finally {
        routes.delete(params.projectionId);
      }
    },
    dispose: unsubscribe,
  };
}
