// "Open With… → Latent Explorer" for checkpoint.json, run.json and model.json files: a read-only
// custom editor whose panel becomes the explorer of that checkpoint (through ExplorerPanels). A
// model.json that is not part of one of our checkpoints gets a page offering to import it.

import { basename } from 'node:path';
import * as vscode from 'vscode';
import type { ExplorerPanels } from './explorerPanels';
import { IMPORT_MODEL_COMMAND } from './importModelCommand';

export const CHECKPOINT_EDITOR_VIEW_TYPE = 'latentExplorer.checkpointEditor';

export class CheckpointEditorProvider implements vscode.CustomReadonlyEditorProvider {
  constructor(private readonly panels: ExplorerPanels) {}

  static register(panels: ExplorerPanels): vscode.Disposable {
    return vscode.window.registerCustomEditorProvider(CHECKPOINT_EDITOR_VIEW_TYPE, new CheckpointEditorProvider(panels), {
      supportsMultipleEditorsPerDocument: false,
    });
  }

  openCustomDocument(uri: vscode.Uri): vscode.CustomDocument {
    return { uri, dispose: () => undefined };
  }

  async resolveCustomEditor(document: vscode.CustomDocument, panel: vscode.WebviewPanel): Promise<void> {
    for (const candidate of checkpointFolders(document.uri)) {
      if (await this.panels.openInPanel(panel, candidate)) return;
    }
    panel.webview.options = { enableScripts: false, enableCommandUris: true };
    panel.webview.html = notACheckpointPage(document.uri);
  }
}

/**
 * Folders that may be the checkpoint this file belongs to: checkpoint.json and run.json sit in the
 * checkpoint and run folders; an encoder's or decoder's model.json one level below the checkpoint.
 */
export function checkpointFolders(file: vscode.Uri): vscode.Uri[] {
  const folder = vscode.Uri.joinPath(file, '..');
  return basename(file.path) === 'model.json' ? [vscode.Uri.joinPath(folder, '..'), folder] : [folder];
}

function notACheckpointPage(file: vscode.Uri): string {
  const name = escapeHtml(vscode.workspace.asRelativePath(file));
  const args = encodeURIComponent(JSON.stringify([file.toJSON()]));
  const isModel = basename(file.path) === 'model.json';
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline';">
<title>Latent Explorer</title></head>
<body style="font-family: var(--vscode-font-family); color: var(--vscode-foreground); padding: 1.5em; line-height: 1.5">
<h2>${name}</h2>
${
  isModel
    ? `<p>This model.json is not part of a Latent Explorer checkpoint (or its checkpoint is open in another tab).</p>
<p><a href="command:${IMPORT_MODEL_COMMAND}?${args}">Import it as a run…</a>: a TF.js Layers autoencoder is split at its bottleneck, or paired with its decoder, and then opens in the explorer.</p>`
    : '<p>This file does not belong to a complete Latent Explorer checkpoint, or its checkpoint is already open in another tab.</p>'
}
</body></html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
