// The Training Curves panel: one webview for the workspace, opened by latentExplorer.showCurves (the
// palette, a run's context menu in the sidebar with all selected runs, the explorer's header). The
// page is the explorer's stack: one static shell with a strict CSP and a crypto nonce, UI state kept
// by the page itself (retainContextWhenHidden off), one RpcChannel per page load, every request
// checked by its schema (validation/curvesSchemas.ts). Charted runs are watched; what they append
// goes to the page as curves/append (src/shared/curvesFeed.ts decides what to send).

import { randomBytes } from 'node:crypto';
import { dirname } from 'node:path';
import * as vscode from 'vscode';
import type { CurvesInit, CurvesNotifications } from '../shared/curvesApi';
import { CurvesFeed, nearestCheckpoint, serveCurves, type CurvesHostChannel } from '../shared/curvesFeed';
import { EngineError, badInput } from '../shared/errors';
import { explorerHtml } from '../shared/explorerHtml';
import { PageChannels } from '../shared/pageChannels';
import { RpcChannel, type Transport } from '../shared/rpc';
import { runsTableRow } from '../shared/runsTable';
import { readRunFiles, RunWatch } from './curvesFiles';
import { Disposable } from './dispose';
import { OPEN_EXPLORER_COMMAND, type RunsNode, type RunsTreeProvider } from './runsTree';
import type { Log } from './log';
import { webviewTransport } from './webviewTransport';
import { readRun } from './runIndex';
import { readSettings } from './settings';
import { webviewOptions } from './explorerPanel';

export const CURVES_VIEW_TYPE = 'latentExplorer.curves';

/** What the command accepts: a sidebar node (and the sidebar's whole selection), a URI or path of a run or checkpoint, or nothing. */
export type CurvesArgument = RunsNode | vscode.Uri | string | undefined;

/** The run folders the command was given; undefined when none. */
export function runDirsOf(argument: CurvesArgument, selection?: readonly unknown[]): string[] | undefined {
  const nodes = Array.isArray(selection) && selection.length > 0 ? selection : argument === undefined ? [] : [argument];
  const dirs = nodes.map((node) => {
    if (typeof node === 'string') return runDirOfPath(node);
    if (node instanceof vscode.Uri) return runDirOfPath(node.fsPath);
    if (typeof node === 'object' && node !== null && 'kind' in node) {
      const n = node as RunsNode;
      return n.kind === 'run' ? n.uri.fsPath : n.parent.uri.fsPath;
    }
    return undefined;
  });
  const found = [...new Set(dirs.filter((d): d is string => d !== undefined))];
  return found.length > 0 ? found : undefined;
}

/** A run folder, or one of its checkpoint folders (…/run/checkpoints/epoch-0003) meaning its run. */
function runDirOfPath(path: string): string {
  return /[\\/]checkpoints[\\/][^\\/]+[\\/]?$/.test(path) ? dirname(dirname(path)) : path;
}

export class CurvesPanels extends Disposable {
  private panel: CurvesPanel | undefined;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly runs: RunsTreeProvider,
    private readonly log: Log,
  ) {
    super();
    this._register(
      vscode.window.registerWebviewPanelSerializer(CURVES_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel) => this.adopt(panel, undefined),
      }),
    );
    this._register({ dispose: () => this.panel?.dispose() });
  }

  /** The command: reveal the panel (or open it) charting these runs, or the page's own choice. */
  show(argument?: CurvesArgument, selection?: readonly unknown[]): void {
    const select = runDirsOf(argument, selection);
    if (this.panel) {
      this.panel.reveal(select);
      return;
    }
    const panel = vscode.window.createWebviewPanel(CURVES_VIEW_TYPE, 'Training Curves', vscode.ViewColumn.Active, webviewOptions(this.context.extensionUri));
    this.adopt(panel, select);
  }

  private adopt(panel: vscode.WebviewPanel, select: string[] | undefined): void {
    this.panel?.dispose();
    let curves: CurvesPanel;
    try {
      curves = new CurvesPanel(panel, select, { extensionUri: this.context.extensionUri, runs: this.runs, log: this.log });
    } catch (error) {
      panel.dispose();
      throw error;
    }
    this.panel = curves;
    curves.onDidDispose(() => {
      if (this.panel === curves) this.panel = undefined;
    });
  }
}

interface CurvesPanelDeps {
  extensionUri: vscode.Uri;
  runs: RunsTreeProvider;
  log: Log;
}

class CurvesPanel extends Disposable {
  private readonly _onDidDispose = this._register(new vscode.EventEmitter<void>());
  readonly onDidDispose = this._onDidDispose.event;
  private readonly pages: PageChannels<CurvesHostChannel>;
  private feed = new CurvesFeed();
  private readonly watch: RunWatch;
  private isReady = false;
  /** Run folders the table lists: the only ones the page may ask about. */
  private known = new Set<string>();
  private rowsTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    readonly panel: vscode.WebviewPanel,
    /** Runs the command named, for the page's first ready. */
    private select: string[] | undefined,
    private readonly deps: CurvesPanelDeps,
  ) {
    super();
    const webview = panel.webview;
    webview.options = webviewOptions(deps.extensionUri);
    panel.iconPath = vscode.Uri.joinPath(deps.extensionUri, 'media', 'latent.svg');
    panel.title = 'Training Curves';
    webview.html = explorerHtml({
      cspSource: webview.cspSource,
      nonce: randomBytes(16).toString('base64'),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(deps.extensionUri, 'dist', 'curves.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(deps.extensionUri, 'media', 'curves.css')).toString(),
      title: 'Training Curves',
      page: 'curves',
    });
    this.watch = this._register(new RunWatch((dir) => void this.runChanged(dir)));
    this.pages = new PageChannels(webviewTransport(this.panel.webview, this.deps.log, 'curves page'), 'curves/ready', (transport) => this.createChannel(transport), () => {
      // A new page load asks for its runs again: nothing was sent to it yet.
      this.isReady = false;
      this.feed = new CurvesFeed();
      this.watch.set([]);
    });
    this._register(
      panel.onDidChangeViewState(() => {
        if (!panel.visible) this.pages.restart();
      }),
    );
    // New, deleted or finished runs change the table.
    this._register(
      deps.runs.onDidChangeTreeData(() => {
        // At most every half second, counted from the first change: a run that writes a checkpoint more
        // often than that would otherwise push the update back for as long as it trains.
        if (this.rowsTimer) return;
        this.rowsTimer = setTimeout(() => {
          this.rowsTimer = undefined;
          void this.sendRows(undefined);
        }, 500);
      }),
    );
    this._register({ dispose: () => this.rowsTimer && clearTimeout(this.rowsTimer) });
    this._register(panel.onDidDispose(() => this.dispose()));
  }

  reveal(select: string[] | undefined): void {
    this.panel.reveal();
    if (!select) return;
    if (this.isReady) void this.sendRows(select);
    else this.select = select;
  }

  override dispose(): void {
    if (this.isDisposed) return;
    this.pages.close();
    this._onDidDispose.fire();
    super.dispose();
    this.panel.dispose();
  }

  private createChannel(transport: Transport): CurvesHostChannel {
    const channel: CurvesHostChannel = new RpcChannel(transport, (message) => this.deps.log.warn(`[curves] ${message}`));
    serveCurves(channel, {
      'curves/ready': async () => {
        const init = await this.init(this.select ?? null);
        this.select = undefined;
        setTimeout(() => (this.isReady = channel === this.pages.channel), 0);
        return init;
      },
      'curves/load': async ({ ids }) => {
        const runs = [];
        for (const id of ids) {
          this.requireKnown(id);
          const files = await readRunFiles(id);
          if (!files) throw new EngineError('not-found', `${id} no longer holds a run`);
          runs.push(this.feed.load(files));
        }
        this.watch.set(this.feed.ids);
        return runs;
      },
      'curves/openCheckpoint': async ({ run, epoch }) => {
        this.requireKnown(run);
        const entry = await readRun(vscode.Uri.file(run));
        const nearest = nearestCheckpoint(entry?.checkpoints.map((c) => c.file.epoch) ?? [], epoch);
        const checkpoint = entry?.checkpoints.find((c) => c.file.epoch === nearest);
        if (!checkpoint || nearest === undefined) throw new EngineError('not-found', `${entry?.run.name ?? run} has no complete checkpoint yet`);
        await vscode.commands.executeCommand(OPEN_EXPLORER_COMMAND, checkpoint.uri);
        return { epoch: nearest };
      },
      'curves/save': ({ format, name, data }) => this.save(format, name, data),
    });
    return channel;
  }

  private requireKnown(id: string): void {
    if (!this.known.has(id)) throw badInput(`${id} is not a run this view listed`);
  }

  /** Every run of the workspace as a table row. */
  private async init(select: string[] | null): Promise<CurvesInit> {
    const entries = await this.deps.runs.allRuns();
    this.known = new Set(entries.map((node) => node.uri.fsPath));
    const rows = entries.map((node) => runsTableRow(node.uri.fsPath, node.entry.run));
    return { rows, select: select ? select.filter((id) => this.known.has(id)) : null, plotTheme: readSettings().plotTheme };
  }

  private async sendRows(select: string[] | undefined): Promise<void> {
    if (!this.isReady) return;
    try {
      this.notify('curves/rows', await this.init(select ?? null));
    } catch (error) {
      this.deps.log.warn(`Listing runs for the curves view: ${String(error)}`);
    }
  }

  private async runChanged(dir: string): Promise<void> {
    if (!this.isReady || !this.feed.ids.includes(dir)) return;
    try {
      const files = await readRunFiles(dir);
      if (!files) return;
      const message = this.feed.update(files);
      if (message) this.notify(message.method, message.params as never);
    } catch (error) {
      this.notify('curves/status', { level: 'warn', message: `Reading ${dir}: ${error instanceof Error ? error.message : String(error)}` });
    }
  }

  private notify<N extends keyof CurvesNotifications>(method: N, params: CurvesNotifications[N]): void {
    if (this.isReady) this.pages.channel.notify(method, params);
  }

  private async save(format: 'png' | 'svg' | 'csv', name: string, data: string): Promise<{ saved: boolean }> {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const filters: Record<string, Record<string, string[]>> = { png: { 'PNG image': ['png'] }, svg: { 'SVG image': ['svg'] }, csv: { 'CSV table': ['csv'] } };
    const target = await vscode.window.showSaveDialog({ title: `Save as ${format.toUpperCase()}`, defaultUri: folder ? vscode.Uri.joinPath(folder, `${name}.${format}`) : undefined, filters: filters[format] });
    if (!target) return { saved: false };
    const bytes = format === 'png' ? new Uint8Array(Buffer.from(data.slice(data.indexOf(',') + 1), 'base64')) : new TextEncoder().encode(data);
    await vscode.workspace.fs.writeFile(target, bytes);
    this.deps.log.info(`Saved the training curves' ${format.toUpperCase()} to ${target.fsPath}`);
    return { saved: true };
  }
}
