// The host's side of the map features: each webview request (src/shared/mapApi.ts), already checked
// by mapValidation.ts, relayed to the engine's explorer session, or done here when it needs VS Code
// (listing the workspace's checkpoints, a save dialog, running the export command, following a run).

import * as vscode from 'vscode';
import { EngineError } from '../shared/errors';
import type { CheckpointChoice } from '../shared/mapApi';
import type { RpcChannel } from '../shared/rpc';
import type { ExplorerNotifications, ExplorerRequests, WebviewNotifications } from '../shared/webviewApi';
import type { EngineClient } from './engineClient';
import type { Log } from './log';
import { formatLoss } from './runsTree';
import { findRuns } from './runIndex';
import type { MapValidators } from './mapValidation';

type ExplorerChannel = RpcChannel<Record<string, never>, ExplorerRequests, ExplorerNotifications, WebviewNotifications>;

/** The command the ecosystem's export registers; the explorer's "Export codes…" runs it. */
export const EXPORT_CODES_COMMAND = 'latentExplorer.exportCodes';

const REQUEST_TIMEOUT_MS = 2 * 60_000;
const COMPARE_TIMEOUT_MS = 5 * 60_000;

export interface MapHost {
  engine: EngineClient;
  log: Log;
  valid: MapValidators;
  /** The open session's id (opens it if needed). */
  sessionId(): Promise<string>;
  /** The checkpoint folder the panel shows now. */
  checkpoint(): string;
  /** Turns following the run's newest checkpoint on or off; returns the new state. */
  setFollowing(follow: boolean): boolean;
}

export function registerMapHandlers(channel: ExplorerChannel, host: MapHost): void {
  const { engine, valid } = host;
  channel.handle(
    'explorer/neighbours',
    async ({ index, k }, { signal }) => engine.request('explore/neighbours', { sessionId: await host.sessionId(), index, k }, { signal, timeoutMs: REQUEST_TIMEOUT_MS }),
    valid['explorer/neighbours'],
  );
  channel.handle(
    'explorer/decodeAt',
    async ({ method, points, count, k }, { signal }) =>
      engine.request('explore/decodeAt', { sessionId: await host.sessionId(), method, points, count, ...(k === undefined ? {} : { k }) }, { signal, timeoutMs: REQUEST_TIMEOUT_MS }),
    valid['explorer/decodeAt'],
  );
  channel.handle(
    'explorer/reconstructSamples',
    async ({ indices }, { signal }) => engine.request('explore/reconstructSamples', { sessionId: await host.sessionId(), indices }, { signal, timeoutMs: REQUEST_TIMEOUT_MS }),
    valid['explorer/reconstructSamples'],
  );
  channel.handle(
    'explorer/trust',
    async ({ method, k }, { signal }) => engine.request('explore/trust', { sessionId: await host.sessionId(), method, k }, { signal, timeoutMs: REQUEST_TIMEOUT_MS }),
    valid['explorer/trust'],
  );
  channel.handle('explorer/checkpoints', () => checkpointChoices(host.checkpoint()), valid['explorer/checkpoints']);
  channel.handle(
    'explorer/compare',
    async ({ checkpoint, count }, { signal }) => {
      // Only a checkpoint the host listed: the page never names an arbitrary folder for the engine to load.
      const choices = await checkpointChoices(host.checkpoint());
      if (!choices.some((c) => c.dir === checkpoint)) throw new EngineError('bad-input', 'That checkpoint is not one of this workspace’s runs');
      return engine.request('explore/compare', { sessionId: await host.sessionId(), checkpoint, count }, { signal, timeoutMs: COMPARE_TIMEOUT_MS });
    },
    valid['explorer/compare'],
  );
  channel.handle('explorer/saveImage', ({ format, name, data }) => saveImage(format, name, data, host.checkpoint(), host.log), valid['explorer/saveImage']);
  channel.handle(
    'explorer/exportCodes',
    async () => {
      const commands = await vscode.commands.getCommands(true);
      if (!commands.includes(EXPORT_CODES_COMMAND)) throw new EngineError('unsupported', 'Exporting codes is not available in this version of Latent Explorer');
      await vscode.commands.executeCommand(EXPORT_CODES_COMMAND, vscode.Uri.file(host.checkpoint()));
    },
    valid['explorer/exportCodes'],
  );
  channel.handle('explorer/follow', ({ follow }) => ({ following: host.setFollowing(follow) }), valid['explorer/follow']);
}

/** Every complete checkpoint in the workspace but the one shown: this run's first, newest first. */
export async function checkpointChoices(current: string): Promise<CheckpointChoice[]> {
  const runs = await findRuns();
  const here = runs.find((r) => r.checkpoints.some((c) => c.uri.fsPath === current));
  const ordered = here ? [here, ...runs.filter((r) => r !== here)] : runs;
  return ordered.flatMap((run) =>
    [...run.checkpoints]
      .reverse()
      .filter((c) => c.uri.fsPath !== current)
      .map((c) => ({
        dir: c.uri.fsPath,
        label: `${c.runName} · epoch ${c.file.epoch}`,
        description: `loss ${formatLoss(c.file.metrics.loss)}${run === here ? ' · this run' : ''}`,
      })),
  );
}

async function saveImage(format: 'png' | 'svg', name: string, data: string, checkpoint: string, log: Log): Promise<{ saved: boolean }> {
  const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(checkpoint))?.uri ?? vscode.workspace.workspaceFolders?.[0]?.uri;
  const target = await vscode.window.showSaveDialog({
    title: `Save the view as ${format.toUpperCase()}`,
    defaultUri: folder ? vscode.Uri.joinPath(folder, `${name}.${format}`) : undefined,
    filters: format === 'png' ? { 'PNG image': ['png'] } : { 'SVG image': ['svg'] },
  });
  if (!target) return { saved: false };
  const bytes = format === 'png' ? new Uint8Array(Buffer.from(data.slice(data.indexOf(',') + 1), 'base64')) : new TextEncoder().encode(data);
  await vscode.workspace.fs.writeFile(target, bytes);
  log.info(`Saved ${format.toUpperCase()} of the explorer to ${target.fsPath}`);
  return { saved: true };
}
