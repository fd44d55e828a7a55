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

type Item = { label: string; description?: string; detail?: string };

describe('attribute table prompt', () => {
  const temp = makeTempDir();
  after(() => temp.remove());
  let offered: Item[] = [];
  /** CelebA's layout: the images' folder, list_attr_celeba.txt beside it, and an unrelated CSV. */
  const celeba = join(temp.dir, 'celeba');
  const images = join(celeba, 'img_align_celeba');
  mkdirSync(images, { recursive: true });
  writeFileSync(join(images, '000001.jpg'), '');
  writeFileSync(join(celeba, 'list_attr_celeba.txt'), '1\nSmiling Eyeglasses\n000001.jpg -1 1\n');
  writeFileSync(join(celeba, 'faces.tsv'), 'Image\tAge\tHair\n000001.jpg\t31\tbrown\n');
  // Not tables of images: no file-name column, or not a table at all.
  writeFileSync(join(celeba, 'notes.csv'), 'date,comment\n2026-01-01,hello\n');
  writeFileSync(join(celeba, 'README.txt'), 'CelebA, aligned and cropped\n');
  writeFileSync(join(celeba, 'empty.csv'), '');
  const ownKey = join(celeba, 'own-key.csv');
  writeFileSync(ownKey, 'photo,Smiling\n000001.jpg,1\n');
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
    assert.deepEqual(await askAttributeTable(FakeUri.file(images) as never), { attributes: join(celeba, 'list_attr_celeba.txt') });
    assert.deepEqual(
      offered.map((item) => [item.label, item.description]),
      [
        ['list_attr_celeba.txt', 'next to the folder'],
        ['faces.tsv', 'next to the folder'],
        ['No attribute table', undefined],
        ['$(folder-opened) Another file…', undefined],
      ],
      'only files that read as tables of images, attribute lists first',
    );
    assert.match(offered[1].detail ?? '', /2 columns, file names in "Image"/);
  });

  it('another file: asks which column names the images when none is called so', async () => {
    vscode.window.showOpenDialog = async () => [FakeUri.file(ownKey)];
    let asked: unknown[] = [];
    vscode.window.showQuickPick = async (items) => {
      const list = items as unknown[];
      if (list.some((item) => typeof item === 'string')) return ((asked = list), 'photo');
      return (list as Item[]).find((item) => /Another file/.test(item.label));
    };
    assert.deepEqual(await askAttributeTable(FakeUri.file(images) as never), { attributes: ownKey, attributesKey: 'photo' });
    assert.deepEqual(asked, ['photo', 'Smiling']);
    vscode.window.showOpenDialog = async () => [FakeUri.file(join(celeba, 'faces.tsv'))];
    asked = [];
    assert.deepEqual(await askAttributeTable(FakeUri.file(images) as never), { attributes: join(celeba, 'faces.tsv') });
    assert.deepEqual(asked, [], 'a known file-name column needs no question');
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
    // Enter through the image prompts: greyscale at the default 28 pixels, stretched.
    assert.deepEqual(choices?.dataset, { source: images, imageSize: 28, attributes: join(celeba, 'list_attr_celeba.txt') });
  });
});
