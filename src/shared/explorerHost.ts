// The host's side of the explorer channel, free of `vscode` so the browser tests' stand-in hosts use
// the very same code as the panel: every request relayed to the engine's session as the table in
// explorerRequests.ts says, and every handler registered behind its validator.

import type { EngineRequests, SnapshotHeader } from './engineApi';
import { EXPLORER_REQUESTS, type RelayedMethod, type RequestSpec } from './explorerRequests';
import type { HandlerContext, RequestOptions, RpcChannel } from './rpc';
import type { SessionLimits } from './validation/checks';
import { explorerValidators } from './validation/explorerValidation';
import type { ExplorerNotifications, ExplorerRequests, WebviewNotifications } from './webviewApi';

/** The host's end of one page's channel. */
export type HostChannel = RpcChannel<Record<string, never>, ExplorerRequests, ExplorerNotifications, WebviewNotifications>;

export type ExplorerHandler<M extends keyof ExplorerRequests> = (
  params: ExplorerRequests[M]['params'],
  context: HandlerContext,
) => Promise<ExplorerRequests[M]['result']> | ExplorerRequests[M]['result'];

export type ExplorerHandlers = { [M in keyof ExplorerRequests]: ExplorerHandler<M> };

/** Where relayed requests go: the engine, the open session and the workspace's sibling runs. */
export interface RelayTarget {
  /** Sends one engine request (EngineClient.request, or an EngineProcess channel's). */
  request<E extends keyof EngineRequests & string>(method: E, params: EngineRequests[E]['params'], options: RequestOptions): Promise<EngineRequests[E]['result']>;
  /** The open session's id (opening it if need be). */
  sessionId(): Promise<string>;
  /** Checkpoint folders of other runs on the same data (for AE vs PCA and the β comparison). */
  siblings(): Promise<string[]>;
}

/** One handler per relayed request: the page's params, plus the session (and siblings), to the engine. */
export function engineRelays(target: RelayTarget): { [M in RelayedMethod]: ExplorerHandler<M> } {
  const relays: Partial<Record<RelayedMethod, ExplorerHandler<RelayedMethod>>> = {};
  for (const [method, spec] of Object.entries(EXPLORER_REQUESTS) as [keyof ExplorerRequests, RequestSpec<keyof ExplorerRequests>][]) {
    const engineMethod = spec.engine;
    if (engineMethod === undefined) continue;
    relays[method as RelayedMethod] = async (params, { signal }) => {
      const added = spec.siblings ? { sessionId: await target.sessionId(), siblings: await target.siblings() } : { sessionId: await target.sessionId() };
      // The table's types check that these params fit the engine request (EngineFor in explorerRequests.ts).
      return target.request(engineMethod, { ...added, ...params } as never, { signal, timeoutMs: spec.timeoutMs }) as never;
    };
  }
  return relays as { [M in RelayedMethod]: ExplorerHandler<M> };
}

/** What the validators know of the open session, from its snapshot. */
export function sessionLimits(snapshot: SnapshotHeader): SessionLimits {
  return { latent: snapshot.latent, datasetCount: snapshot.checkpoint.dataset.count, count: snapshot.count };
}

/** Registers each handler behind its validator: params that fail it never reach the handler. */
export function serveExplorer(channel: HostChannel, handlers: Partial<ExplorerHandlers>, limits: () => SessionLimits): void {
  const validators = explorerValidators(limits);
  for (const method of Object.keys(handlers) as (keyof ExplorerRequests)[]) {
    channel.handle(method, handlers[method] as ExplorerHandler<typeof method>, validators[method] as never);
  }
}
