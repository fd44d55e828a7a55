// The page's only door to the extension host. `acquireVsCodeApi()` is called here and nowhere else
// (VS Code allows one call per page); the rest of the webview talks through `getHost()`. The browser
// tests stand in for VS Code by defining `acquireVsCodeApi` before the page loads (test/webview/support).

import type { Transport } from '../shared/rpc';

/** The part of VS Code's webview API the page uses. */
export interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

export interface Host {
  /** Carries RpcChannel messages to the extension host and back. */
  readonly transport: Transport;
  /** The UI state saved with `setState` before this page was (re)loaded, if any. */
  getState(): unknown;
  setState(state: unknown): void;
}

let current: Host | undefined;

export function getHost(): Host {
  current ??= createVsCodeHost();
  return current;
}

function createVsCodeHost(): Host {
  if (typeof acquireVsCodeApi !== 'function') {
    throw new Error('acquireVsCodeApi is missing: this page must run inside a VS Code webview');
  }
  const api = acquireVsCodeApi();
  return {
    transport: {
      send: (message) => api.postMessage(message),
      onMessage: (listener) => {
        // The host's messages arrive as window `message` events; RpcChannel checks their shape.
        const onMessage = (event: MessageEvent): void => listener(event.data);
        window.addEventListener('message', onMessage);
        return () => window.removeEventListener('message', onMessage);
      },
    },
    getState: () => api.getState(),
    setState: (state) => api.setState(state),
  };
}
