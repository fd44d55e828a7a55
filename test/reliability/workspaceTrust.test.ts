// Workspace Trust, unit-level with a stand-in `vscode` module (the e2e suite runs the real thing):
// in Restricted Mode the extension says why and offers to manage trust, and neither opens a
// workspace file to train on nor loads a model from the workspace; trusted, it goes ahead.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, it } from 'node:test';
import { installFakeVscode } from './support/fakeVscode';

const vscode = installFakeVscode();
// Loaded after the stand-in is installed (require, not import: imports are hoisted above it).
const { requireTrust } = require('../../src/extension/workspaceTrust') as typeof import('../../src/extension/workspaceTrust');
const { promptTrainChoices } = require('../../src/extension/trainPrompts') as typeof import('../../src/extension/trainPrompts');

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

  it('guards every command that loads a model or reads workspace data with requireTrust', () => {
    // Each entry point, and the action it names: removing a guard fails here.
    const guarded: [string, RegExp][] = [
      ['explorerPanels.ts', /requireTrust\('Opening a checkpoint'\)[\s\S]*requireTrust\('Opening a checkpoint'\)/],
      ['importModelCommand.ts', /requireTrust\('Importing a model'\)/],
      ['exportCodesCommand.ts', /requireTrust\('Exporting codes'\)/],
      ['trainPrompts.ts', /requireTrust\('Training on workspace files'\)/],
    ];
    for (const [file, pattern] of guarded) {
      assert.match(readFileSync(join(__dirname, '..', '..', 'src', 'extension', file), 'utf8'), pattern, file);
    }
  });
});
