// The palette's questions for an image folder, with a stand-in `vscode` module: colour, image size
// (64 by default for colour, 28 for grey) and stretch or centre crop end up in the dataset spec.

import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { installFakeVscode } from '../reliability/support/fakeVscode';
import { makeTempDir } from '../support/tempDir';

const vscode = installFakeVscode();
// Loaded after the stand-in is installed (require, not import: imports are hoisted above it).
const { promptTrainChoices } = require('../../src/extension/trainPrompts') as typeof import('../../src/extension/trainPrompts');

interface InputOptions {
  value?: string;
  prompt?: string;
}

/** Answers quick picks by label, in order (undefined: Enter, the first item), and input boxes with `typed` or their default. */
function answer(picks: Array<RegExp | undefined>, typed: Record<string, string> = {}): { prompts: InputOptions[] } {
  const prompts: InputOptions[] = [];
  vscode.window.showQuickPick = async (items) => {
    const wanted = picks.shift();
    return wanted ? items.find((item) => wanted.test(item.label)) : items[0];
  };
  vscode.window.showInputBox = async (options: InputOptions) => {
    prompts.push(options);
    const key = Object.keys(typed).find((k) => options.prompt?.includes(k));
    return key ? typed[key] : options.value;
  };
  return { prompts };
}

describe('Train Autoencoder prompts for an image folder', () => {
  const temp = makeTempDir();
  after(() => temp.remove());
  const folder = { uri: vscode.Uri.file(temp.dir), name: 'workspace', index: 0 } as never;
  vscode.window.showOpenDialog = async () => [vscode.Uri.file(temp.dir)];

  it('asks for colour, size and crop: colour defaults to 64 pixels, and centre crop goes into the spec', async () => {
    const { prompts } = answer([/Folder or file/, /^Colour$/, /Centre crop/, undefined]);
    const choices = await promptTrainChoices(folder, 'latent-runs');
    assert.deepEqual(choices?.dataset, { source: temp.dir, channels: 3, imageSize: 64, crop: true });
    assert.equal(prompts[0].value, '64');
    assert.match(prompts[0].prompt ?? '', /multiple of 4/);
  });

  it('Enter through them reads greyscale at 28 pixels, stretched; a typed size is kept', async () => {
    answer([/Folder or file/, undefined, undefined, undefined]);
    assert.deepEqual((await promptTrainChoices(folder, 'latent-runs'))?.dataset, { source: temp.dir, imageSize: 28 });
    answer([/Folder or file/, /^Colour$/, undefined, undefined], { 'Side of the square images': '48' });
    assert.deepEqual((await promptTrainChoices(folder, 'latent-runs'))?.dataset, { source: temp.dir, channels: 3, imageSize: 48 });
  });

  it('Escape at any image question cancels', async () => {
    for (const stop of [1, 2]) {
      let asked = 0;
      vscode.window.showQuickPick = async (items) => (asked++ === stop ? undefined : asked === 1 ? items.find((item) => /Folder or file/.test(item.label)) : items[0]);
      vscode.window.showInputBox = async (options: InputOptions) => options.value;
      assert.equal(await promptTrainChoices(folder, 'latent-runs'), undefined, `Escape at question ${stop + 1}`);
    }
  });
});
