// What the curves panel reads of a run (run.json, metrics.jsonl, its complete checkpoints) and how it
// notices that a charted run changed while it trains: a file watcher on the run's folder, and a look
// at the sizes of its two files every few seconds, because watchers drop events (liveFollow.ts says
// why). A burst of changes (a step flush, an epoch's run.json and checkpoint) is read once.

import * as vscode from 'vscode';
import type { RunFiles } from '../shared/curvesFeed';
import { MAX_METRICS_LOG_BYTES, parseMetricsLog, type MetricsLog } from '../shared/metricsLog';
import { CHECKPOINTS_DIR, METRICS_LOG_FILE, RUN_FILE } from '../shared/protocol';
import { Disposable } from './dispose';
import { readRun } from './runIndex';

/** A run's files, or undefined when the folder holds no valid run. A damaged log is an error naming its line. */
export async function readRunFiles(runDir: string): Promise<RunFiles | undefined> {
  const uri = vscode.Uri.file(runDir);
  const entry = await readRun(uri);
  if (!entry) return undefined;
  return { id: runDir, run: entry.run, log: await readMetricsLog(uri), checkpoints: entry.checkpoints.map((c) => c.file.epoch) };
}

async function readMetricsLog(runUri: vscode.Uri): Promise<MetricsLog | undefined> {
  const file = vscode.Uri.joinPath(runUri, METRICS_LOG_FILE);
  const stat = await Promise.resolve(vscode.workspace.fs.stat(file)).catch(() => undefined);
  if (!stat) return undefined;
  if (stat.size > MAX_METRICS_LOG_BYTES) throw new Error(`${file.fsPath} is larger than ${MAX_METRICS_LOG_BYTES / 1024 / 1024} MiB: not a metrics log of ours`);
  return parseMetricsLog(await vscode.workspace.fs.readFile(file), file.fsPath);
}

/** Coalesces a burst of events into one read. */
const SETTLE_MS = 250;
/** How often the files' sizes are compared, in case the watcher missed a change. */
const POLL_MS = 2000;

/** Calls `onChange(runDir)` when a watched run's files change. */
export class RunWatch extends Disposable {
  private readonly watched = new Map<string, { watcher: vscode.FileSystemWatcher; signature: string }>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(private readonly onChange: (runDir: string) => void) {
    super();
    const poll = setInterval(() => void this.poll(), POLL_MS);
    this._register({ dispose: () => clearInterval(poll) });
    this._register({
      dispose: () => {
        for (const { watcher } of this.watched.values()) watcher.dispose();
        for (const timer of this.timers.values()) clearTimeout(timer);
        this.watched.clear();
      },
    });
  }

  /** Watches exactly these runs from now on. */
  set(runDirs: readonly string[]): void {
    for (const [dir, { watcher }] of this.watched) {
      if (runDirs.includes(dir)) continue;
      watcher.dispose();
      this.watched.delete(dir);
    }
    for (const dir of runDirs) {
      if (this.watched.has(dir)) continue;
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(dir), `{${RUN_FILE},${METRICS_LOG_FILE},${CHECKPOINTS_DIR}/*}`));
      const changed = (): void => this.schedule(dir);
      watcher.onDidChange(changed);
      watcher.onDidCreate(changed);
      watcher.onDidDelete(changed);
      this.watched.set(dir, { watcher, signature: '' });
      void signature(dir).then((s) => {
        const entry = this.watched.get(dir);
        if (entry && entry.signature === '') entry.signature = s;
      });
    }
  }

  private schedule(dir: string): void {
    if (this.isDisposed || this.timers.has(dir)) return;
    this.timers.set(
      dir,
      setTimeout(() => {
        this.timers.delete(dir);
        void signature(dir).then((s) => {
          const entry = this.watched.get(dir);
          if (entry) entry.signature = s;
        });
        if (this.watched.has(dir)) this.onChange(dir);
      }, SETTLE_MS),
    );
  }

  private async poll(): Promise<void> {
    for (const [dir, entry] of this.watched) {
      const now = await signature(dir);
      if (entry.signature !== '' && now !== entry.signature) this.schedule(dir);
      entry.signature = now;
    }
  }
}

/** Sizes and times of run.json and metrics.jsonl: what changes whenever the run logs. */
async function signature(dir: string): Promise<string> {
  const parts = await Promise.all(
    [RUN_FILE, METRICS_LOG_FILE].map(async (name) => {
      const stat = await Promise.resolve(vscode.workspace.fs.stat(vscode.Uri.joinPath(vscode.Uri.file(dir), name))).catch(() => undefined);
      return stat ? `${stat.size}:${stat.mtime}` : '-';
    }),
  );
  return parts.join('|');
}
