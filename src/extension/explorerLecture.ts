// The host's side of the explorer's lecture views: each `explorer/...` request is validated (see
// lectureValidation.ts) and relayed to the engine's session. For AE vs PCA and the β comparison the
// host adds what only it can see: the workspace's other runs on the same data (src/extension/runIndex.ts),
// as checkpoint folders the engine reads itself.

import type * as vscode from 'vscode';
import type { ExploreSnapshot } from '../shared/engineApi';
import type { RpcChannel } from '../shared/rpc';
import type { ExplorerNotifications, ExplorerRequests, WebviewNotifications } from '../shared/webviewApi';
import type { EngineClient } from './engineClient';
import type { Log } from './log';
import { findRuns, type RunEntry } from './runIndex';
import { siblingCheckpoints } from './lectureSiblings';
import type { ExplorerValidators } from './webviewValidation';

type ExplorerChannel = RpcChannel<Record<string, never>, ExplorerRequests, ExplorerNotifications, WebviewNotifications>;

const REQUEST_TIMEOUT_MS = 2 * 60_000;
/** Loading a handful of sibling checkpoints and fitting PCA on the inputs takes longer than a decode. */
const AE_VS_PCA_TIMEOUT_MS = 5 * 60_000;

export interface LectureDeps {
  engine: EngineClient;
  log: Log;
  valid: ExplorerValidators;
  /** The open session (opening it if need be). */
  session(): Promise<ExploreSnapshot>;
  /** Runs in the workspace; tests may stand in for the run index. */
  findRuns?: (token?: vscode.CancellationToken) => Promise<RunEntry[]>;
}

export function serveLectureRequests(channel: ExplorerChannel, deps: LectureDeps): void {
  const { engine, valid } = deps;
  const sid = async (): Promise<string> => (await deps.session()).sessionId;
  const options = (signal: AbortSignal, timeoutMs = REQUEST_TIMEOUT_MS) => ({ signal, timeoutMs });
  const siblings = async (): Promise<string[]> => {
    try {
      return siblingCheckpoints(await (deps.findRuns ?? findRuns)(), (await deps.session()).checkpoint);
    } catch (error) {
      deps.log.warn(`Looking for sibling runs failed: ${String(error)}`);
      return [];
    }
  };

  channel.handle('explorer/interpolate', async (params, { signal }) => engine.request('explore/interpolate', { sessionId: await sid(), ...params }, options(signal)), valid['explorer/interpolate']);
  channel.handle(
    'explorer/attributeVector',
    async (params, { signal }) => engine.request('explore/attributeVector', { sessionId: await sid(), ...params }, options(signal)),
    valid['explorer/attributeVector'],
  );
  channel.handle('explorer/average', async ({ set }, { signal }) => engine.request('explore/average', { sessionId: await sid(), set }, options(signal)), valid['explorer/average']);
  channel.handle('explorer/denoise', async (params, { signal }) => engine.request('explore/denoise', { sessionId: await sid(), ...params }, options(signal)), valid['explorer/denoise']);
  channel.handle('explorer/prior', async ({ count, seed }, { signal }) => engine.request('explore/prior', { sessionId: await sid(), count, seed }, options(signal)), valid['explorer/prior']);
  channel.handle(
    'explorer/vaeSummary',
    async (_params, { signal }) => engine.request('explore/vaeSummary', { sessionId: await sid(), siblings: await siblings() }, options(signal)),
    valid['explorer/vaeSummary'],
  );
  channel.handle(
    'explorer/aeVsPca',
    async (params, { signal }) =>
      engine.request('explore/aeVsPca', { sessionId: await sid(), siblings: await siblings(), ...params }, options(signal, AE_VS_PCA_TIMEOUT_MS)),
    valid['explorer/aeVsPca'],
  );
}
