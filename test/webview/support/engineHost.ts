// The stand-in host backed by the real engine: trains a tiny checkpoint with the CLI, opens it in an
// EngineProcess (src/engine/worker.ts under tsx) and relays the webview's requests to the engine
// session as src/extension/explorerPanel.ts does, forwarding UMAP's partial layouts.

import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { EngineProcess } from '../../../src/engine/engineProcess';
import type { ExploreSnapshot } from '../../../src/shared/engineApi';
import type { ExplorerInit } from '../../../src/shared/webviewApi';
import { makeTempDir } from '../../support/tempDir';
import type { ExplorerHandlers, HostContext } from './harness';
import { lectureHandlers } from './lectureHost';

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
    const snapshot = await engine.channel.request('explore/open', { checkpoint, limit, seed: 1 }, { timeoutMs: 5 * 60_000 });
    const sessionId = snapshot.sessionId;
    const init: ExplorerInit = {
      title: `${snapshot.checkpoint.runName} · epoch ${snapshot.checkpoint.epoch}`,
      snapshot,
      settings: { pointsCap: limit, umap: { nNeighbors: 15, minDist: 0.1, seed: 1 } },
    };
    const layoutsForwarded: EngineHost['layoutsForwarded'] = [];
    // Layouts go to whichever page asked for that projection (the harness's notify is per page).
    const routes = new Map<string, HostContext['notify']>();
    const unsubscribe = engine.channel.onNotification('explore/layout', (note) => {
      if (note.sessionId !== sessionId) return;
      const notify = routes.get(note.projectionId);
      if (!notify) return;
      layoutsForwarded.push({ projectionId: note.projectionId, epoch: note.epoch, epochs: note.epochs });
      notify('explorer/layout', { projectionId: note.projectionId, projection: note.projection, epoch: note.epoch, epochs: note.epochs });
    });
    const handlers: ExplorerHandlers = {
      'explorer/ready': () => init,
      'explorer/project': async ({ projectionId, params }, { signal, notify }) => {
        routes.set(projectionId, notify);
        try {
          return await engine.channel.request('explore/project', { sessionId, projectionId, params }, { signal, timeoutMs: 5 * 60_000 });
        } finally {
          routes.delete(projectionId);
        }
      },
      'explorer/reconstructions': ({ count, order }, { signal }) =>
        engine.channel.request('explore/reconstructions', { sessionId, count, order }, { signal, timeoutMs: 60_000 }),
      'explorer/decodeGrid': ({ grid }, { signal }) => engine.channel.request('explore/decodeGrid', { sessionId, grid }, { signal, timeoutMs: 60_000 }),
      'explorer/decode': ({ codes, count }, { signal }) => engine.channel.request('explore/decode', { sessionId, codes, count }, { signal, timeoutMs: 60_000 }),
      'explorer/samples': ({ indices }, { signal }) => engine.channel.request('explore/samples', { sessionId, indices }, { signal, timeoutMs: 60_000 }),
      // The map's requests, relayed as src/extension/mapHandlers.ts does (no other checkpoints listed here).
      'explorer/neighbours': ({ index, k }, { signal }) => engine.channel.request('explore/neighbours', { sessionId, index, k }, { signal, timeoutMs: 60_000 }),
      'explorer/decodeAt': ({ method, points, count, k }, { signal }) =>
        engine.channel.request('explore/decodeAt', { sessionId, method, points, count, ...(k === undefined ? {} : { k }) }, { signal, timeoutMs: 60_000 }),
      'explorer/reconstructSamples': ({ indices }, { signal }) => engine.channel.request('explore/reconstructSamples', { sessionId, indices }, { signal, timeoutMs: 60_000 }),
      'explorer/trust': ({ method, k }, { signal }) => engine.channel.request('explore/trust', { sessionId, method, k }, { signal, timeoutMs: 60_000 }),
      'explorer/checkpoints': () => [],
      'explorer/follow': ({ follow }) => ({ following: follow }),
      // The lecture views' requests (lectureHost.ts); no sibling runs here.
      ...lectureHandlers(engine, sessionId, []),
    };
    return {
      engine,
      snapshot,
      init,
      handlers,
      layoutsForwarded,
      dispose: () => {
        unsubscribe();
        engine.dispose();
      },
    };
  } catch (error) {
    engine.dispose();
    throw error;
  }
}
