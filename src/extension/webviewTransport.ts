// A webview as the request channel's transport (src/shared/rpc.ts), for every panel: a message the page
// is not there to take (hidden, reloading) is dropped and logged, never thrown, so the channel's own
// timeouts decide what happens to the request.

import type * as vscode from 'vscode';
import type { RpcMessage, Transport } from '../shared/rpc';
import type { Log } from './log';

export function webviewTransport(webview: vscode.Webview, log: Log, page: string): Transport {
  return {
    send: (message: RpcMessage) => {
      webview.postMessage(message).then(
        (delivered) => delivered || log.info(`The ${page} not there: dropped ${message.kind}`),
        (error: unknown) => log.warn(`Posting to the ${page} failed: ${String(error)}`),
      );
    },
    onMessage: (listener) => {
      const subscription = webview.onDidReceiveMessage(listener);
      return () => subscription.dispose();
    },
  };
}
