// One RpcChannel per page load. A reloaded webview ("Developer: Reload Webviews") keeps its panel and
// its transport but numbers its requests from 1 again: on the old page's channel, a late answer to
// the old page's request 3 would resolve the new page's request 3, and state kept per channel (is the
// page ready, what waits for it) would carry over. So the page's `ready` request, the first it sends,
// starts a fresh channel when one was already said: the old channel is closed (its work aborted, its
// answers and notifications dropped) before the new page's ready reaches the new one.

import { isRpcMessage, type Transport } from './rpc';

export class PageChannels<C extends { close(): void }> {
  private current: C;
  private listeners = new Set<(message: unknown) => void>();
  private readySeen = false;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly transport: Transport,
    /** The request a page sends first when it loads. */
    private readonly readyMethod: string,
    /** Makes the channel of one page load over the transport it is given. */
    private readonly create: (transport: Transport) => C,
    /** Called after a fresh channel replaced the old one. */
    private readonly onRestart: (channel: C) => void = () => undefined,
  ) {
    this.current = this.open();
    this.unsubscribe = transport.onMessage((message) => this.route(message));
  }

  /** The current page's channel. */
  get channel(): C {
    return this.current;
  }

  /** Closes the current page's channel and starts a fresh one (also when the page is gone for good). */
  restart(): void {
    this.current.close();
    this.readySeen = false;
    this.current = this.open();
    this.onRestart(this.current);
  }

  close(): void {
    this.unsubscribe();
    this.listeners = new Set();
    this.current.close();
  }

  private open(): C {
    const listeners = new Set<(message: unknown) => void>();
    this.listeners = listeners;
    return this.create({
      // A replaced channel's messages would reach the new page: drop them.
      send: (message) => {
        if (this.listeners === listeners) this.transport.send(message);
      },
      onMessage: (listener) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    });
  }

  private route(message: unknown): void {
    if (isRpcMessage(message) && message.kind === 'request' && message.method === this.readyMethod) {
      if (this.readySeen) this.restart();
      this.readySeen = true;
    }
    for (const listener of [...this.listeners]) listener(message);
  }
}
