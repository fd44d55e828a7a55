// The curves page's boot (dist/curves.js): open the channel to the host, say ready, and build the
// page from the one CurvesInit that comes back, then load the charted runs' curves (the page opens
// drawn, no click needed). Notifications grow the curves (curves/append), replace a run's
// (curves/replace), update the table (curves/rows) or show a message (curves/status).

import { RpcChannel } from '../../shared/rpc';
import { el } from '../dom';
import { Disposables } from '../disposables';
import { getHost } from '../host';
import { StatusLine } from '../views/statusLine';
import { CurvesApp, type CurvesPageChannel } from './curvesApp';
import { CurvesStateStore } from './curvesState';
import { CURVES_TIMEOUTS } from '../../shared/curvesApi';

function boot(root: HTMLElement): () => void {
  const host = getHost();
  const disposables = new Disposables();
  const status = new StatusLine(disposables);
  const channel: CurvesPageChannel = new RpcChannel(host.transport, (message) => console.warn(`Latent Explorer: ${message}`));
  disposables.add(() => channel.close());
  const state = new CurvesStateStore(host);
  const content = el('div', { class: 'curves-content' });
  root.replaceChildren(status.element, content);
  let app: CurvesApp | undefined;
  disposables.add(() => app?.dispose());
  disposables.add(channel.onNotification('curves/append', (update) => app?.onAppend(update)));
  disposables.add(channel.onNotification('curves/replace', (run) => app?.onReplace(run)));
  disposables.add(channel.onNotification('curves/rows', (init) => app?.setRows(init)));
  disposables.add(channel.onNotification('curves/status', ({ level, message }) => status.show(level, message)));

  const ready = (): void => {
    content.replaceChildren(el('p', { class: 'boot-message', text: 'Reading the runs…' }));
    channel.request('curves/ready', {}, { timeoutMs: CURVES_TIMEOUTS['curves/ready'] + 60_000 }).then(
      (init) => {
        if (disposables.isDisposed) return;
        app = new CurvesApp(channel, state, status, init);
        content.replaceChildren(app.element);
        root.setAttribute('aria-busy', 'false');
      },
      (error: unknown) => {
        if (disposables.isDisposed) return;
        const retry = el('button', { text: 'Try again', attrs: { type: 'button' } });
        retry.addEventListener('click', ready, { once: true });
        content.replaceChildren(el('div', { class: 'boot-failed' }, el('p', { text: `The runs could not be read: ${error instanceof Error ? error.message : String(error)}` }), retry));
        root.setAttribute('aria-busy', 'false');
      },
    );
  };
  ready();
  return () => disposables.dispose();
}

const root = typeof document !== 'undefined' ? document.getElementById('curves') : null;
if (root) {
  const dispose = boot(root);
  window.addEventListener('pagehide', dispose, { once: true });
}
