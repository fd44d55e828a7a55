// Owns the one engine process (dist/engine.js, forked with the host's own executable), started on
// the first request. Before anything else a new engine resolves the backend named in the settings,
// so every later request runs on it. A crash is reported once and the next request starts afresh;
// a change of the backend settings (backend, native backend path, GPU adapter) restarts the engine
// when no training runs.

import { join } from 'node:path';
import * as vscode from 'vscode';
import { EngineProcess, type EngineExit } from '../engine/engineProcess';
import type { EngineNotifications, EngineRequests } from '../shared/engineApi';
import { EngineError } from '../shared/errors';
import type { BackendPreference, BackendReport } from '../shared/protocol';
import type { RequestOptions } from '../shared/rpc';
import { Disposable, toDisposable } from './dispose';
import type { Log } from './log';
import { nativeModuleDirs } from './backendInstall';
import { affects, readSettings } from './settings';

export type TrainEventNotification = EngineNotifications['train/event'];
export type LayoutNotification = EngineNotifications['explore/layout'];

export interface EngineStop {
  /** True when the engine died; false when we stopped it (a setting changed, the extension closed). */
  crashed: boolean;
  message: string;
}

interface Running {
  process: EngineProcess;
  preference: BackendPreference;
  /** The latentExplorer.nativeBackendPath it started with: a change restarts it like a backend change. */
  nativeBackendPath: string;
  /** The latentExplorer.gpuAdapter it started with: likewise. */
  gpuAdapter: string;
  /** Settles when the backend is chosen; requests wait for it. */
  backend: Promise<BackendReport> | undefined;
  stoppedOnPurpose: boolean;
}

const BACKEND_TIMEOUT_MS = 2 * 60_000;

export class EngineClient extends Disposable {
  private running: Running | undefined;
  private trainingCount = 0;
  private restartWhenIdle = false;
  private _backend: BackendReport | undefined;

  private readonly _onDidChangeBackend = this._register(new vscode.EventEmitter<BackendReport>());
  /** Fires when an engine has chosen its backend (the status bar shows it). */
  readonly onDidChangeBackend = this._onDidChangeBackend.event;
  private readonly _onDidStop = this._register(new vscode.EventEmitter<EngineStop>());
  /** Fires when an engine stops: its explorer sessions are gone. */
  readonly onDidStop = this._onDidStop.event;
  private readonly _onTrainEvent = this._register(new vscode.EventEmitter<TrainEventNotification>());
  readonly onTrainEvent = this._onTrainEvent.event;
  private readonly _onLayout = this._register(new vscode.EventEmitter<LayoutNotification>());
  readonly onLayout = this._onLayout.event;
  private readonly _onOpening = this._register(new vscode.EventEmitter<EngineNotifications['explore/opening']>());
  /** Samples encoded so far by an `explore/open` asked with a progressId. */
  readonly onOpening = this._onOpening.event;
  private readonly _onEngineLog = this._register(new vscode.EventEmitter<string>());
  /** Any sign of life from the engine (progress logs while a dataset downloads, say). */
  readonly onEngineLog = this._onEngineLog.event;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: Log,
  ) {
    super();
    this._register(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (affects(event, 'backend') || affects(event, 'nativeBackendPath') || affects(event, 'gpuAdapter')) this.onBackendSettingChanged();
      }),
    );
    this._register(toDisposable(() => this.stop('The extension was deactivated')));
  }

  /** The backend of the running engine, once chosen. */
  get backend(): BackendReport | undefined {
    return this._backend;
  }

  get isTraining(): boolean {
    return this.trainingCount > 0;
  }

  /** Sends one request to the engine, starting it (and choosing its backend) first if needed. */
  async request<M extends keyof EngineRequests & string>(
    method: M,
    params: EngineRequests[M]['params'],
    options: RequestOptions = {},
  ): Promise<EngineRequests[M]['result']> {
    const running = this.ensureRunning();
    await this.backendOf(running);
    if (method !== 'train/start') return running.process.channel.request(method, params, options);
    this.trainingCount++;
    try {
      return await running.process.channel.request(method, params, options);
    } finally {
      this.trainingCount--;
      if (this.trainingCount === 0 && this.restartWhenIdle) this.onBackendSettingChanged();
    }
  }

  /** Starts the engine if needed and returns the backend it chose (the status bar, Show Backend Details). */
  resolveBackend(): Promise<BackendReport> {
    return this.backendOf(this.ensureRunning());
  }

  private ensureRunning(): Running {
    if (this.isDisposed) throw new EngineError('cancelled', 'Latent Explorer is shutting down');
    if (this.running?.process.isRunning) return this.running;
    const storage = this.context.globalStorageUri.fsPath;
    const settings = readSettings();
    const engine = new EngineProcess({
      workerPath: this.context.asAbsolutePath(join('dist', 'engine.js')),
      // Native TensorFlow packages: an installation the setting names, then what Install Native
      // Backend put in the global storage (see README: Native backends on demand).
      nativeModuleDirs: nativeModuleDirs(settings.nativeBackendPath, storage),
      cacheDir: storage, // downloads land in <storage>/datasets/<name>
      gpuAdapter: settings.gpuAdapter,
      log: (message) => this.log.info(`[engine] ${message}`),
    });
    const running: Running = {
      process: engine,
      preference: settings.backend,
      nativeBackendPath: settings.nativeBackendPath,
      gpuAdapter: settings.gpuAdapter,
      backend: undefined,
      stoppedOnPurpose: false,
    };
    this.running = running;
    this.log.info(`Started the engine (pid ${engine.pid ?? '?'}) for backend preference ${running.preference}${running.gpuAdapter ? `, GPU adapter "${running.gpuAdapter}"` : ''}`);
    const channel = engine.channel;
    const unsubscribe = [
      channel.onNotification('train/event', (params) => this._onTrainEvent.fire(params)),
      channel.onNotification('explore/layout', (params) => this._onLayout.fire(params)),
      channel.onNotification('explore/opening', (params) => this._onOpening.fire(params)),
      channel.onNotification('log', ({ level, message }) => {
        this.log[level === 'error' ? 'error' : level === 'warn' ? 'warn' : 'info'](`[engine] ${message}`);
        this._onEngineLog.fire(message);
      }),
    ];
    engine.onDidExit((exit) => {
      unsubscribe.forEach((u) => u());
      this.onExit(running, exit);
    });
    return running;
  }

  private backendOf(running: Running): Promise<BackendReport> {
    if (!running.backend) {
      const pending = running.process.channel
        .request('backend/resolve', { preference: running.preference }, { timeoutMs: BACKEND_TIMEOUT_MS })
        .then((report) => {
          if (this.running === running) {
            this._backend = report;
            this.log.info(report.summary);
            this._onDidChangeBackend.fire(report);
          }
          return report;
        });
      // A failed choice (a named backend that cannot run) is retried by the next request.
      pending.catch(() => {
        if (running.backend === pending) running.backend = undefined;
      });
      running.backend = pending;
    }
    return running.backend;
  }

  private onExit(running: Running, exit: EngineExit): void {
    if (this.running === running) this.running = undefined;
    if (running.stoppedOnPurpose || this.isDisposed) {
      this._onDidStop.fire({ crashed: false, message: exit.message });
      return;
    }
    this.log.error(`${exit.message}. The engine restarts on the next request.`);
    this._onDidStop.fire({ crashed: true, message: exit.message });
    void vscode.window
      .showWarningMessage(`Latent Explorer's engine stopped: ${exit.message}. It restarts on the next request.`, 'Show Log')
      .then((choice) => choice === 'Show Log' && this.log.show());
  }

  private onBackendSettingChanged(): void {
    const running = this.running;
    const settings = readSettings();
    const unchanged = running?.preference === settings.backend && running.nativeBackendPath === settings.nativeBackendPath && running.gpuAdapter === settings.gpuAdapter;
    if (!running?.process.isRunning || unchanged) {
      this.restartWhenIdle = false;
      return;
    }
    if (this.trainingCount > 0) {
      this.restartWhenIdle = true;
      this.log.info('The backend setting changed: the engine restarts when training ends');
      return;
    }
    this.restartWhenIdle = false;
    this.stop('The backend setting changed');
    // Show the new choice at once.
    this.resolveBackend().catch((error: unknown) => this.log.error('Choosing the backend failed', error));
  }

  private stop(reason: string): void {
    const running = this.running;
    if (!running) return;
    this.log.info(`Stopping the engine: ${reason}`);
    running.stoppedOnPurpose = true;
    this.running = undefined;
    running.process.dispose();
  }
}
