// The palette's attribute-table question, with the stand-in `vscode` module over real files: a table
// in the chosen image folder or beside it is offered first (Enter accepts it), and the training
// prompts put it in the dataset spec; without a table nearby nothing is asked.

import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, beforeEach, describe, it } from 'node:test';
import { installFakeVscode, FakeUri } from '../reliability/support/fakeVscode';
import { makeTempDir } from '../support/tempDir';

const vscode = installFakeVscode();
// Loaded after the stand-in is installed (require, not import: imports are hoisted above it).
const { askAttributeTable } = require('../../src/extension/attributePrompt') as typeof import('../../src/extension/attributePrompt');
const { promptTrainChoices } = require('../../src/extension/trainPrompts') as typeof import('../../src/extension/trainPrompts');

type Item = { label: string; description?: string; path?: string | null };

describe('attribute table prompt', () => {
  const temp = makeTempDir();
  after(() => temp.remove());
  let offered: Item[] = [];
  /** CelebA's layout: the images' folder, list_attr_celeba.txt beside it, and an unrelated CSV. */
  const celeba = join(temp.dir, 'celeba');
  const images = join(celeba, 'img_align_celeba');
  mkdirSync(images, { recursive: true });
  writeFileSync(join(images, '000001.jpg'), '');
  writeFileSync(join(celeba, 'list_attr_celeba.txt'), '');
  writeFileSync(join(celeba, 'notes.csv'), '');
  writeFileSync(join(celeba, 'README.txt'), '');
  const plain = join(temp.dir, 'plain', 'pictures');
  mkdirSync(plain, { recursive: true });

  beforeEach(() => {
    vscode.calls.length = 0;
    offered = [];
    vscode.workspace.isTrusted = true;
  });
  const answer = (choose: (items: Item[]) => Item | undefined) => {
    vscode.window.showQuickPick = async (items) => {
      offered = items as Item[];
      vscode.calls.push(['window.showQuickPick', items]);
      return choose(offered);
    };
  };

  it('offers the table beside the folder first, and Enter takes it', async () => {
    answer((items) => items[0]);
    assert.equal(await askAttributeTable(FakeUri.file(images) as never), join(celeba, 'list_attr_celeba.txt'));
    assert.deepEqual(
      offered.map((item) => [item.label, item.description]),
      [
        ['list_attr_celeba.txt', 'next to the folder'],
        ['notes.csv', 'next to the folder'],
        ['No attribute table', undefined],
        ['$(folder-opened) Another file…', undefined],
      ],
    );
  });

  it('returns null for no table, undefined for Escape, and asks nothing without a table nearby', async () => {
    answer((items) => items.find((item) => item.label === 'No attribute table'));
    assert.equal(await askAttributeTable(FakeUri.file(images) as never), null);
    answer(() => undefined);
    assert.equal(await askAttributeTable(FakeUri.file(images) as never), undefined);
    vscode.calls.length = 0;
    assert.equal(await askAttributeTable(FakeUri.file(plain) as never), null);
    assert.deepEqual(vscode.calls, [], 'no question');
  });

  it('puts the chosen table into the dataset the palette trains on', async () => {
    vscode.window.showOpenDialog = async () => [FakeUri.file(images)];
    vscode.window.showInputBox = async (options: { value?: string }) => options.value;
    answer((items) => (items.some((item) => /Folder or file from the workspace/.test(item.label)) ? items.find((item) => /Folder or file/.test(item.label)) : items[0]));
    const choices = await promptTrainChoices({ uri: FakeUri.file(temp.dir), name: 'workspace', index: 0 } as never, 'latent-runs');
    assert.deepEqual(choices?.dataset, { source: images, attributes: join(celeba, 'list_attr_celeba.txt') });
  });
});
