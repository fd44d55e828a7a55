// The first map while the samples arrive, and the hover index off the page's thread, in headless
// Chromium against a synthetic checkpoint cut into several chunks:
// - the host holds chunks back: with the positions in the header (what fits in one chunk) the page
//   draws every sample's place before any chunk, and a progress bar for the rest; with positions in
//   each chunk (sessions too big for that) it draws the samples received so far after each chunk,
//   before the last one; either way it ends exactly as a page that got every chunk at once (the same
//   pixels);
// - each map's hover index comes from a Web Worker (under the page's real CSP), and hover and lasso
//   answer as brute force over the same layout;
// - with no Worker in the page the index is built on the page instead, it says so on the console,
//   and hover and lasso still answer as brute force.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { snapshotChunk, snapshotHeader } from '../../src/shared/snapshotChunks';
import { fitLayout } from '../../src/webview/render/points';
import { ExplorerHarness, canvasHash, waitFor, type ExplorerPage } from './support/harness';
import { PCA, hoverAsBruteForce, lassoAsBruteForce, mapGeometry } from './support/mapBruteForce';
import { mapErrors } from './support/mapErrors';
import { bothMapsDrawn } from './support/mapGestures';
import { SyntheticCheckpoint, syntheticHost } from './support/synthetic';

const COUNT = 40_000;
const PREVIEW = 'canvas[data-view="preview"]';
const SPOTS = [
  [0.5, 0.5], [0.45, 0.52], [0.3, 0.4], [0.62, 0.35], [0.7, 0.7], [0.2, 0.8], [0.52, 0.48], [0.02, 0.02], [0.98, 0.5], [0.4, 0.6],
];

interface PreviewProbe {
  points: number;
  visible: number;
  status: string;
  progress: number;
  maps: number;
  message: string;
}

function probePreview(page: Page): Promise<PreviewProbe | undefined> {
  return page.evaluate((selector) => {
    const canvas = document.querySelector<HTMLCanvasElement>(selector);
    if (!canvas) return undefined;
    const bar = canvas.closest('section')?.querySelector('[role="progressbar"]');
    return {
      points: Number(canvas.dataset.points),
      visible: Number(canvas.dataset.visible),
      status: canvas.dataset.status ?? '',
      progress: Number(bar?.getAttribute('aria-valuenow') ?? -1),
      maps: document.querySelectorAll('canvas[data-view="scatter"]').length,
      message: document.querySelector('.boot-message')?.textContent ?? '',
    };
  }, PREVIEW);
}

/** Pixels with something drawn on a canvas (counted in the page: the pixels themselves are megabytes). */
function painted(page: Page, selector: string): Promise<number> {
  return page.evaluate((s) => {
    const canvas = document.querySelector<HTMLCanvasElement>(s);
    const context = canvas?.getContext('2d');
    if (!canvas || !context) throw new Error(`no canvas ${s}`);
    const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
    let n = 0;
    for (let p = 3; p < data.length; p += 4) if (data[p] !== 0) n++;
    return n;
  }, selector);
}

/** Both maps drawn whole, the PCA map's index built (by `source`), and its hover and lasso as brute force. */
async function checkIndex(explorer: ExplorerPage, checkpoint: SyntheticCheckpoint, source: 'worker' | 'page'): Promise<void> {
  const { page } = explorer;
  await bothMapsDrawn(page, COUNT);
  for (const method of ['pca', 'umap']) {
    const map = page.locator(`canvas[data-view="scatter"][data-method="${method}"]`);
    await waitFor(async () => (await map.getAttribute('data-index')) === source, 30_000, `the ${method} index built by the ${source}`, async () => String(await map.getAttribute('data-index')));
  }
  const geometry = await mapGeometry(page);
  assert.deepEqual(geometry.transform, [1, 0, 0], 'the fitted view');
  const base = fitLayout(checkpoint.snapshot.pca.points, COUNT, geometry.width, geometry.height, 16);
  const hits = await hoverAsBruteForce(page, base, SPOTS);
  assert.ok(hits >= 3 && hits < SPOTS.length, `hovers on points and on empty space (${hits} hits)`);
  await lassoAsBruteForce(explorer, base, geometry);
}

describe('the map while samples arrive, and its hover index (synthetic checkpoint)', () => {
  let harness: ExplorerHarness;
  // Three classes, 16-D codes: several chunks of about 12,000 samples.
  const checkpoint = new SyntheticCheckpoint({ count: COUNT, latent: 16, side: 4, classes: 3, umapEpochs: 2, layoutDelayMs: 20 });
  /** Samples per chunk, with or without their positions. */
  const rows = (positions: boolean): number => snapshotChunk(checkpoint.snapshot, 0, positions).count;
  /** The final PCA map of the pages that got their chunks held back. */
  let heldBackHash = '';

  before(async () => {
    harness = await ExplorerHarness.start();
  });
  after(async () => {
    await harness?.close();
  });

  /** Chunk k is answered once `allowed` > k; `positions` says whether chunks carry them (else the header does). */
  function heldBackHost(positions: boolean) {
    let allowed = 0;
    let waiting: (() => void)[] = [];
    const allow = (n: number): void => {
      allowed = n;
      for (const resume of waiting.splice(0)) resume();
    };
    const host = syntheticHost(checkpoint, {
      'explorer/ready': () => ({ ...checkpoint.init(), snapshot: snapshotHeader(checkpoint.snapshot, !positions) }),
      'explorer/chunk': async ({ offset }) => {
        while (offset / rows(positions) >= allowed) await new Promise<void>((resume) => waiting.push(resume));
        return snapshotChunk(checkpoint.snapshot, offset, positions);
      },
    });
    const release = (): void => {
      allow(Infinity);
      waiting = [];
    };
    return { host, allow, release };
  }

  /** The held-back page ends as every page does: both maps whole, no stand-in, the same PCA pixels. */
  async function finish(explorer: ExplorerPage, allow: (n: number) => void): Promise<void> {
    allow(Infinity);
    await bothMapsDrawn(explorer.page, COUNT);
    assert.equal(await explorer.page.locator(PREVIEW).count(), 0, 'the stand-in map is gone');
    const hash = await canvasHash(explorer.page, PCA);
    assert.notEqual(hash, '');
    if (heldBackHash) assert.equal(hash, heldBackHash, 'either path ends in the same PCA map');
    heldBackHash = hash;
    assert.deepEqual(mapErrors(explorer), []);
    assert.deepEqual(explorer.violations, []);
  }

  it('with the positions in the header, draws every sample before the first chunk arrives', async () => {
    assert.ok(snapshotHeader(checkpoint.snapshot).pcaPoints, '40,000 positions fit ahead');
    const { host, allow, release } = heldBackHost(false);
    const explorer = await harness.open({ handlers: host.handlers });
    const { page } = explorer;
    try {
      const first = await waitFor(async () => ((await probePreview(page))?.points === COUNT ? probePreview(page) : undefined), 30_000, 'the whole map drawn', async () => JSON.stringify(await probePreview(page)));
      assert.ok(first);
      assert.equal(first.status, 'partial');
      assert.equal(first.visible, COUNT, 'every sample in the fitted view');
      assert.equal(first.progress, 0, 'nothing but positions has arrived');
      assert.equal(first.maps, 0, 'the page is not built yet');
      assert.match(first.message, /Receiving 40,000 samples… 0%/);
      assert.ok((await painted(page, PREVIEW)) > 1000, 'the points are drawn');
      const asked = explorer.requests.filter((r) => r.method === 'explorer/chunk').map((r) => (r.params as { offset: number }).offset);
      assert.deepEqual(asked, [0], 'drawn while the first chunk is still held back');

      allow(2);
      const later = await waitFor(async () => ((await probePreview(page))?.progress === Math.round((200 * rows(false)) / COUNT) ? probePreview(page) : undefined), 30_000, 'the progress after two chunks');
      assert.equal(later?.points, COUNT, 'the map stays whole');
      await finish(explorer, allow);
    } finally {
      release();
      await explorer.close();
    }
  });

  it('with the positions in each chunk, draws the samples received so far after each chunk, before the last one', async () => {
    const perChunk = rows(true);
    assert.ok(3 * perChunk < COUNT, `at least four chunks (${perChunk} samples each)`);
    const { host, allow, release } = heldBackHost(true);
    allow(1);
    const explorer = await harness.open({ handlers: host.handlers });
    const { page } = explorer;
    try {
      const first = await waitFor(async () => ((await probePreview(page))?.points === perChunk ? probePreview(page) : undefined), 30_000, 'the first chunk drawn', async () => JSON.stringify(await probePreview(page)));
      assert.ok(first);
      assert.equal(first.status, 'partial');
      assert.equal(first.visible, perChunk, 'every received sample in the fitted view');
      assert.equal(first.progress, Math.round((100 * perChunk) / COUNT));
      assert.equal(first.maps, 0, 'the page is not built yet');
      assert.match(first.message, /Receiving 40,000 samples… \d+%/);
      const firstPixels = await painted(page, PREVIEW);
      assert.ok(firstPixels > 100, `the received points are drawn (${firstPixels} pixels)`);

      allow(2);
      const second = await waitFor(async () => ((await probePreview(page))?.points === 2 * perChunk ? probePreview(page) : undefined), 30_000, 'the second chunk drawn');
      assert.ok(second);
      assert.equal(second.progress, Math.round((200 * perChunk) / COUNT));
      const secondPixels = await painted(page, PREVIEW);
      assert.ok(secondPixels > firstPixels, `more points drawn (${firstPixels} → ${secondPixels} pixels)`);
      const asked = explorer.requests.filter((r) => r.method === 'explorer/chunk').map((r) => (r.params as { offset: number }).offset);
      assert.deepEqual(asked, [0, perChunk, 2 * perChunk], 'drawn while the third chunk is still held back');
      await finish(explorer, allow);
    } finally {
      release();
      await explorer.close();
    }
  });

  it('ends as a page that got every chunk at once; its hover index comes from a worker and answers as brute force', async () => {
    const explorer = await harness.open({ handlers: syntheticHost(checkpoint).handlers });
    try {
      await bothMapsDrawn(explorer.page, COUNT);
      assert.ok(heldBackHash !== '', 'the held-back page was drawn');
      assert.equal(await canvasHash(explorer.page, PCA), heldBackHash, 'the same PCA map');
      await checkIndex(explorer, checkpoint, 'worker');
      assert.deepEqual(mapErrors(explorer), []);
      assert.deepEqual(explorer.violations, [], 'the blob worker is allowed by the CSP');
    } finally {
      await explorer.close();
    }
  });

  it('with no Worker, builds the hover index on the page, says so, and still answers as brute force', async () => {
    const explorer = await harness.open({ handlers: syntheticHost(checkpoint).handlers, initScript: 'delete window.Worker;' });
    try {
      await checkIndex(explorer, checkpoint, 'page');
      assert.ok(
        explorer.warnings.some((w) => /builds its hover index on the page \(no worker/.test(w)),
        `a console line says why: ${JSON.stringify(explorer.warnings)}`,
      );
      assert.deepEqual(mapErrors(explorer), []);
    } finally {
      await explorer.close();
    }
  });
});
