// Opens explorer panels (one per checkpoint: opening it again reveals it), and brings them back
// after a window reload through a WebviewPanelSerializer. The page's saved state names its
// checkpoint; as a fallback the host remembers which checkpoints had panels open.

import * as vscode from 'vscode';
import { Disposable } from './dispose';
import type { EngineClient } from './engineClient';
import { panelTitle } from './checkpointTitle';
import { ExplorerPanel, EXPLORER_VIEW_TYPE, webviewOptions } from './explorerPanel';
import type { Log } from './log';
import { checkpointNearEpoch, resolveCheckpoint, whyNoCheckpoint, type CheckpointEntry } from './runIndex';
import type { RunsTreeProvider } from './runsTree';
import { formatLoss } from './runsTree';
import { requireTrust } from './workspaceTrust';

const OPEN_PANELS_KEY = 'latentExplorer.openPanels';

/**
 * What the explorer commands accept: a tree node, a URI, a path, a run and an epoch (its checkpoint
 * of that epoch, or the nearest written: a click on a training curve), or nothing (then we ask).
 */
export type CheckpointArgument = vscode.Uri | string | { uri: vscode.Uri } | { run: vscode.Uri | string; epoch: number } | undefined;

export class ExplorerPanels extends Disposable {
  private readonly panels = new Map<string, ExplorerPanel>();

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly engine: EngineClient,
    private readonly runs: RunsTreeProvider,
    private readonly log: Log,
  ) {
    super();
    this._register(
      vscode.window.registerWebviewPanelSerializer(EXPLORER_VIEW_TYPE, {
        deserializeWebviewPanel: (panel, state: unknown) => this.revive(panel, state),
      }),
    );
    this._register({ dispose: () => [...this.panels.values()].forEach((p) => p.dispose()) });
  }

  /** The "Open Explorer" command. */
  async open(argument?: CheckpointArgument): Promise<void> {
    const uri = (await atEpoch(argument)) ?? toUri(argument) ?? (await this.pickCheckpoint());
    if (!uri) return;
    if (!(await requireTrust('Opening a checkpoint'))) return;
    const entry = await resolveCheckpoint(uri);
    if (!entry) {
      void vscode.window.showErrorMessage(await whyNoCheckpoint(uri));
      return;
    }
    const key = entry.uri.fsPath;
    const existing = this.panels.get(key);
    if (existing) {
      existing.reveal();
      return;
    }
    const panel = vscode.window.createWebviewPanel(EXPLORER_VIEW_TYPE, panelTitle(entry), vscode.ViewColumn.Active, webviewOptions(this.context.extensionUri));
    this.adopt(panel, key, panelTitle(entry));
  }

  /**
   * "Open With… Latent Explorer" on a checkpoint.json, run.json or model.json (customEditor.ts): the
   * explorer for that checkpoint inside the custom editor's own panel. False when there is no
   * checkpoint there, or it is open already (that panel is revealed instead).
   */
  async openInPanel(panel: vscode.WebviewPanel, uri: vscode.Uri): Promise<boolean> {
    const entry = await resolveCheckpoint(uri);
    if (!entry) return false;
    const existing = this.panels.get(entry.uri.fsPath);
    if (existing) {
      existing.reveal();
      return false;
    }
    if (!(await requireTrust('Opening a checkpoint'))) return false;
    panel.webview.options = webviewOptions(this.context.extensionUri);
    panel.title = panelTitle(entry);
    this.adopt(panel, entry.uri.fsPath, panelTitle(entry));
    return true;
  }

  /** After a reload: the page's state says which checkpoint it showed. */
  private async revive(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const remembered = this.context.workspaceState.get<string[]>(OPEN_PANELS_KEY, []);
    const fromState = checkpointFromState(state);
    const path = fromState ?? remembered.find((p) => !this.panels.has(p));
    const entry = path ? await resolveCheckpoint(vscode.Uri.file(path)) : undefined;
    if (!entry || this.panels.has(entry.uri.fsPath)) {
      this.log.info(`Not restoring an explorer panel: ${path ? `${path} is gone or shown already` : 'it named no checkpoint'}`);
      panel.dispose();
      return;
    }
    this.adopt(panel, entry.uri.fsPath, panelTitle(entry));
  }

  private adopt(panel: vscode.WebviewPanel, checkpoint: string, title: string): void {
    let explorer: ExplorerPanel;
    try {
      explorer = new ExplorerPanel(panel, checkpoint, title, { extensionUri: this.context.extensionUri, engine: this.engine, log: this.log });
    } catch (error) {
      panel.dispose(); // never leave an empty tab behind
      throw error;
    }
    this.panels.set(checkpoint, explorer);
    void this.remember();
    // The live map moves a panel on to newer checkpoints of its run: keep it under its new key.
    explorer.onDidSwitch(({ from, to }) => {
      if (this.panels.get(from) === explorer) this.panels.delete(from);
      if (!this.panels.has(to)) this.panels.set(to, explorer);
      void this.remember();
    });
    explorer.onDidDispose(() => {
      for (const [key, value] of this.panels) if (value === explorer) this.panels.delete(key);
      if (!this.isDisposed) void this.remember();
    });
  }

  private remember(): Thenable<void> {
    return this.context.workspaceState.update(OPEN_PANELS_KEY, [...this.panels.keys()]);
  }

  /** Every checkpoint in the workspace, latest first. */
  private async pickCheckpoint(): Promise<vscode.Uri | undefined> {
    const runs = await this.runs.allRuns();
    const checkpoints: CheckpointEntry[] = runs.flatMap((r) => r.entry.checkpoints);
    if (checkpoints.length === 0) {
      const train = 'Train Autoencoder…';
      const choice = await vscode.window.showInformationMessage('There is no checkpoint in this workspace yet.', train);
      if (choice === train) await vscode.commands.executeCommand('latentExplorer.train');
      return undefined;
    }
    checkpoints.sort((a, b) => b.file.createdAt.localeCompare(a.file.createdAt));
    const picked = await vscode.window.showQuickPick(
      checkpoints.map((c) => ({
        label: panelTitle(c),
        description: `loss ${formatLoss(c.file.metrics.loss)}${c.file.metrics.valLoss !== null ? ` · val ${formatLoss(c.file.metrics.valLoss)}` : ''}`,
        detail: vscode.workspace.asRelativePath(c.uri),
        uri: c.uri,
      })),
      { title: 'Latent Explorer: Open Explorer', placeHolder: 'Which checkpoint to explore (latest first)', matchOnDetail: true },
    );
    return picked?.uri;
  }
}

/** `{ run, epoch }`: that run's checkpoint nearest the epoch (undefined for any other argument). */
async function atEpoch(argument: CheckpointArgument): Promise<vscode.Uri | undefined> {
  if (typeof argument !== 'object' || argument === null || !('run' in argument) || !('epoch' in argument)) return undefined;
  const { run, epoch } = argument;
  const runUri = run instanceof vscode.Uri ? run : typeof run === 'string' && run.length > 0 ? vscode.Uri.file(run) : undefined;
  if (!runUri || typeof epoch !== 'number' || !Number.isFinite(epoch)) throw new Error('Open Explorer takes { run, epoch } with a run folder and an epoch number');
  const entry = await checkpointNearEpoch(runUri, epoch);
  if (!entry) throw new Error(`${vscode.workspace.asRelativePath(runUri)} has no complete checkpoint to open`);
  return entry.uri;
}

function toUri(argument: CheckpointArgument): vscode.Uri | undefined {
  if (argument instanceof vscode.Uri) return argument;
  if (typeof argument === 'string' && argument.length > 0) return vscode.Uri.file(argument);
  if (typeof argument === 'object' && argument !== null && 'uri' in argument && argument.uri instanceof vscode.Uri) return argument.uri;
  return undefined;
}

/** The checkpoint path the page saved with setState (UiState.checkpoint, src/webview/state.ts). */
function checkpointFromState(state: unknown): string | undefined {
  if (typeof state !== 'object' || state === null) return undefined;
  const checkpoint = (state as { checkpoint?: unknown }).checkpoint;
  return typeof checkpoint === 'string' && checkpoint ? checkpoint : undefined;
}
