// The run and checkpoint items' context menu: show the folder in the Explorer view, reveal it in
// the operating system's file manager, delete it (after a modal confirmation).

import * as vscode from 'vscode';
import type { Log } from './log';
import type { RunsNode } from './runsTree';

/** Menus pass the tree node; other callers may pass a URI. */
export type RunArgument = RunsNode | vscode.Uri | undefined;

function toUri(argument: RunArgument): vscode.Uri | undefined {
  if (argument instanceof vscode.Uri) return argument;
  return argument?.uri;
}

/** "Open Run Folder": selects the folder in the Explorer view. */
export async function openRunFolder(argument: RunArgument): Promise<void> {
  const uri = toUri(argument);
  if (!uri) return;
  await vscode.commands.executeCommand('revealInExplorer', uri);
}

/** "Reveal in File Manager": the OS file manager on a desktop; the Explorer view where there is none (remote, web). */
export async function revealRun(argument: RunArgument, log: Log): Promise<void> {
  const uri = toUri(argument);
  if (!uri) return;
  if (vscode.env.remoteName === undefined && vscode.env.uiKind === vscode.UIKind.Desktop) {
    try {
      await vscode.commands.executeCommand('revealFileInOS', uri);
      return;
    } catch (error) {
      log.warn(`revealFileInOS failed, showing the Explorer view instead: ${String(error)}`);
    }
  }
  await vscode.commands.executeCommand('revealInExplorer', uri);
}

/** "Delete": a run folder or one checkpoint, to the trash where there is one. */
export async function deleteRun(argument: RunArgument, log: Log, onDeleted: () => void): Promise<void> {
  if (!argument) return;
  const uri = toUri(argument);
  if (!uri) return;
  const node = argument instanceof vscode.Uri ? undefined : argument;
  const what =
    node?.kind === 'checkpoint'
      ? `checkpoint epoch ${node.entry.file.epoch} of ${node.entry.runName}`
      : node?.kind === 'damaged'
        ? `damaged checkpoint ${node.entry.uri.path.split('/').pop()} of ${node.parent.entry.run.name}`
        : node?.kind === 'run'
          ? `run ${node.entry.run.name} and its ${node.entry.checkpoints.length} checkpoint${node.entry.checkpoints.length === 1 ? '' : 's'}`
          : vscode.workspace.asRelativePath(uri);
  const remove = 'Delete';
  const choice = await vscode.window.showWarningMessage(
    `Delete ${what}?`,
    {
      modal: true,
      detail: `${vscode.workspace.asRelativePath(uri)} moves to the trash.${
        node?.kind === 'run' && node.entry.run.status === 'training' ? ' Its run.json says it is still training: cancel that first if it is.' : ''
      }`,
    },
    remove,
  );
  if (choice !== remove) return;
  try {
    await vscode.workspace.fs.delete(uri, { recursive: true, useTrash: true });
  } catch (error) {
    log.warn(`Moving ${uri.fsPath} to the trash failed (${String(error)})`);
    const permanently = 'Delete Permanently';
    const again = await vscode.window.showWarningMessage(
      `${what} could not be moved to the trash. Delete it permanently?`,
      { modal: true },
      permanently,
    );
    if (again !== permanently) return;
    await vscode.workspace.fs.delete(uri, { recursive: true, useTrash: false });
  }
  log.info(`Deleted ${uri.fsPath}`);
  onDeleted();
}
