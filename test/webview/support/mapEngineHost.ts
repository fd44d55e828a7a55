// A stand-in host for the map features backed by the real engine: relays the map's requests
// (src/shared/mapApi.ts) and UMAP's warm start to whichever engine session is current, so a test can
// move the page to another checkpoint (the live map) with `explorer/reset`, as the extension does.

import type { EngineProcess } from '../../../src/engine/engineProcess';
import type { ExploreSnapshot } from '../../../src/shared/engineApi';
import type { CheckpointChoice, CheckpointComparison } from '../../../src/shared/mapApi';
import type { ExplorerInit } from '../../../src/shared/webviewApi';
import type { ExplorerHandlers, HostContext } from './harness';

export interface MapEngineHost {
  handlers: ExplorerHandlers;
  /** Opens a checkpoint in the engine and makes it the current session; returns the page's init. */
  open(checkpoint: string): Promise<ExplorerInit>;
  readonly snapshot: ExploreSnapshot;
  /** `init` layouts the page sent with its UMAP requests (undefined when none). */
  readonly warmStarts: (Float32Array | undefined)[];
  /** The engine's answers to the page's comparisons, in order. */
  readonly comparisons: CheckpointComparison[];
}

export function mapEngineHost(engine: EngineProcess, limit: number, choices: CheckpointChoice[]): MapEngineHost {
  let snapshot: ExploreSnapshot | undefined;
  let init: ExplorerInit | undefined;
  const warmStarts: (Float32Array | undefined)[] = [];
  const comparisons: CheckpointComparison[] = [];
  const routes = new Map<string, HostContext['notify']>();
  engine.channel.onNotification('explore/layout', (note) => {
    if (note.sessionId !== snapshot?.sessionId) return;
    routes.get(note.projectionId)?.('explorer/layout', { projectionId: note.projectionId, projection: note.projection, epoch: note.epoch, epochs: note.epochs });
  });
  const sid = (): string => {
    if (!snapshot) throw new Error('no session');
    return snapshot.sessionId;
  };
  const t = { timeoutMs: 5 * 60_000 };
  const handlers: ExplorerHandlers = {
    'explorer/ready': () => {
      if (!init) throw new Error('not opened');
      return init;
    },
    'explorer/project': async ({ projectionId, params, init: start }, { signal, notify }) => {
      warmStarts.push(start);
      routes.set(projectionId, notify);
      try {
        return await engine.channel.request('explore/project', { sessionId: sid(), projectionId, params, ...(start ? { init: start } : {}) }, { signal, ...t });
      } finally {
        routes.delete(projectionId);
      }
    },
    'explorer/reconstructions': ({ count, order }, { signal }) => engine.channel.request('explore/reconstructions', { sessionId: sid(), count, order }, { signal, ...t }),
    'explorer/decodeGrid': ({ grid }, { signal }) => engine.channel.request('explore/decodeGrid', { sessionId: sid(), grid }, { signal, ...t }),
    'explorer/decode': ({ codes, count }, { signal }) => engine.channel.request('explore/decode', { sessionId: sid(), codes, count }, { signal, ...t }),
    'explorer/samples': ({ indices }, { signal }) => engine.channel.request('explore/samples', { sessionId: sid(), indices }, { signal, ...t }),
    'explorer/neighbours': ({ index, k }, { signal }) => engine.channel.request('explore/neighbours', { sessionId: sid(), index, k }, { signal, ...t }),
    'explorer/decodeAt': ({ method, points, count, k }, { signal }) =>
      engine.channel.request('explore/decodeAt', { sessionId: sid(), method, points, count, ...(k === undefined ? {} : { k }) }, { signal, ...t }),
    'explorer/reconstructSamples': ({ indices }, { signal }) => engine.channel.request('explore/reconstructSamples', { sessionId: sid(), indices }, { signal, ...t }),
    'explorer/trust': ({ method, k }, { signal }) => engine.channel.request('explore/trust', { sessionId: sid(), method, k }, { signal, ...t }),
    'explorer/checkpoints': () => choices,
    'explorer/compare': async ({ checkpoint, count }, { signal }) => {
      const comparison = await engine.channel.request('explore/compare', { sessionId: sid(), checkpoint, count }, { signal, ...t });
      comparisons.push(comparison);
      return comparison;
    },
    'explorer/saveImage': () => ({ saved: false }),
    'explorer/exportCodes': () => undefined,
    'explorer/follow': ({ follow }) => ({ following: follow }),
  };
  return {
    handlers,
    comparisons,
    async open(checkpoint) {
      const previous = snapshot;
      snapshot = await engine.channel.request('explore/open', { checkpoint, limit, seed: 1 }, t);
      if (previous) await engine.channel.request('explore/close', { sessionId: previous.sessionId });
      init = {
        title: `${snapshot.checkpoint.runName} · epoch ${snapshot.checkpoint.epoch}`,
        snapshot,
        settings: { pointsCap: limit, umap: { nNeighbors: 15, minDist: 0.1, seed: 1 } },
        live: { following: true },
      };
      return init;
    },
    get snapshot() {
      if (!snapshot) throw new Error('not opened');
      return snapshot;
    },
    warmStarts,
  };
}
