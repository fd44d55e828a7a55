// The "Runs" view: every run in the workspace with its status, epochs and last loss; under it, its
// checkpoints with their metrics, and any damaged checkpoint marked as such. A file watcher on run and checkpoint files refreshes it, debounced,
// so a training run shows up and grows while it trains. Clicking opens the explorer.

import * as vscode from 'vscode';
import { RUN_FILE, type EpochMetrics, type RunFile } from '../shared/protocol';
import { Disposable, disposeAll } from './dispose';
import type { Log } from './log';
import { findRuns, type CheckpointEntry, type DamagedCheckpoint, type RunEntry } from './runIndex';
import { readSettings } from './settings';

export const RUNS_VIEW_ID = 'latentExplorer.runs';
export const OPEN_EXPLORER_COMMAND = 'latentExplorer.openExplorer';
export const SHOW_CURVES_COMMAND = 'latentExplorer.showCurves';

export type RunsNode = RunNode | CheckpointNode | DamagedCheckpointNode;

export class RunNode {
  readonly kind = 'run';
  constructor(readonly entry: RunEntry) {}
  get uri(): vscode.Uri {
    return this.entry.uri;
  }
}

export class CheckpointNode {
  readonly kind = 'checkpoint';
  constructor(
    readonly entry: CheckpointEntry,
    readonly parent: RunNode,
    readonly latest: boolean,
  ) {}
  get uri(): vscode.Uri {
    return this.entry.uri;
  }
}

/** A checkpoint folder whose files do not match its checkpoint.json: shown, so it is not mistaken for missing, but never opened. */
export class DamagedCheckpointNode {
  readonly kind = 'damaged';
  constructor(
    readonly entry: DamagedCheckpoint,
    readonly parent: RunNode,
  ) {}
  get uri(): vscode.Uri {
    return this.entry.uri;
  }
}

const REFRESH_DEBOUNCE_MS = 400;
/** A second look at a new run folder, for a run.json written after the first rescan. */
const NEW_RUN_FOLLOW_UP_MS = 3000;
/** Per-run watchers kept at most (each is an OS watch handle). */
const MAX_RUN_WATCHERS = 200;

export class RunsTreeProvider extends Disposable implements vscode.TreeDataProvider<RunsNode> {
  private readonly _onDidChangeTreeData = this._register(new vscode.EventEmitter<RunsNode | undefined>());
  readonly onDidChangeTreeData = this._onDidChangeTreeData.event;
  private runs: Promise<RunNode[]> | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private followUp: ReturnType<typeof setTimeout> | undefined;
  private runWatchers: [string, vscode.FileSystemWatcher][] = [];

  constructor(private readonly log: Log) {
    super();
    // Runs written elsewhere (the CLI, another window) show up through this recursive watcher. On Linux it
    // misses files in folders created a moment before them (`mkdir -p` of a new run folder;
    // parcel-bundler/watcher#97), so each run found also gets a watcher of its own (runWatchers), the
    // trainer refreshes on each epoch, and showing the view rescans.
    const watcher = this._register(vscode.workspace.createFileSystemWatcher('**/{run.json,checkpoint.json}'));
    // Checkpoints appear by renaming a finished temp folder, which file globs do not see: watch the folders too.
    const folders = this._register(vscode.workspace.createFileSystemWatcher('**/checkpoints/*'));
    for (const w of [watcher, folders]) {
      this._register(w.onDidCreate(() => this.scheduleRefresh()));
      this._register(w.onDidChange(() => this.scheduleRefresh()));
      this._register(w.onDidDelete(() => this.scheduleRefresh()));
    }
    // A brand-new run folder (the CLI's `mkdir -p`) is itself seen, as a child of the existing run folder:
    // rescan then, and once more after the first epoch's files could have been missed.
    const newRuns = this._register(vscode.workspace.createFileSystemWatcher(`**/${readSettings().runFolder}/*`, false, true, true));
    this._register(
      newRuns.onDidCreate(() => {
        this.scheduleRefresh();
        this.followUp ??= setTimeout(() => {
          this.followUp = undefined;
          this.scheduleRefresh();
        }, NEW_RUN_FOLLOW_UP_MS);
      }),
    );
    this._register({ dispose: () => this.followUp && clearTimeout(this.followUp) });
    this._register(vscode.workspace.onDidChangeWorkspaceFolders(() => this.refresh()));
    this._register({ dispose: () => this.timer && clearTimeout(this.timer) });
    this._register({ dispose: () => disposeAll(this.runWatchers.splice(0).map(([, w]) => w)) });
  }

  /** The view was shown: catch up with anything a watcher missed. */
  onDidShowView(): void {
    this.scheduleRefresh();
  }

  refresh(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.runs = undefined;
    this._onDidChangeTreeData.fire(undefined);
  }

  /** Every run, newest first (for the quick pick of checkpoints). */
  async allRuns(): Promise<RunNode[]> {
    this.runs ??= findRuns().then(
      (entries) => {
        this.watchRuns(entries.map((e) => e.uri));
        return entries.map((entry) => new RunNode(entry));
      },
      (error: unknown) => {
        this.log.error('Listing runs failed', error);
        return [];
      },
    );
    return this.runs;
  }

  getTreeItem(node: RunsNode): vscode.TreeItem {
    return node.kind === 'run' ? runItem(node) : node.kind === 'checkpoint' ? checkpointItem(node) : damagedItem(node);
  }

  async getChildren(node?: RunsNode): Promise<RunsNode[]> {
    if (!node) return this.allRuns();
    if (node.kind !== 'run') return [];
    const { checkpoints, damaged } = node.entry;
    const children: [number, RunsNode][] = [
      ...checkpoints.map((c, i): [number, RunsNode] => [c.file.epoch, new CheckpointNode(c, node, i === checkpoints.length - 1)]),
      ...damaged.map((d): [number, RunsNode] => [d.epoch ?? 0, new DamagedCheckpointNode(d, node)]),
    ];
    // Latest first: it is the one people open.
    return children.sort((a, b) => b[0] - a[0]).map(([, child]) => child);
  }

  getParent(node: RunsNode): RunsNode | undefined {
    return node.kind === 'run' ? undefined : node.parent;
  }

  /**
   * A non-recursive watcher on each known run folder's run.json (which the engine rewrites after every
   * epoch), served by its own watch rather than the recursive one that may have missed the folder.
   */
  private watchRuns(runs: vscode.Uri[]): void {
    const wanted = new Set(runs.slice(0, MAX_RUN_WATCHERS).map((u) => u.toString()));
    const kept = this.runWatchers.filter(([key]) => wanted.has(key));
    disposeAll(this.runWatchers.filter(([key]) => !wanted.has(key)).map(([, w]) => w));
    const have = new Set(kept.map(([key]) => key));
    for (const uri of runs.slice(0, MAX_RUN_WATCHERS)) {
      if (have.has(uri.toString())) continue;
      const w = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(uri, RUN_FILE));
      w.onDidChange(() => this.scheduleRefresh());
      w.onDidDelete(() => this.scheduleRefresh());
      kept.push([uri.toString(), w]);
    }
    this.runWatchers = kept;
  }

  /**
   * Refreshes soon, once for a burst of changes. The delay counts from the burst's first change, not its
   * last: a run that writes its files more often than that (a small model on a fast machine) would
   * otherwise push the refresh back for as long as it trains, and never show up.
   */
  scheduleRefresh(): void {
    this.timer ??= setTimeout(() => this.refresh(), REFRESH_DEBOUNCE_MS);
  }
}

const STATUS_ICONS: Record<RunFile['status'], vscode.ThemeIcon> = {
  training: new vscode.ThemeIcon('sync~spin'),
  completed: new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')),
  cancelled: new vscode.ThemeIcon('circle-slash'),
  failed: new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground')),
};

function runItem(node: RunNode): vscode.TreeItem {
  const { run, checkpoints, damaged } = node.entry;
  const item = new vscode.TreeItem(run.name, checkpoints.length + damaged.length > 0 ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
  item.id = `run:${node.uri.toString()}`;
  item.resourceUri = node.uri;
  item.contextValue = 'run';
  item.iconPath = STATUS_ICONS[run.status] ?? new vscode.ThemeIcon('circle-outline');
  const last = run.history.at(-1);
  const epochs = `${run.history.length}/${run.config?.epochs ?? '?'} epochs`;
  const damage = damaged.length > 0 ? `${damaged.length} damaged checkpoint${damaged.length === 1 ? '' : 's'}` : undefined;
  item.description = [run.status, epochs, last ? `loss ${formatLoss(last.loss)}` : undefined, damage].filter(Boolean).join(' · ');
  const tooltip = new vscode.MarkdownString(undefined, true);
  tooltip.appendMarkdown(`**${escape(run.name)}** — ${run.status}\n\n`);
  tooltip.appendMarkdown(
    `${escape(run.model?.kind ?? '?')} autoencoder, latent ${run.model?.latent ?? '?'}, on ${escape(run.dataset?.name ?? '?')} ` +
      `(${run.dataset?.count ?? '?'} samples) · ${escape(run.backend?.backend ?? '?')}\n\n`,
  );
  if (last) tooltip.appendMarkdown(metricsMarkdown(last));
  if (run.error) tooltip.appendMarkdown(`\n\n$(error) ${escape(run.error)}`);
  if (damage) tooltip.appendMarkdown(`\n\n$(warning) ${damage}`);
  tooltip.appendMarkdown(`\n\n\`${escape(vscode.workspace.asRelativePath(node.uri))}\``);
  item.tooltip = tooltip;
  const latest = checkpoints.at(-1);
  if (latest) item.command = { command: OPEN_EXPLORER_COMMAND, title: 'Open Explorer', arguments: [latest.uri] };
  return item;
}

function checkpointItem(node: CheckpointNode): vscode.TreeItem {
  const { file } = node.entry;
  const item = new vscode.TreeItem(`epoch ${file.epoch}${node.latest ? ' (latest)' : ''}`, vscode.TreeItemCollapsibleState.None);
  item.id = `checkpoint:${node.uri.toString()}`;
  item.resourceUri = node.uri;
  item.contextValue = 'checkpoint';
  item.iconPath = new vscode.ThemeIcon('package');
  const m = file.metrics;
  item.description = `loss ${formatLoss(m.loss)}${m.valLoss !== null ? ` · val ${formatLoss(m.valLoss)}` : ''}`;
  const tooltip = new vscode.MarkdownString(undefined, true);
  tooltip.appendMarkdown(`**${escape(node.entry.runName)}**, epoch ${file.epoch}\n\n`);
  tooltip.appendMarkdown(metricsMarkdown(m));
  tooltip.appendMarkdown(`\n\nSaved ${escape(new Date(file.createdAt).toLocaleString())} on ${escape(file.backend)}`);
  item.tooltip = tooltip;
  item.command = { command: OPEN_EXPLORER_COMMAND, title: 'Open Explorer', arguments: [node.uri] };
  return item;
}

function damagedItem(node: DamagedCheckpointNode): vscode.TreeItem {
  const { uri, epoch, damage } = node.entry;
  const item = new vscode.TreeItem(epoch !== undefined ? `epoch ${epoch} (damaged)` : `${uri.path.split('/').pop()} (damaged)`, vscode.TreeItemCollapsibleState.None);
  item.id = `damaged:${uri.toString()}`;
  item.resourceUri = uri;
  item.contextValue = 'damagedCheckpoint';
  item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
  item.description = damage;
  const tooltip = new vscode.MarkdownString(undefined, true);
  tooltip.appendMarkdown(`$(warning) **Damaged checkpoint**: ${escape(damage)}\n\n`);
  tooltip.appendMarkdown('Its files no longer match its checkpoint.json (cut by a copy or sync, or edited), so it cannot be opened.');
  tooltip.appendMarkdown(`\n\n\`${escape(vscode.workspace.asRelativePath(uri))}\``);
  item.tooltip = tooltip;
  return item;
}

function metricsMarkdown(m: EpochMetrics): string {
  const rows: [string, string][] = [
    ['loss', formatLoss(m.loss)],
    ['validation loss', m.valLoss === null ? '—' : formatLoss(m.valLoss)],
    ['reconstruction MSE', formatLoss(m.reconstructionMse)],
  ];
  if (m.kl !== undefined) rows.push(['KL', formatLoss(m.kl)]);
  rows.push(['samples/s', Math.round(m.samplesPerSecond).toLocaleString()]);
  return `| | |\n|---|---:|\n${rows.map(([k, v]) => `| ${k} | ${v} |`).join('\n')}`;
}

export function formatLoss(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  return abs !== 0 && (abs < 1e-3 || abs >= 1e4) ? value.toExponential(2) : value.toPrecision(3);
}

function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>$]/g, (c) => `\\${c}`);
}
