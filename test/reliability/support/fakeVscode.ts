// A stand-in for the `vscode` module, enough to unit-test trust decisions without VS Code: the
// extension's modules `require('vscode')` and get this object, whose answers the test sets and
// whose calls it records. Installed before the modules under test are loaded.

import Module from 'node:module';

export interface FakeVscode {
  workspace: { isTrusted: boolean };
  window: {
    showWarningMessage: (message: string, ...items: string[]) => Promise<string | undefined>;
    showQuickPick: (items: readonly { label: string }[], options?: unknown) => Promise<unknown>;
    showOpenDialog: (options: unknown) => Promise<unknown>;
  };
  commands: { executeCommand: (command: string, ...args: unknown[]) => Promise<unknown> };
  /** Every call made through the fake, in order: [api, first argument]. */
  calls: [string, unknown][];
}

export function installFakeVscode(): FakeVscode {
  const calls: [string, unknown][] = [];
  const fake: FakeVscode = {
    workspace: { isTrusted: true },
    window: {
      showWarningMessage: async (message) => (calls.push(['window.showWarningMessage', message]), undefined),
      showQuickPick: async (items) => (calls.push(['window.showQuickPick', items]), undefined),
      showOpenDialog: async (options) => (calls.push(['window.showOpenDialog', options]), undefined),
    },
    commands: { executeCommand: async (command) => (calls.push(['commands.executeCommand', command]), undefined) },
    calls,
  };
  const resolve = (Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string })._resolveFilename;
  (Module as unknown as { _resolveFilename: typeof resolve })._resolveFilename = function (request: string, ...rest: unknown[]) {
    return request === 'vscode' ? 'vscode' : resolve.call(this, request, ...rest);
  };
  const cache = (Module as unknown as { _cache: Record<string, unknown> })._cache;
  cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: fake };
  return fake;
}
