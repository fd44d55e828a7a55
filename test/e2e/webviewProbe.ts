// Looking inside the explorer webview from Playwright. VS Code nests a webview twice: an outer
// iframe (class `webview`) hosts the inner `#active-frame`, which holds the page. What the page
// reports about itself is read from the data attributes its views set (src/webview), and the
// drawing is checked in pixels from a screenshot of each canvas.

import type { ElementHandle, Frame, Page } from 'playwright-core';
import { PNG } from 'pngjs';

export interface ExplorerProbe {
  umapPoints: number;
  pcaPoints: number;
  /** True when the UMAP layout has finished (its last epoch drawn). */
  umapDone: boolean;
  gridCells: number;
  /** Selectors of the canvases to check in pixels. */
  canvases: string[];
}

/** The explorer page's frame, once it has loaded. */
export async function explorerFrame(page: Page, timeoutMs: number): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const outer of await page.locator('iframe.webview').elementHandles()) {
      // A webview closing or loading while it is looked at (its frame navigates away) is not it yet.
      const frame = await explorerIn(outer).catch(() => undefined);
      if (frame) return frame;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`The explorer webview did not load within ${timeoutMs} ms`);
}

/** The page inside one webview's outer iframe, when it has drawn its views. */
async function explorerIn(outer: ElementHandle): Promise<Frame | undefined> {
  const outerFrame = await outer.contentFrame();
  const inner = await outerFrame?.$('iframe#active-frame');
  const frame = await inner?.contentFrame();
  return frame && (await frame.locator('[data-view]').count()) > 0 ? frame : undefined;
}

const SCATTER = (method: string): string => `canvas[data-view="scatter"][data-method="${method}"]`;
const GRID = '[data-view="grid"]';

/** What the page says it drew (its views keep these attributes current). */
export async function inspectExplorer(frame: Frame): Promise<ExplorerProbe> {
  const umap = SCATTER('umap');
  const pca = SCATTER('pca');
  // A string, not a function: tsx compiles functions with helpers (`__name`) the page does not have.
  const read = await frame.evaluate<{ umap: [string, string]; pca: [string, string]; cells: string }>(`(() => {
    const host = (selector) => document.querySelector(selector);
    const attrs = (el) => [el ? (el.dataset.points ?? '0') : '0', el ? (el.dataset.status ?? '') : ''];
    const grid = host(${JSON.stringify(GRID)});
    return { umap: attrs(host(${JSON.stringify(umap)})), pca: attrs(host(${JSON.stringify(pca)})), cells: grid ? (grid.dataset.cells ?? '0') : '0' };
  })()`);
  return {
    umapPoints: Number(read.umap[0]),
    pcaPoints: Number(read.pca[0]),
    umapDone: read.umap[1] === 'done',
    gridCells: Number(read.cells),
    canvases: [umap, pca, `${GRID} canvas`],
  };
}

/** Pixels of the first element matching `selector` that differ from its most common colour. */
export async function countDrawnPixels(frame: Frame, selector: string): Promise<number> {
  const image = PNG.sync.read(await frame.locator(selector).first().screenshot());
  const counts = new Map<number, number>();
  const { data } = image;
  for (let i = 0; i < data.length; i += 4) {
    const key = (data[i] << 16) | (data[i + 1] << 8) | data[i + 2];
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  let background = 0;
  for (const n of counts.values()) background = Math.max(background, n);
  return data.length / 4 - background;
}
