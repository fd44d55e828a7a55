// Boot: open the channel to the host, say ready, draw everything from the one ExplorerInit that comes
// back (the page opens drawn, no click needed) and start what streams (UMAP). `explorer/reset` starts
// over for another checkpoint; `explorer/status` and every failed request show in the status line.
// Teardown (page hide) closes the channel, removes listeners and cancels animation frames.

import { RpcChannel } from '../shared/rpc';
import type { ExplorerInit } from '../shared/webviewApi';
import { ExplorerApi, isCancellation, type PageChannel } from './api';
import { ExplorerApp } from './app';
import { el } from './dom';
import { Disposables } from './disposables';
import { getHost } from './host';
import { UiStateStore } from './state';
import { createButton, createProgressRing, registerToolkit } from './toolkit';
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

  const show = (init: ExplorerInit): void => {
    app?.dispose();
    state.forCheckpoint(init.snapshot.checkpoint.dir);
    app = new ExplorerApp({ api, state }, init);
    content.replaceChildren(app.element);
    timeline.update(init.timeline);
    root.setAttribute('aria-busy', 'false');
    app.start();
  };
  // Outside the per-checkpoint app: its focus and play go on across the epochs it shows.
  const timeline = new TimelineView({ api, show, settled: () => app?.embeddings.umapSettled() ?? Promise.resolve(), state }, disposables);
  root.replaceChildren(status.element, timeline.element, content);

  disposables.add(api.onNotification('explorer/reset', (init) => show(init)));
  disposables.add(api.onNotification('explorer/status', ({ level, message }) => status.show(level, message)));
  disposables.add(api.onNotification('explorer/layout', (note) => app?.onLayout(note)));

  const ready = (): void => {
    root.setAttribute('aria-busy', 'true');
    content.replaceChildren(el('p', { class: 'boot-message' }, createProgressRing('Opening the checkpoint'), 'Opening the checkpoint…'));
    api.request('explorer/ready', {}).then(
      (init) => {
        if (!disposables.isDisposed && !app) show(init);
      },
      (error: unknown) => {
        if (disposables.isDisposed || isCancellation(error)) return;
        const retry = createButton('Try again', { appearance: 'primary' });
        retry.addEventListener('click', ready, { once: true });
        content.replaceChildren(
          el('div', { class: 'boot-failed' }, el('p', { text: `This checkpoint could not be opened: ${error instanceof Error ? error.message : String(error)}` }), retry),
        );
        root.setAttribute('aria-busy', 'false');
      },
    );
  };
  ready();

  return {
    get app() {
      return app;
    },
    dispose: () => disposables.dispose(),
  };
}

// The bundle's entry: start at once and tear down when the page goes away.
const root = typeof document !== 'undefined' ? document.getElementById('explorer') : null;
if (root) {
  const explorer = boot(root);
  window.addEventListener('pagehide', () => explorer.dispose(), { once: true });
}
