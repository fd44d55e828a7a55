// The live map's host side: an explorer panel follows its run's newest checkpoint while the run
// trains. A new checkpoint is noticed two ways: the engine's epoch events (runs trained from VS Code)
// and a file watcher on the run's checkpoints folder (runs trained by the CLI). Each candidate is read
// back through runIndex (complete checkpoints only) and taken only when its epoch is newer than the
// one shown; the panel then reopens on it and the page warm-starts UMAP from its previous layout.

import { dirname } from 'node:path';
import * as vscode from 'vscode';
import { CHECKPOINTS_DIR } from '../shared/protocol';
import { Disposable } from './dispose';
import type { EngineClient } from './engineClient';
import { panelTitle } from './explorerPanel';
import type { Log } from './log';
import { resolveCheckpoint } from './runIndex';

/** Coalesces a burst of watcher events (a checkpoint is several files) into one look. */
const SETTLE_MS = 400;

export class LiveFollower extends Disposable {
  private followingRun = true;
  private epoch = -1;
  private readonly runDir: string;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private pending: string | undefined;

  constructor(
    checkpoint: string,
    engine: EngineClient,
    private readonly log: Log,
    private readonly onNewer: (dir: string, title: string) => void,
  ) {
    super();
    this.runDir = dirname(dirname(checkpoint));
    void resolveCheckpoint(vscode.Uri.file(checkpoint)).then((entry) => {
      if (entry) this.epoch = Math.max(this.epoch, entry.file.epoch);
    });
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

  private async look(dir: string): Promise<void> {
    const entry = await resolveCheckpoint(vscode.Uri.file(dir));
    if (!entry || this.isDisposed || !this.followingRun || entry.file.epoch <= this.epoch) return;
    this.epoch = entry.file.epoch;
    this.log.info(`Live map: ${panelTitle(entry)}`);
    this.onNewer(entry.uri.fsPath, panelTitle(entry));
  }
}
