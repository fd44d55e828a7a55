// The lecture's "add smile" on a colour checkpoint, as a CelebA user would see it: a conv VAE trained
// by the engine on a folder of 32 × 32 RGB faces with a CelebA-style list_attr_celeba.txt, opened in
// headless Chromium. Picking the table's Smiling attribute and moving the slider decodes colour images
// that change with α, and the average view shows each Smiling group's mean image in colour.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { writeColourFaces, type ColourFaces } from '../support/colourFaces';
import { makeTempDir } from '../support/tempDir';
import { openEngineHost, type EngineHost } from './support/engineHost';
import { ExplorerHarness, canvasHash, canvasPixels, chooseOption, waitFor, type ExplorerPage } from './support/harness';
import { trainCheckpoints } from './support/lectureHost';

const COUNT = 240;
const SIDE = 32;

/** Pixels whose channels differ clearly (R, G and B not all equal within 30): colour, not grey. */
function colourful(data: number[]): number {
  let count = 0;
  for (let i = 0; i < data.length; i += 4) if (Math.max(data[i], data[i + 1], data[i + 2]) - Math.min(data[i], data[i + 1], data[i + 2]) > 30) count++;
  return count;
}

describe('attribute vectors on a colour checkpoint (conv VAE, CelebA-style table)', () => {
  const temp = makeTempDir('latent-celeba-');
  let faces: ColourFaces;
  let engine: EngineHost;
  let harness: ExplorerHarness;
  let explorer: ExplorerPage;

  before(async () => {
    faces = writeColourFaces(temp.dir, COUNT, { width: SIDE, height: SIDE, format: 'png' });
    const [checkpoint] = await trainCheckpoints([
      {
        out: join(temp.dir, 'run'),
        kind: 'vae',
        conv: true,
        latent: 8,
        beta: 0.5,
        epochs: 6,
        dataset: { source: faces.folder, imageSize: SIDE, channels: 3, attributes: faces.table },
      },
    ]);
    engine = await openEngineHost(checkpoint, COUNT);
    harness = await ExplorerHarness.start();
    explorer = await harness.open({ handlers: engine.handlers, theme: 'dark', title: engine.init.title });
  });

  after(async () => {
    await explorer?.close();
    await harness?.close();
    engine?.dispose();
    temp.remove();
  });

  const section = (page: Page, view: string) => page.locator(`[data-view="${view}"]`);
  const done = async (page: Page, view: string): Promise<void> => {
    await waitFor(async () => (await section(page, view).count()) === 1, 30_000, `the ${view} view`, async () => JSON.stringify(explorer.errors));
    await section(page, view).scrollIntoViewIfNeeded();
    await waitFor(async () => (await section(page, view).getAttribute('data-status')) === 'done', 60_000, view, async () => JSON.stringify(explorer.errors));
  };

  it('explores RGB images with the table’s columns as factors', () => {
    assert.deepEqual(engine.snapshot.sampleShape, [SIDE, SIDE, 3]);
    assert.deepEqual(
      engine.snapshot.factors.map((f) => f.name),
      ['Eyeglasses', 'Smiling'],
    );
  });

  it('picks Smiling, and the slider decodes colour images that change with α', async () => {
    const { page } = explorer;
    await done(page, 'attributes');
    const view = section(page, 'attributes');
    // Away to the other column and back: the vector follows the attribute picked.
    await chooseOption(page, 'attr-source', 'factor:Eyeglasses:1');
    const info = async () => `${await view.getAttribute('data-status')}: ${await view.locator('.lecture-info').innerText()} ${JSON.stringify(explorer.errors)}`;
    await waitFor(async () => (await view.getAttribute('data-status')) === 'done', 120_000, 'the Eyeglasses vector', info);
    const glassesNorm = await view.getAttribute('data-norm');
    await chooseOption(page, 'attr-source', 'factor:Smiling:1');
    await waitFor(async () => (await view.getAttribute('data-status')) === 'done' && (await view.getAttribute('data-norm')) !== glassesNorm, 120_000, 'the Smiling vector', info);
    assert.ok(Number(await view.getAttribute('data-norm')) > 0, 'a non-zero vector');
    const request = explorer.requests.filter((r) => r.method === 'explorer/attributeVector').at(-1)?.params as { with: unknown };
    assert.deepEqual(request.with, { kind: 'factor', factor: 'Smiling', value: 1 });

    const live = '[data-view="attributes"] canvas[data-row="live"]';
    await page.locator('[data-control="attr-alpha"]').focus();
    await page.keyboard.press('End');
    await waitFor(async () => (await page.locator(live).getAttribute('data-alpha')) === '3', 30_000, 'α = 3 drawn');
    const atThree = await canvasPixels(page, live);
    assert.equal(atThree.width, SIDE);
    assert.ok(colourful(atThree.data) > SIDE * SIDE * 0.05, `the edited image is in colour (${colourful(atThree.data)} coloured pixels)`);
    const hashAtThree = await canvasHash(page, live);
    await page.keyboard.press('Home');
    await waitFor(async () => (await page.locator(live).getAttribute('data-alpha')) === '-3', 30_000, 'α = −3 drawn');
    assert.notEqual(await canvasHash(page, live), hashAtThree, 'moving the slider changes the image');

    // The α strip: five colour images, all different.
    const preview = '[data-view="attributes"] canvas[data-row="preview"]';
    await waitFor(async () => (await page.locator(preview).count()) === 5, 30_000, 'the α strip');
    const hashes: string[] = [];
    for (const alpha of ['-2', '-1', '0', '1', '2']) {
      const selector = `[data-view="attributes"] canvas[data-row="preview"][data-alpha="${alpha}"]`;
      const drawn = await canvasPixels(page, selector);
      assert.ok(colourful(drawn.data) > drawn.width * drawn.height * 0.05, `α = ${alpha} is in colour (${colourful(drawn.data)} of ${drawn.width} × ${drawn.height} coloured)`);
      hashes.push(await canvasHash(page, selector));
    }
    assert.equal(new Set(hashes).size, 5, 'the strip changes along α');
  });

  it('shows the average of each Smiling group, and its decoded mean code, in colour', async () => {
    const { page } = explorer;
    await done(page, 'average');
    const view = section(page, 'average');
    const means: string[] = [];
    for (const [value, expected] of [
      ['1', faces.smiling.filter(Boolean).length],
      ['0', faces.smiling.filter((s) => !s).length],
    ] as const) {
      await chooseOption(page, 'average-source', `factor:Smiling:${value}`);
      await waitFor(async () => Number(await view.getAttribute('data-count')) === expected && (await view.getAttribute('data-status')) === 'done', 30_000, `Smiling = ${value}: ${expected} images`);
      for (const row of ['mean', 'decoded-mean']) {
        const drawn = await canvasPixels(page, `[data-view="average"] canvas[data-row="${row}"]`);
        assert.ok(colourful(drawn.data) > SIDE * SIDE * 0.05, `${row} of Smiling = ${value} is in colour (${colourful(drawn.data)})`);
      }
      means.push(await canvasHash(page, '[data-view="average"] canvas[data-row="mean"]'));
    }
    assert.notEqual(means[0], means[1], 'the smiling and the straight faces average differently');
    assert.deepEqual(explorer.violations, []);
  });
});
