// The training timeline in headless Chromium against a REAL run: four epochs trained here with the
// CLI, a checkpoint each, opened in the engine process with the host's own seek handler. The page is
// opened at epoch 2, as a click on a training curve does: the slider lists the run's epochs and sits
// at 2; moving it (keyboard) changes both maps and the reconstruction row; play advances epoch by
// epoch to the last and stops, one seek at a time; a reload comes back at the epoch shown, and plays on
// when it was playing; the high-contrast theme draws it in the contrast colours.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ExplorerHarness, canvasHash, probeScatter, waitFor, type ExplorerPage } from './support/harness';
import { openTimelineHost, trainRun, type TimelineEngineHost, type TrainedRun } from './support/timelineHost';

const EPOCHS = 4;
const LIMIT = 300;
const SCREENSHOT = '/tmp/latent-explorer-timeline.png';

describe('explorer timeline (real run and engine)', () => {
  let run: TrainedRun;
  let host: TimelineEngineHost;
  let harness: ExplorerHarness;
  let explorer: ExplorerPage;

  before(async () => {
    run = trainRun(EPOCHS);
    host = await openTimelineHost(run, run.checkpoint(2), LIMIT);
    harness = await ExplorerHarness.start();
  });

  after(async () => {
    await explorer?.close();
    await harness?.close();
    host?.dispose();
    run?.remove();
  });

  /** The epoch the page draws, once its UMAP is final (the app's own checkpoint, not the slider's). */
  async function settledAt(epoch: number): Promise<void> {
    const { page } = explorer;
    await waitFor(
      async () =>
        (await page.locator('.explorer-app').getAttribute('data-checkpoint')) === run.checkpoint(epoch) &&
        (await probeScatter(page, 'umap')).status === 'done' &&
        (await page.locator('[data-view="reconstructions"]').getAttribute('data-status')) === 'done',
      3 * 60_000,
      `epoch ${epoch} drawn`,
      async () => JSON.stringify({ state: await page.locator('[data-view="timeline"]').getAttribute('data-state'), errors: explorer.errors }),
    );
  }

  it('lists the run’s epochs and sits at the epoch the explorer was opened on', async () => {
    explorer = await harness.open({ handlers: host.handlers, theme: 'dark', title: 'timeline' });
    const { page } = explorer;
    await settledAt(2);
    const timeline = page.locator('[data-view="timeline"]');
    assert.equal(await timeline.isVisible(), true);
    assert.equal(await timeline.getAttribute('data-epochs'), '1,2,3,4');
    assert.deepEqual(await timeline.locator('.timeline-ticks li').allInnerTexts(), ['1', '2', '3', '4']);
    const slider = page.locator('[data-control="timeline"]');
    assert.equal(await slider.getAttribute('type'), 'range');
    assert.equal(await slider.getAttribute('max'), '3');
    assert.equal(await slider.inputValue(), '1');
    assert.equal(await slider.getAttribute('aria-valuetext'), 'epoch 2, 2 of 4');
    assert.match(await timeline.locator('.timeline-readout').innerText(), /^epoch 2 \(2 of 4\) · loss /);
    assert.match(await page.locator('[data-view="pca"] .scatter-subtitle').innerText(), /aligned to epoch 4 \(Procrustes/);
    await page.screenshot({ path: SCREENSHOT });
    assert.deepEqual(explorer.errors, []);
  });

  it('moves to another epoch from the keyboard: both maps and the reconstruction row change, focus stays', async () => {
    const { page } = explorer;
    const before = {
      pca: await canvasHash(page, 'canvas[data-method="pca"]'),
      umap: await canvasHash(page, 'canvas[data-method="umap"]'),
      recon: await canvasHash(page, '[data-view="reconstructions"] .recon-row:nth-child(2) > :nth-child(3) canvas'),
    };
    const pcaBefore = host.snapshot.pca.points;
    const slider = page.locator('[data-control="timeline"]');
    await slider.focus();
    await page.keyboard.press('ArrowRight');
    await settledAt(3);
    assert.deepEqual(host.seeks, [run.checkpoint(3)]);
    assert.equal(await slider.inputValue(), '2');
    assert.equal(await page.locator('[data-view="timeline"]').getAttribute('data-epoch'), '3');
    assert.equal(await page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.control), 'timeline', 'the slider keeps focus');
    assert.notEqual(await canvasHash(page, 'canvas[data-method="pca"]'), before.pca, 'the PCA map moved');
    assert.notEqual(await canvasHash(page, 'canvas[data-method="umap"]'), before.umap, 'the UMAP map moved');
    assert.notEqual(await canvasHash(page, '[data-view="reconstructions"] .recon-row:nth-child(2) > :nth-child(3) canvas'), before.recon, 'the reconstructions are epoch 3’s');
    // UMAP started from epoch 2's final layout (the neighbouring epoch already mapped).
    assert.equal(await page.locator('[data-view="umap"]').getAttribute('data-warm-start'), 'true');
    // The engine's maps of the two epochs are aligned: points moved, but less than the map's size.
    const after = host.snapshot.pca.points;
    let moved = 0;
    let size = 0;
    for (let i = 0; i < after.length; i++) {
      moved += (after[i] - pcaBefore[i]) ** 2;
      size += after[i] ** 2;
    }
    assert.ok(moved > 0 && moved < size, `moved ${moved.toFixed(2)} of ${size.toFixed(2)}`);
    assert.deepEqual(explorer.errors, []);
  });

  it('plays: Space on the slider goes from the first epoch to the last, one seek at a time, then stops', async () => {
    const { page } = explorer;
    const slider = page.locator('[data-control="timeline"]');
    await slider.focus();
    await page.keyboard.press('Home');
    await settledAt(1);
    const from = host.seeks.length;
    await page.keyboard.press(' ');
    assert.equal(await page.locator('[data-control="timeline-play"]').getAttribute('aria-pressed'), 'true');
    await settledAt(EPOCHS);
    const timeline = page.locator('[data-view="timeline"]');
    await waitFor(async () => (await timeline.getAttribute('data-state')) === 'idle', 30_000, 'play to stop at the last epoch');
    assert.equal(await page.locator('[data-control="timeline-play"]').getAttribute('aria-pressed'), 'false');
    assert.equal(await page.locator('[data-control="timeline-play"]').innerText(), 'Play');
    assert.deepEqual(host.seeks.slice(from), [run.checkpoint(2), run.checkpoint(3), run.checkpoint(4)], 'each epoch once, in order');
    assert.equal(await slider.inputValue(), String(EPOCHS - 1));
    assert.doesNotMatch(await page.locator('[data-view="pca"] .scatter-subtitle').innerText(), /aligned to/, 'the latest epoch is PCA’s own map');
    assert.deepEqual(explorer.errors, []);
  });

  it('comes back at the epoch shown after a reload', async () => {
    const { page } = explorer;
    assert.equal((explorer.savedState as { checkpoint?: string }).checkpoint, run.checkpoint(EPOCHS));
    await explorer.reload();
    await settledAt(EPOCHS);
    assert.equal(await page.locator('[data-control="timeline"]').inputValue(), String(EPOCHS - 1));
    assert.deepEqual(explorer.errors, []);
  });

  it('plays on after a reload while playing, then stops at the last epoch', async () => {
    const { page } = explorer;
    const slider = page.locator('[data-control="timeline"]');
    const play = page.locator('[data-control="timeline-play"]');
    const saved = (): boolean | undefined => (explorer.savedState as { timelinePlaying?: boolean }).timelinePlaying;
    await slider.focus();
    await page.keyboard.press('Home');
    await settledAt(1);
    await page.keyboard.press(' ');
    await waitFor(async () => saved() === true, 5000, 'playing saved');
    const from = host.seeks.length;
    await explorer.reload();
    await waitFor(async () => (await play.getAttribute('aria-pressed')) === 'true', 60_000, 'playing again after the reload');
    await settledAt(EPOCHS);
    await waitFor(async () => (await page.locator('[data-view="timeline"]').getAttribute('data-state')) === 'idle', 30_000, 'play to stop at the last epoch');
    assert.equal(await play.getAttribute('aria-pressed'), 'false');
    assert.equal(host.seeks.at(-1), run.checkpoint(EPOCHS));
    assert.ok(host.seeks.length > from, 'the reloaded page went on seeking');
    await waitFor(async () => saved() !== true, 5000, 'the stop saved');
    assert.deepEqual(explorer.errors, []);
  });

  it('follows the theme: a high-contrast page draws the timeline with the contrast colours', async () => {
    const contrast = await harness.open({ handlers: host.handlers, theme: 'high-contrast', title: 'timeline' });
    try {
      const { page } = contrast;
      await waitFor(async () => (await page.locator('[data-view="timeline"]').getAttribute('data-epochs')) === '1,2,3,4', 60_000, 'the timeline');
      const styles = await page.evaluate(() => {
        const timeline = document.querySelector<HTMLElement>('[data-view="timeline"]');
        const slider = document.querySelector<HTMLElement>('[data-control="timeline"]');
        return { border: timeline ? getComputedStyle(timeline).borderTopColor : '', accent: slider ? getComputedStyle(slider).accentColor : '' };
      });
      assert.equal(styles.border, 'rgb(111, 195, 223)', 'contrastBorder');
      assert.equal(styles.accent, 'rgb(243, 133, 24)', 'contrastActiveBorder');
      assert.deepEqual(contrast.errors, []);
    } finally {
      await contrast.close();
    }
  });
});
