// The live map's host side: an explorer panel follows its run's newest checkpoint while the run
// trains. A new checkpoint is noticed three ways: the engine's epoch events (runs trained from VS
// Code), a file watcher on the run's checkpoints folder (runs trained by the CLI), and a look at that
// folder every few seconds, because file watchers drop events (VS Code's own documentation says so,
// and CI saw code-server's miss a checkpoint the CLI renamed into place). Each candidate is read
// back through runIndex (complete checkpoints only) and taken only when its epoch is newer than the
// one shown; the panel then reopens on it and the page warm-starts UMAP from its previous layout.

import { dirname } from 'node:path';
import * as vscode from 'vscode';
import { CHECKPOINTS_DIR } from '../shared/protocol';
import { Disposable } from './dispose';
import type { EngineClient } from './engineClient';
import { panelTitle } from './checkpointTitle';
import type { Log } from './log';
import { resolveCheckpoint } from './runIndex';

/** Coalesces a burst of watcher events (a checkpoint is several files) into one look. */
const SETTLE_MS = 400;
/** How often the checkpoints folder is listed in case the watcher missed a new checkpoint. */
const POLL_MS = 3000;

export class LiveFollower extends Disposable {
  private followingRun = true;
  private epoch = -1;
  private readonly runDir: string;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private pending: string | undefined;
  /** The newest checkpoint folder name the last poll saw, so a poll looks only at something new. */
  private polledNewest = '';
  /** Settles once the epoch of the checkpoint the panel opened on is known: nothing older is taken. */
  private readonly shown: Promise<void>;

  constructor(
    checkpoint: string,
    engine: EngineClient,
    private readonly log: Log,
    private readonly onNewer: (dir: string, title: string) => void,
  ) {
    super();
    this.runDir = dirname(dirname(checkpoint));
    this.shown = resolveCheckpoint(vscode.Uri.file(checkpoint))
      .then((entry) => {
        if (entry) this.epoch = Math.max(this.epoch, entry.file.epoch);
      })
      .catch(() => undefined);
    this._register(
      engine.onTrainEvent(({ event }) => {
        if (event.type === 'epoch' && dirname(dirname(event.checkpointDir)) === this.runDir) this.consider(event.checkpointDir);
      }),
    );
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(this.runDir), `${CHECKPOINTS_DIR}/*`));
    this._register(watcher);
    const onFile = (uri: vscode.Uri): void => {
      const name = uri.path.split('/').pop() ?? '';
      if (!name.startsWith('.')) this.consider(uri.fsPath); // `.tmp-*` folders are checkpoints being written
    };
    this._register(watcher.onDidCreate(onFile));
    this._register(watcher.onDidChange(onFile));
    this._register({ dispose: () => this.timer !== undefined && clearTimeout(this.timer) });
    // Polls look only at checkpoints that appear after the panel opened: a person who opened an older
    // checkpoint on purpose stays on it until training writes a new one.
    let poll: ReturnType<typeof setInterval> | undefined;
    void this.newestCheckpointName().then((newest) => {
      this.polledNewest = newest ?? '';
      if (!this.isDisposed) poll = setInterval(() => void this.poll(), POLL_MS);
    });
    this._register({ dispose: () => poll !== undefined && clearInterval(poll) });
  }

  get following(): boolean {
    return this.followingRun;
  }

  setFollowing(follow: boolean): boolean {
    this.followingRun = follow;
    return follow;
  }

  private consider(dir: string): void {
    if (!this.followingRun || this.isDisposed) return;
    this.pending = dir;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const candidate = this.pending;
      this.pending = undefined;
      if (candidate) void this.look(candidate);
    }, SETTLE_MS);
  }

  private async poll(): Promise<void> {
    if (!this.followingRun || this.isDisposed) return;
    const newest = await this.newestCheckpointName();
    if (!newest || newest === this.polledNewest) return;
    this.polledNewest = newest;
    this.consider(vscode.Uri.joinPath(vscode.Uri.file(this.runDir), CHECKPOINTS_DIR, newest).fsPath);
  }

  /** `epoch-0007` names sort by epoch; `.tmp-*` folders are checkpoints being written. */
  private async newestCheckpointName(): Promise<string | undefined> {
    const folder = vscode.Uri.joinPath(vscode.Uri.file(this.runDir), CHECKPOINTS_DIR);
    const entries = await Promise.resolve(vscode.workspace.fs.readDirectory(folder)).catch(() => []);
    return entries
      .filter(([name, type]) => type === vscode.FileType.Directory && !name.startsWith('.'))
      .map(([name]) => name)
      .sort()
      .pop();
  }

  private async look(dir: string): Promise<void> {
    await this.shown;
    const entry = await resolveCheckpoint(vscode.Uri.file(dir));
    if (!entry || this.isDisposed || !this.followingRun || entry.file.epoch <= this.epoch) return;
    this.epoch = entry.file.epoch;
    this.log.info(`Live map: ${panelTitle(entry)}`);
    this.onNewer(entry.uri.fsPath, panelTitle(entry));
  }
}
