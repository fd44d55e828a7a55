// The host's own answers to the map features' requests (src/shared/mapApi.ts), for what needs VS Code:
// listing the workspace's checkpoints, a save dialog, running the export command, following a run,
// and comparing only with a checkpoint it listed. The other map requests are plain relays to the
// engine (src/shared/explorerRequests.ts).

import * as vscode from 'vscode';
import { EngineError } from '../shared/errors';
import type { ExplorerHandler, ExplorerHandlers } from '../shared/explorerHost';
import type { CheckpointChoice } from '../shared/mapApi';
import { panelTitle } from './checkpointTitle';
import type { Log } from './log';
import { formatLoss } from './runsTree';
import { findRuns } from './runIndex';

/** The command the ecosystem's export registers; the explorer's "Export codes…" runs it. */
export const EXPORT_CODES_COMMAND = 'latentExplorer.exportCodes';

export interface MapHost {
  log: Log;
  /** The engine relay of `explorer/compare`. */
  compare: ExplorerHandler<'explorer/compare'>;
  /** The checkpoint folder the panel shows now. */
  checkpoint(): string;
  /** Turns following the run's newest checkpoint on or off; returns the new state. */
  setFollowing(follow: boolean): boolean;
}

type MapHostMethods = 'explorer/checkpoints' | 'explorer/compare' | 'explorer/saveImage' | 'explorer/exportCodes' | 'explorer/follow';

export function mapHostHandlers(host: MapHost): Pick<ExplorerHandlers, MapHostMethods> {
  return {
    'explorer/checkpoints': () => checkpointChoices(host.checkpoint()),
    'explorer/compare': async (params, context) => {
      // Only a checkpoint the host listed: the page never names an arbitrary folder for the engine to load.
      const choices = await checkpointChoices(host.checkpoint());
      if (!choices.some((c) => c.dir === params.checkpoint)) throw new EngineError('bad-input', 'That checkpoint is not one of this workspace’s runs');
      return host.compare(params, context);
    },
    'explorer/saveImage': ({ format, name, data }) => saveImage(format, name, data, host.checkpoint(), host.log),
    'explorer/exportCodes': async () => {
      await vscode.commands.executeCommand(EXPORT_CODES_COMMAND, vscode.Uri.file(host.checkpoint()));
    },
    'explorer/follow': ({ follow }) => ({ following: host.setFollowing(follow) }),
  };
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
        label: panelTitle(c),
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
