// A stand-in for the `vscode` module, enough to unit-test trust decisions and the run index without
// VS Code: the extension's modules `require('vscode')` and get this object, whose answers the test
// sets and whose calls it records. Files are real: `workspace.fs` reads the disk under `root`.
// Installed before the modules under test are loaded.

import { readdir, readFile, rm, stat } from 'node:fs/promises';
import Module from 'node:module';
import { join, relative, resolve, sep } from 'node:path';

export class FakeUri {
  readonly scheme = 'file';
  constructor(readonly fsPath: string) {}
  static file(path: string): FakeUri {
    return new FakeUri(resolve(path));
  }
  static joinPath(base: FakeUri, ...parts: string[]): FakeUri {
    return new FakeUri(resolve(base.fsPath, ...parts));
  }
  get path(): string {
    return this.fsPath.split(sep).join('/');
  }
  toString(): string {
    return `file://${this.path}`;
  }
}

const FileType = { Unknown: 0, File: 1, Directory: 2, SymbolicLink: 64 } as const;

function fileType(info: { isFile(): boolean; isDirectory(): boolean }): number {
  return info.isFile() ? FileType.File : info.isDirectory() ? FileType.Directory : FileType.Unknown;
}

const noop = { dispose: () => undefined };
const event = () => noop;

class EventEmitter<T> {
  private listeners: ((value: T) => void)[] = [];
  readonly event = (listener: (value: T) => void) => (this.listeners.push(listener), noop);
  fire(value: T): void {
    for (const listener of this.listeners) listener(value);
  }
  dispose(): void {
    this.listeners = [];
  }
}

class TreeItem {
  [key: string]: unknown;
  constructor(
    readonly label: string,
    readonly collapsibleState: number,
  ) {}
}

class MarkdownString {
  value = '';
  appendMarkdown(text: string): this {
    this.value += text;
    return this;
  }
}

async function findFilesNamed(root: string, name: string, max: number): Promise<FakeUri[]> {
  const found: FakeUri[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
      if (found.length >= max) return;
      if (entry.isDirectory() && entry.name !== 'node_modules') await walk(join(dir, entry.name));
      else if (entry.isFile() && entry.name === name) found.push(new FakeUri(join(dir, entry.name)));
    }
  };
  await walk(root);
  return found;
}

export interface FakeVscode {
  /** The workspace folder: `findFiles` searches it, `asRelativePath` is relative to it. */
  root: string;
  workspace: Record<string, any> & { isTrusted: boolean };
  window: {
    showWarningMessage: (message: string, ...items: any[]) => Promise<any>;
    showQuickPick: (items: readonly { label: string }[], options?: unknown) => Promise<unknown>;
    showOpenDialog: (options: unknown) => Promise<unknown>;
    [api: string]: (...args: any[]) => any;
  };
  commands: { executeCommand: (command: string, ...args: unknown[]) => Promise<unknown>; registerCommand: (...args: unknown[]) => typeof noop };
  /** Every call made through the fake, in order: [api, first argument]. */
  calls: [string, unknown][];
  Uri: typeof FakeUri;
}

export function installFakeVscode(): FakeVscode {
  const calls: [string, unknown][] = [];
  const record =
    (api: string, answer?: unknown) =>
    async (first: unknown): Promise<unknown> => (calls.push([api, first]), answer);
  const fake: FakeVscode & Record<string, unknown> = {
    root: process.cwd(),
    workspace: {
      isTrusted: true,
      fs: {
        readFile: async (uri: FakeUri) => new Uint8Array(await readFile(uri.fsPath)),
        stat: async (uri: FakeUri) => {
          const info = await stat(uri.fsPath);
          return { type: fileType(info), size: info.size, ctime: info.ctimeMs, mtime: info.mtimeMs };
        },
        readDirectory: async (uri: FakeUri) => (await readdir(uri.fsPath, { withFileTypes: true })).map((e) => [e.name, fileType(e)]),
        delete: async (uri: FakeUri) => rm(uri.fsPath, { recursive: true }),
      },
      findFiles: async (pattern: string, _exclude: unknown, max = 10_000) => findFilesNamed(fake.root, pattern.split('/').pop()!, max),
      asRelativePath: (uri: FakeUri | string) => relative(fake.root, typeof uri === 'string' ? uri : uri.fsPath).split(sep).join('/'),
      get workspaceFolders() {
        return [{ uri: FakeUri.file(fake.root), name: 'workspace', index: 0 }];
      },
      getWorkspaceFolder: () => ({ uri: FakeUri.file(fake.root), name: 'workspace', index: 0 }),
      getConfiguration: () => ({ get: <T>(_key: string, fallback?: T) => fallback, inspect: () => undefined }),
      createFileSystemWatcher: () => ({ onDidCreate: event, onDidChange: event, onDidDelete: event, dispose: () => undefined }),
      onDidChangeWorkspaceFolders: event,
      onDidChangeConfiguration: event,
      onDidGrantWorkspaceTrust: event,
    },
    window: {
      showWarningMessage: record('window.showWarningMessage'),
      showErrorMessage: record('window.showErrorMessage'),
      showInformationMessage: record('window.showInformationMessage'),
      showQuickPick: record('window.showQuickPick'),
      showOpenDialog: record('window.showOpenDialog'),
      showSaveDialog: record('window.showSaveDialog'),
      createWebviewPanel: (...args: unknown[]) => {
        calls.push(['window.createWebviewPanel', args[0]]);
        throw new Error('the fake has no webview panels');
      },
      registerWebviewPanelSerializer: () => noop,
      withProgress: record('window.withProgress'),
    },
    commands: { executeCommand: record('commands.executeCommand'), registerCommand: () => noop },
    calls,
    Uri: FakeUri,
    FileType,
    EventEmitter,
    TreeItem,
    MarkdownString,
    ThemeIcon: class {
      constructor(
        readonly id: string,
        readonly color?: unknown,
      ) {}
    },
    ThemeColor: class {
      constructor(readonly id: string) {}
    },
    RelativePattern: class {
      constructor(
        readonly base: unknown,
        readonly pattern: string,
      ) {}
    },
    TreeItemCollapsibleState: { None: 0, Collapsed: 1, Expanded: 2 },
    ViewColumn: { Active: -1, Beside: -2, One: 1 },
    ProgressLocation: { SourceControl: 1, Window: 10, Notification: 15 },
    UIKind: { Desktop: 1, Web: 2 },
    env: { remoteName: undefined, uiKind: 1 },
  };
  const resolveFilename = (Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string })._resolveFilename;
  (Module as unknown as { _resolveFilename: typeof resolveFilename })._resolveFilename = function (request: string, ...rest: unknown[]) {
    return request === 'vscode' ? 'vscode' : resolveFilename.call(this, request, ...rest);
  };
  const cache = (Module as unknown as { _cache: Record<string, unknown> })._cache;
  cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: fake };
  return fake;
}
