// A stand-in host for the map features backed by the real engine: relays the page's requests with the
// panel's own relays (src/shared/explorerHost.ts), UMAP's warm start included, to whichever engine
// session is current, so a test can
// move the page to another checkpoint (the live map) with `explorer/reset`, as the extension does.

import type { EngineProcess } from '../../../src/engine/engineProcess';
import type { ExploreSnapshot } from '../../../src/shared/engineApi';
import type { CheckpointChoice, CheckpointComparison } from '../../../src/shared/mapApi';
import type { ExplorerInit } from '../../../src/shared/webviewApi';
import type { ExplorerHandlers, HostContext } from './harness';
import { relayHandlers } from './lectureHost';
import { readSnapshot } from '../../support/openSnapshot';

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
  const relays = relayHandlers(engine, sid);
  const project = relays['explorer/project'];
  const compare = relays['explorer/compare'];
  const handlers: ExplorerHandlers = {
    ...relays,
    'explorer/ready': () => {
      if (!init) throw new Error('not opened');
      return init;
    },
    'explorer/project': async (params, context) => {
      warmStarts.push(params.init);
      routes.set(params.projectionId, context.notify);
      try {
        return await project!(params, context);
      } finally {
        routes.delete(params.projectionId);
      }
    },
    'explorer/checkpoints': () => choices,
    'explorer/compare': async (params, context) => {
      const comparison = await compare!(params, context);
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
      const header = await engine.channel.request('explore/open', { checkpoint, limit, seed: 1 }, t);
      ({ snapshot } = await readSnapshot(engine.channel, header, t));
      if (previous) await engine.channel.request('explore/close', { sessionId: previous.sessionId });
      init = {
        title: `${header.checkpoint.runName} · epoch ${header.checkpoint.epoch}`,
        snapshot: header,
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
