// One explorer panel per checkpoint. The page is set once (strict CSP, crypto nonce, scripts only
// from dist/), restores its own UI state when shown again (retainContextWhenHidden stays off), and
// asks for everything through one RpcChannel per page load (src/shared/pageChannels.ts): the host
// validates each request and relays it to the engine's explorer session as src/shared/explorerRequests.ts
// says, opening the session on the first `explorer/ready` and closing it with the panel.

import { randomBytes } from 'node:crypto';
import { basename, dirname } from 'node:path';
import * as vscode from 'vscode';
import type { SnapshotHeader } from '../shared/engineApi';
import { EngineError } from '../shared/errors';
import { explorerHtml } from '../shared/explorerHtml';
import { engineRelays, serveExplorer, sessionLimits, type ExplorerHandlers, type HostChannel } from '../shared/explorerHost';
import { EXPLORER_REQUESTS } from '../shared/explorerRequests';
import { PageChannels } from '../shared/pageChannels';
import { CHECKPOINTS_DIR } from '../shared/protocol';
import { RpcChannel, type Transport } from '../shared/rpc';
import { runTimeline, seekHandler } from '../shared/timelineHost';
import type { SessionLimits } from '../shared/validation/checks';
import type { ExplorerInit, ExplorerNotifications } from '../shared/webviewApi';
import { Disposable } from './dispose';
import { siblingRuns } from './explorerLecture';
import type { EngineClient } from './engineClient';
import type { Log } from './log';
import { webviewTransport } from './webviewTransport';
import { explorerSettings, readSettings } from './settings';
import { LiveFollower } from './liveFollow';
import { mapHostHandlers } from './mapHandlers';
import { SHOW_CURVES_COMMAND } from './runsTree';
import { isTrusted } from './workspaceTrust';

export const EXPLORER_VIEW_TYPE = 'latentExplorer.explorer';

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'media'), vscode.Uri.joinPath(extensionUri, 'dist')],
    // Off on purpose: the page keeps its UI state with setState and asks the host again on load.
    retainContextWhenHidden: false,
    enableFindWidget: false,
  };
}

export interface ExplorerPanelDeps {
  extensionUri: vscode.Uri;
  engine: EngineClient;
  log: Log;
}

export class ExplorerPanel extends Disposable {
  private readonly _onDidDispose = this._register(new vscode.EventEmitter<void>());
  readonly onDidDispose = this._onDidDispose.event;
  /** The panel moved on to a newer checkpoint of its run (the live map); `from` is the old folder. */
  private readonly _onDidSwitch = this._register(new vscode.EventEmitter<{ from: string; to: string }>());
  readonly onDidSwitch = this._onDidSwitch.event;
  private readonly live: LiveFollower;

  private readonly pages: PageChannels<HostChannel>;
  private isReady = false;
  /** Notifications held until the page says it is ready: the newest of each type only. */
  private readonly queued = new Map<keyof ExplorerNotifications, unknown>();
  private session: Promise<SnapshotHeader> | undefined;
  private sessionId: string | undefined;
  private sessionPointsCap = 0;
  private limits: SessionLimits = {};

  constructor(
    readonly panel: vscode.WebviewPanel,
    /** The checkpoint folder, as the engine names it (a newer one of its run when following). */
    private checkpointDir: string,
    private title: string,
    private readonly deps: ExplorerPanelDeps,
  ) {
    super();
    const webview = panel.webview;
    webview.options = webviewOptions(deps.extensionUri);
    panel.iconPath = vscode.Uri.joinPath(deps.extensionUri, 'media', 'latent.svg');
    panel.title = title;
    webview.html = explorerHtml({
      cspSource: webview.cspSource,
      nonce: randomBytes(16).toString('base64'),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(deps.extensionUri, 'dist', 'webview.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(deps.extensionUri, 'media', 'explorer.css')).toString(),
      title,
    });
    this.pages = new PageChannels(webviewTransport(this.panel.webview, this.deps.log, 'explorer page'), 'explorer/ready', (transport) => this.createChannel(transport), () => {
      // A new page load: it gets a full state when it says ready, and nothing queued for the old one.
      this.isReady = false;
      this.queued.clear();
    });
    this._register(
      panel.onDidChangeViewState(() => {
        // A hidden page is gone (its context is not retained): drop its channel, which aborts what it
        // asked for; the page that loads when shown again says ready on a fresh one.
        if (!panel.visible) this.pages.restart();
      }),
    );
    this._register(deps.engine.onLayout((note) => {
      if (note.sessionId !== this.sessionId) return;
      this.post('explorer/layout', { projectionId: note.projectionId, projection: note.projection, epoch: note.epoch, epochs: note.epochs });
    }));
    this._register(deps.engine.onDidStop((stop) => {
      if (!this.session) return;
      this.session = undefined;
      this.sessionId = undefined;
      if (stop.crashed) this.post('explorer/status', { level: 'warn', message: 'The engine restarted; the checkpoint reopens with your next action.' });
    }));
    this._register(panel.onDidDispose(() => this.dispose()));
    this.live = this._register(
      new LiveFollower(checkpointDir, deps.engine, deps.log, (dir, title) => this.switchTo(dir, title)),
    );
  }

  get checkpoint(): string {
    return this.checkpointDir;
  }

  private get channel(): HostChannel {
    return this.pages.channel;
  }

  /** The live map: show `dir` (a newer checkpoint of this run) and start the page over with it. */
  private switchTo(dir: string, title: string): void {
    if (this.isDisposed || dir === this.checkpointDir) return;
    const from = this.checkpointDir;
    this.checkpointDir = dir;
    this.title = title;
    this.panel.title = title;
    this.closeSession();
    this._onDidSwitch.fire({ from, to: dir });
    if (!this.isReady) return; // the page asks when it loads
    const channel = this.channel;
    this.ensureSession().then(
      async (snapshot) => {
        const init = await this.pageState(snapshot);
        if (channel !== this.channel || this.checkpointDir !== dir) return;
        this.post('explorer/reset', init);
      },
      (error: unknown) => {
        if (!EngineError.is(error, 'cancelled')) this.post('explorer/status', { level: 'warn', message: `Could not open ${title}: ${String(error)}` });
      },
    );
  }

  /**
   * The timeline: show `dir`, another checkpoint of this run (seekHandler checked it), and answer the
   * page with its state once open. A newer seek while this one opens makes this one `cancelled`.
   */
  private async seek(dir: string): Promise<ExplorerInit> {
    if (dir !== this.checkpointDir) {
      const from = this.checkpointDir;
      this.checkpointDir = dir;
      this.closeSession();
      this._onDidSwitch.fire({ from, to: dir });
    }
    const snapshot = await this.ensureSession();
    if (this.checkpointDir !== dir) throw new EngineError('cancelled', 'Another epoch was chosen');
    this.title = `${snapshot.checkpoint.runName} · epoch ${snapshot.checkpoint.epoch}`;
    this.panel.title = this.title;
    return this.pageState(snapshot);
  }

  /** The complete state a page starts from: the snapshot, the settings, following, the run's timeline. */
  private async pageState(snapshot: SnapshotHeader): Promise<ExplorerInit> {
    // Without its run's list (the engine stopping meanwhile) the page still opens, with no timeline.
    const timeline = await runTimeline((method, params, options) => this.deps.engine.request(method, params, options), snapshot.checkpoint).catch(() => undefined);
    return { title: this.title, snapshot, settings: explorerSettings(readSettings()), live: { following: this.live.following }, ...(timeline ? { timeline } : {}) };
  }

  reveal(): void {
    this.panel.reveal();
  }

  override dispose(): void {
    if (this.isDisposed) return;
    this.pages.close();
    const id = this.sessionId;
    this.session = undefined;
    this.sessionId = undefined;
    if (id) {
      this.deps.engine
        .request('explore/close', { sessionId: id }, { timeoutMs: 10_000 })
        .catch((error: unknown) => this.deps.log.warn(`Closing explorer session ${id}: ${String(error)}`));
    }
    this._onDidDispose.fire();
    super.dispose();
    this.panel.dispose();
  }

  /** The channel of one page load: every request relayed or answered here, behind its validator. */
  private createChannel(transport: Transport): HostChannel {
    const log = this.deps.log;
    const engine = this.deps.engine;
    const channel: HostChannel = new RpcChannel(transport, (message) => log.warn(`[explorer] ${message}`));
    const relays = engineRelays({
      request: (method, params, options) => engine.request(method, params, options),
      sessionId: async () => (await this.ensureSession()).sessionId,
      siblings: async () => siblingRuns((await this.ensureSession()).checkpoint, log),
    });
    // Typed as the full map: a request the page can send and the host does not answer fails to compile.
    const handlers: ExplorerHandlers = {
      ...relays,
      ...mapHostHandlers({
        log,
        compare: relays['explorer/compare'],
        checkpoint: () => this.checkpointDir,
        setFollowing: (follow) => this.live.setFollowing(follow),
      }),
      'explorer/ready': () => this.ready(),
      'explorer/seek': seekHandler({
        request: (method, params, options) => engine.request(method, params, options),
        shown: async () => (await this.ensureSession()).checkpoint,
        moveTo: (dir) => this.seek(dir),
      }),
      // The curves of this checkpoint's run (run folder = two levels up from checkpoints/epoch-NNNN).
      'explorer/showCurves': async () => {
        await vscode.commands.executeCommand(SHOW_CURVES_COMMAND, dirname(dirname(this.checkpointDir)));
      },
    };
    serveExplorer(channel, handlers, () => this.limits);
    return channel;
  }

  /** The page loaded: answer with one complete state, then send what waited for it. */
  private async ready(): Promise<ExplorerInit> {
    if (!isTrusted()) {
      throw new EngineError('unsupported', 'This workspace is in Restricted Mode: Latent Explorer does not load models from it until you trust it.');
    }
    const settings = readSettings();
    // A changed points cap applies when the page loads again.
    if (this.session && this.sessionPointsCap !== settings.pointsCap) this.closeSession();
    const snapshot = await this.ensureSession();
    const init = await this.pageState(snapshot);
    const channel = this.channel;
    setTimeout(() => {
      if (channel !== this.channel) return;
      this.isReady = true;
      for (const [method, params] of this.queued) this.channel.notify(method, params as never);
      this.queued.clear();
    }, 0);
    return init;
  }

  private ensureSession(): Promise<SnapshotHeader> {
    if (this.session) return this.session;
    const { pointsCap, seed } = readSettings();
    // The PCA map is laid onto the run's latest checkpoint's, so the timeline's epochs line up.
    const parent = dirname(this.checkpoint);
    const alignTo = basename(parent) === CHECKPOINTS_DIR ? dirname(parent) : undefined;
    // The encoding's progress goes straight to the page, which is waiting for it (not queued as post() does).
    const progressId = randomBytes(8).toString('hex');
    const progress = this.deps.engine.onOpening((note) => {
      if (note.progressId === progressId && !this.isDisposed) this.channel.notify('explorer/opening', { done: note.done, total: note.total });
    });
    const opening = this.deps.engine
      .request('explore/open', { checkpoint: this.checkpoint, limit: pointsCap, seed, progressId, ...(alignTo ? { alignTo } : {}) }, { timeoutMs: EXPLORER_REQUESTS['explorer/ready'].timeoutMs })
      .finally(() => progress.dispose())
      .then((snapshot) => {
        if (this.isDisposed || this.session !== opening) {
          // Closed (or replaced) while opening: do not leak the engine's session.
          void this.deps.engine.request('explore/close', { sessionId: snapshot.sessionId }).catch(() => undefined);
          throw new EngineError('cancelled', 'The explorer was closed');
        }
        this.sessionId = snapshot.sessionId;
        this.sessionPointsCap = pointsCap;
        this.limits = sessionLimits(snapshot);
        this.deps.log.info(`Opened ${this.checkpoint}: ${snapshot.count} samples, latent ${snapshot.latent}`);
        return snapshot;
      });
    opening.catch((error: unknown) => {
      if (this.session === opening) this.session = undefined;
      if (!EngineError.is(error, 'cancelled')) this.deps.log.error(`Opening ${this.checkpoint} failed`, error);
    });
    this.session = opening;
    return opening;
  }

  private closeSession(): void {
    const id = this.sessionId;
    this.session = undefined;
    this.sessionId = undefined;
    if (id) void this.deps.engine.request('explore/close', { sessionId: id }, { timeoutMs: 10_000 }).catch(() => undefined);
  }

  private post<N extends keyof ExplorerNotifications>(method: N, params: ExplorerNotifications[N]): void {
    if (this.isReady) this.channel.notify(method, params);
    else this.queued.set(method, params);
  }
}
