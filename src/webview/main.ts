// Boot: open the channel to the host, say ready, take the session's samples in chunks after the
// ExplorerInit that comes back (snapshotLoader.ts), drawing the PCA map of the samples received so far
// as each chunk lands (views/loadingMap.ts), then draw everything from them (the page opens drawn, no
// click needed) and start what streams (UMAP). `explorer/reset` starts over for another checkpoint;
// `explorer/status` and every failed request show in the status line.
// Teardown (page hide) closes the channel, removes listeners and cancels animation frames.

import { RpcChannel } from '../shared/rpc';
import type { ExplorerInit } from '../shared/webviewApi';
import { ExplorerApi, isCancellation, type PageChannel } from './api';
import { ExplorerApp } from './app';
import { loadSnapshot } from './snapshotLoader';
import { el } from './dom';
import { Disposables } from './disposables';
import { getHost } from './host';
import { UiStateStore } from './state';
import { createButton, createProgressRing, registerToolkit } from './toolkit';
import { LoadingMap } from './views/loadingMap';
import { StatusLine } from './views/statusLine';
import { TimelineView } from './views/timeline';

export interface RunningExplorer {
  readonly app: ExplorerApp | undefined;
  dispose(): void;
}

function boot(root: HTMLElement): RunningExplorer {
  const host = getHost();
  registerToolkit();
  const disposables = new Disposables();
  const status = new StatusLine(disposables);
  const channel: PageChannel = new RpcChannel(host.transport, (message) => console.warn(`Latent Explorer: ${message}`));
  disposables.add(() => channel.close());
  const api = new ExplorerApi(channel, status);
  const state = new UiStateStore(host, disposables);
  const content = el('div', { class: 'explorer-content' });
  let app: ExplorerApp | undefined;
  disposables.add(() => app?.dispose());

  /** The message a page with nothing drawn yet shows while its checkpoint opens. */
  let booting: BootMessage | undefined;
  const boot = (text: string): BootMessage => {
    booting = bootMessage(text);
    content.replaceChildren(booting.element);
    return booting;
  };
  /** The samples of the checkpoint being opened: a newer one to show stops it. */
  let loading: AbortController | undefined;
  disposables.add(() => loading?.abort());
  /**
   * Takes the session's samples, then draws the page for them (the app shown so far stays until then).
   * True once drawn; false when another checkpoint came first or the samples could not be had.
   */
  const show = async (init: ExplorerInit, failed?: (error: unknown) => void): Promise<boolean> => {
    loading?.abort();
    const controller = new AbortController();
    loading = controller;
    const { count } = init.snapshot;
    // Only a page with nothing drawn yet says so, and draws the map as the samples come; one showing a
    // checkpoint keeps it until the next is in.
    const message = app ? undefined : boot('');
    const preview = message && count > 0 ? new LoadingMap(count) : undefined;
    if (preview) content.append(preview.element);
    const progress = (received: number, pcaPoints: Float32Array, placed: number): void => {
      message?.say(`Receiving ${count.toLocaleString('en')} samples… ${Math.floor((100 * received) / count)}%`);
      preview?.update(received, pcaPoints, placed);
    };
    try {
      const loaded = await loadSnapshot(api, init, controller.signal, progress);
      if (loading !== controller || disposables.isDisposed) return false;
      loading = undefined;
      booting = undefined;
      app?.dispose();
      state.forCheckpoint(loaded.snapshot.checkpoint.dir);
      app = new ExplorerApp({ api, state }, loaded);
      content.replaceChildren(app.element);
      timeline.update(loaded.timeline);
      root.setAttribute('aria-busy', 'false');
      app.start();
      return true;
    } catch (error) {
      if (loading === controller) loading = undefined;
      if (!disposables.isDisposed && !isCancellation(error) && !controller.signal.aborted) failed?.(error);
      return false;
    } finally {
      // Drawn, replaced by a newer checkpoint or failed: the stand-in map has done its job.
      preview?.dispose();
    }
  };
  // Outside the per-checkpoint app: its focus and play go on across the epochs it shows.
  const timeline = new TimelineView({ api, show, settled: () => app?.embeddings.umapSettled() ?? Promise.resolve(), state }, disposables);
  root.replaceChildren(status.element, timeline.element, content);

  disposables.add(api.onNotification('explorer/reset', (init) => void show(init)));
  disposables.add(
    api.onNotification('explorer/opening', ({ done, total }) => booting?.say(`Encoding the samples… ${done.toLocaleString('en')} of ${total.toLocaleString('en')}`)),
  );
  disposables.add(api.onNotification('explorer/status', ({ level, message }) => status.show(level, message)));
  disposables.add(api.onNotification('explorer/layout', (note) => app?.onLayout(note)));

  const ready = (): void => {
    root.setAttribute('aria-busy', 'true');
    boot('Opening the checkpoint…');
    const failed = (error: unknown): void => {
      if (disposables.isDisposed || isCancellation(error) || app) return;
      booting = undefined;
      const retry = createButton('Try again', { appearance: 'primary' });
      retry.addEventListener('click', ready, { once: true });
      content.replaceChildren(
        el('div', { class: 'boot-failed' }, el('p', { text: `This checkpoint could not be opened: ${error instanceof Error ? error.message : String(error)}` }), retry),
      );
      root.setAttribute('aria-busy', 'false');
    };
    api.request('explorer/ready', {}).then((init) => {
      if (!disposables.isDisposed && !app) void show(init, failed);
    }, failed);
  };
  ready();

  return {
    get app() {
      return app;
    },
    dispose: () => disposables.dispose(),
  };
}

interface BootMessage {
  element: HTMLElement;
  say(text: string): void;
}

/** The message (with a progress ring) a page shows until it has a checkpoint to draw. */
function bootMessage(text: string): BootMessage {
  const words = document.createTextNode(text);
  return { element: el('p', { class: 'boot-message' }, createProgressRing('Opening the checkpoint'), words), say: (next) => void (words.data = next) };
}

// The bundle's entry: start at once and tear down when the page goes away.
const root = typeof document !== 'undefined' ? document.getElementById('explorer') : null;
if (root) {
  const explorer = boot(root);
  window.addEventListener('pagehide', () => explorer.dispose(), { once: true });
}
