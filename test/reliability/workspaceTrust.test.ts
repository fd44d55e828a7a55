// Workspace Trust, unit-level with a stand-in `vscode` module (the e2e suite runs the real thing):
// in Restricted Mode the extension says why and offers to manage trust, and neither opens a
// workspace file to train on nor loads a model from the workspace; trusted, it goes ahead.

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { beforeEach, describe, it } from 'node:test';
import { installFakeVscode } from './support/fakeVscode';

const vscode = installFakeVscode();
// Loaded after the stand-in is installed (require, not import: imports are hoisted above it).
const { requireTrust } = require('../../src/extension/workspaceTrust') as typeof import('../../src/extension/workspaceTrust');
const { promptTrainChoices } = require('../../src/extension/trainPrompts') as typeof import('../../src/extension/trainPrompts');
const { ExplorerPanels } = require('../../src/extension/explorerPanels') as typeof import('../../src/extension/explorerPanels');
const { importModel } = require('../../src/extension/importModelCommand') as typeof import('../../src/extension/importModelCommand');
const { exportCodes } = require('../../src/extension/exportCodesCommand') as typeof import('../../src/extension/exportCodesCommand');

const folder = { uri: { fsPath: '/workspace' }, name: 'workspace', index: 0 } as never;

describe('Workspace Trust', () => {
  beforeEach(() => {
    vscode.calls.length = 0;
    vscode.window.showWarningMessage = async (message) => (vscode.calls.push(['window.showWarningMessage', message]), undefined);
  });

  it('trusted: goes ahead without asking', async () => {
    vscode.workspace.isTrusted = true;
    assert.equal(await requireTrust('Opening a checkpoint'), true);
    assert.deepEqual(vscode.calls, []);
  });

  it('untrusted: refuses, says why, and opens the trust editor when asked', async () => {
    vscode.workspace.isTrusted = false;
    assert.equal(await requireTrust('Opening a checkpoint'), false);
    assert.equal(vscode.calls.length, 1);
    assert.match(String(vscode.calls[0][1]), /^Opening a checkpoint needs a trusted workspace: .*Restricted Mode/);

    vscode.window.showWarningMessage = async (message, ...items) => (vscode.calls.push(['window.showWarningMessage', message]), items[0]);
    assert.equal(await requireTrust('Training on workspace files'), false, 'managing trust is not granting it');
    assert.deepEqual(vscode.calls.at(-1), ['commands.executeCommand', 'workbench.trust.manage']);
  });

  it('untrusted: choosing a workspace file to train on stops before any file dialog', async () => {
    vscode.workspace.isTrusted = false;
    let offered: { label: string; description?: string }[] = [];
    vscode.window.showQuickPick = async (items) => {
      offered = items as typeof offered;
      return items.find((item) => /Folder or file from the workspace/.test(item.label));
    };
    assert.equal(await promptTrainChoices(folder, '/workspace/latent-runs'), undefined);
    assert.equal(offered.find((item) => /workspace/.test(item.label))?.description, 'needs a trusted workspace');
    assert.ok(vscode.calls.some(([api, message]) => api === 'window.showWarningMessage' && /^Training on workspace files needs a trusted workspace/.test(String(message))));
    assert.ok(!vscode.calls.some(([api]) => api === 'window.showOpenDialog'), 'no file was offered for opening');
  });

  it('trusted: the same choice goes on to the file dialog', async () => {
    vscode.workspace.isTrusted = true;
    vscode.window.showQuickPick = async (items) => items.find((item) => /Folder or file from the workspace/.test(item.label));
    assert.equal(await promptTrainChoices(folder, '/workspace/latent-runs'), undefined); // the dialog was cancelled
    assert.ok(vscode.calls.some(([api]) => api === 'window.showOpenDialog'));
  });

  it('untrusted: every command that loads a model or reads workspace data stops before doing so', async () => {
    vscode.workspace.isTrusted = false;
    const root = mkdtempSync(join(tmpdir(), 'latent-explorer-trust-'));
    vscode.root = root;
    try {
      const checkpoint = completeCheckpoint(root);
      const touched: string[] = [];
      // Any use of the engine (inspecting a model, exporting, opening a session) is a failure here.
      const engine = new Proxy({}, { get: (_target, key) => (touched.push(`engine.${String(key)}`), undefined) }) as never;
      const log = { info: () => undefined, warn: () => undefined, error: () => undefined } as never;
      const context = { extensionUri: vscode.Uri.file(root), workspaceState: { get: (_k: string, d: unknown) => d, update: async () => undefined } } as never;
      const panels = new ExplorerPanels(context, engine, { allRuns: async () => [] } as never, log);
      const webviewPanel = new Proxy({}, { get: (_target, key) => (touched.push(`panel.${String(key)}`), undefined) }) as never;
      const model = vscode.Uri.file(join(root, 'model.json'));
      writeFileSync(model.fsPath, '{}');

      const entryPoints: [string, () => Promise<unknown>, RegExp][] = [
        ['Open Explorer', () => panels.open(vscode.Uri.file(checkpoint) as never), /^Opening a checkpoint needs a trusted workspace/],
        ['Open With… Latent Explorer', () => panels.openInPanel(webviewPanel, vscode.Uri.file(checkpoint) as never), /^Opening a checkpoint needs a trusted workspace/],
        ['Import Model', () => importModel(model as never, engine, log, { refreshRuns: () => touched.push('refreshRuns'), openExplorer: async () => void touched.push('openExplorer') }), /^Importing a model needs a trusted workspace/],
        ['Export Codes', () => exportCodes(vscode.Uri.file(checkpoint) as never, engine, { allRuns: async () => [] } as never, log), /^Exporting codes needs a trusted workspace/],
      ];
      for (const [name, run, warning] of entryPoints) {
        vscode.calls.length = 0;
        const result = await run();
        assert.notEqual(result, true, `${name} reports that it opened nothing`);
        assert.deepEqual(touched, [], `${name} used nothing: ${touched.join(', ')}`);
        assert.equal(vscode.calls.filter(([api]) => api === 'window.showWarningMessage').length, 1, `${name} said why once`);
        assert.match(String(vscode.calls.find(([api]) => api === 'window.showWarningMessage')?.[1]), warning, name);
        const forbidden = ['window.createWebviewPanel', 'window.showOpenDialog', 'window.showSaveDialog', 'window.showQuickPick', 'window.withProgress'];
        assert.deepEqual(vscode.calls.filter(([api]) => forbidden.includes(api)), [], `${name} went no further`);
      }
      panels.dispose();

      // The same Open Explorer, trusted, does go on to create the panel: the check above can fail.
      vscode.workspace.isTrusted = true;
      vscode.calls.length = 0;
      await assert.rejects(new ExplorerPanels(context, engine, { allRuns: async () => [] } as never, log).open(vscode.Uri.file(checkpoint) as never), /the fake has no webview panels/);
      assert.ok(vscode.calls.some(([api]) => api === 'window.createWebviewPanel'));
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

/** A checkpoint folder the run index takes as complete: every listed file has its recorded size. */
function completeCheckpoint(root: string): string {
  const dir = join(root, 'run', 'checkpoints', 'epoch-0001');
  const files: Record<string, { bytes: number; sha256: string }> = {};
  for (const name of ['encoder/model.json', 'encoder/weights.bin', 'decoder/model.json', 'decoder/weights.bin']) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), '{}');
    files[name] = { bytes: 2, sha256: '0'.repeat(64) };
  }
  const model = { kind: 'dense', architecture: 'dense', inputShape: [4], latent: 2, hidden: [], filters: [] };
  const dataset = { name: 'shapes', sampleShape: [4], spec: { source: 'shapes' }, factors: [], count: 1 };
  const metrics = { epoch: 1, loss: 1, valLoss: null, reconstructionMse: 1, samplesPerSecond: 1, seconds: 1 };
  writeFileSync(
    join(dir, 'checkpoint.json'),
    JSON.stringify({ format: 'latent-explorer-checkpoint', version: 1, epoch: 1, createdAt: '2026-01-01T00:00:00Z', backend: 'cpu', model, dataset, metrics, files }),
  );
  return dir;
}
