// PNG and SVG of every view that is not a map (views/viewExport.ts): the decoder grid, the
// reconstructions, each lecture view and the checkpoint comparison, in headless Chromium at 2× device
// pixels over a synthetic checkpoint. For each: the view's PNG / SVG buttons send explorer/saveImage;
// the PNG decodes to the view's size at device resolution and its pixels where the view's canvases
// are ARE those canvases' pixels; the SVG parses and holds one <image> per canvas (per cell for the
// grid), the titles and values as <text>, and charts as real vector elements with resolved colours.
// Before the browser part, the pure SVG builder on its own.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { MAX_EXPORT_CHARS } from '../../src/shared/explorerLimits';
import { explorerValidators } from '../../src/shared/validation/explorerValidation';
import { pngScale, MAX_PNG_PIXELS } from '../../src/webview/views/scenePng';
import { sceneSvg, vectorDocument, type Scene } from '../../src/webview/views/viewScene';
import { ExplorerHarness, waitFor, type ExplorerHandlers, type ExplorerPage } from './support/harness';
import { SyntheticCheckpoint, syntheticHost } from './support/synthetic';

describe('the SVG of a scene (pure)', () => {
  const font = { family: '"Segoe UI", sans-serif', size: 13, weight: '600', style: 'normal' };
  const scene: Scene<string> = {
    title: 'run <1> & "epoch" 2',
    width: 300.4,
    height: 120,
    background: 'rgb(30, 30, 30)',
    items: [
      { kind: 'text', x: 4, y: 16.333, text: 'Decoder grid <z0 & z1>', font, fill: 'rgb(204, 204, 204)' },
      { kind: 'image', box: { x: 10, y: 20, width: 56, height: 56 }, source: 'A', crop: { x: 0, y: 0, width: 12, height: 12 }, pixelated: true },
      { kind: 'image', box: { x: 70, y: 20, width: 56, height: 56 }, source: 'B', crop: { x: 13, y: 0, width: 12, height: 12 }, pixelated: false },
      { kind: 'vector', box: { x: 130, y: 20, width: 160, height: 80 }, viewBox: '0 0 320 160', preserveAspectRatio: undefined, markup: '<path d="M0,0L10,10" stroke="rgb(1, 2, 3)"/>' },
    ],
  };
  const hrefs = { A: 'data:image/png;base64,AAAA', B: 'data:image/png;base64,BBBB' };
  const svg = sceneSvg(scene, (image) => hrefs[image.source as 'A' | 'B'], 'two images & one chart');

  it('writes the background, each image at its place with its pixels, text escaped, charts nested', () => {
    assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="300\.4" height="120" viewBox="0 0 300\.4 120">/);
    assert.match(svg, /<title>run &lt;1&gt; &amp; &quot;epoch&quot; 2<\/title>/);
    assert.match(svg, /<desc>two images &amp; one chart<\/desc>/);
    assert.match(svg, /<rect width="100%" height="100%" fill="rgb\(30, 30, 30\)"\/>/);
    const images = [...svg.matchAll(/<image ([^>]*)\/>/g)].map((m) => m[1]);
    assert.equal(images.length, 2);
    assert.match(images[0], /x="10" y="20" width="56" height="56"/);
    assert.match(images[0], /image-rendering="pixelated"/);
    assert.match(images[0], /href="data:image\/png;base64,AAAA"/);
    assert.doesNotMatch(images[1], /pixelated/, 'smoothed images stay smoothed');
    assert.match(images[1], /href="data:image\/png;base64,BBBB"/);
    assert.match(svg, /<text x="4" y="16\.33" font-family="&quot;Segoe UI&quot;, sans-serif" font-size="13" font-weight="600" fill="rgb\(204, 204, 204\)" xml:space="preserve">Decoder grid &lt;z0 &amp; z1&gt;<\/text>/);
    assert.match(svg, /<svg x="130" y="20" width="160" height="80" viewBox="0 0 320 160"><path d="M0,0L10,10" stroke="rgb\(1, 2, 3\)"\/><\/svg>/);
    assert.ok(svg.endsWith('</svg>'));
  });

  it('makes a chart a standalone document for the PNG', () => {
    const chart = scene.items[3];
    assert.equal(chart.kind, 'vector');
    if (chart.kind !== 'vector') return;
    assert.equal(vectorDocument(chart), '<svg xmlns="http://www.w3.org/2000/svg" width="160" height="80" viewBox="0 0 320 160"><path d="M0,0L10,10" stroke="rgb(1, 2, 3)"/></svg>');
  });

  it('paints at the device pixel ratio unless the image would pass the pixel budget', () => {
    assert.equal(pngScale(600, 800, 2), 2);
    assert.equal(pngScale(600, 800, 1), 1);
    const big = pngScale(3000, 4000, 2);
    assert.ok(big < 2 && 3000 * 4000 * big * big <= MAX_PNG_PIXELS * 1.0001, `scale ${big}`);
    // Even a PNG that does not compress at all (4 bytes a pixel, a filter byte a row, base64) passes the host.
    const worst = Math.ceil(((MAX_PNG_PIXELS * 4 + 100_000) * 4) / 3) + 'data:image/png;base64,'.length;
    assert.ok(worst < MAX_EXPORT_CHARS, `${worst} < ${MAX_EXPORT_CHARS}`);
  });
});

interface PngReport {
  width: number;
  height: number;
  expected: { width: number; height: number };
  colours: number;
  canvases: number;
  checked: number;
  mismatched: string[];
}

/** Decodes the PNG in the page and compares it with the section's canvases where they are drawn. */
function pngReport(page: Page, data: string, section: string): Promise<PngReport> {
  return page.evaluate(
    async ({ data, section }) => {
      const root = document.querySelector(section) as HTMLElement;
      const r = root.getBoundingClientRect();
      const dpr = window.devicePixelRatio;
      const image = new Image();
      image.src = data;
      await image.decode();
      const decoded = document.createElement('canvas');
      decoded.width = image.naturalWidth;
      decoded.height = image.naturalHeight;
      const context = decoded.getContext('2d') as CanvasRenderingContext2D;
      context.drawImage(image, 0, 0);
      const png = context.getImageData(0, 0, decoded.width, decoded.height).data;
      const colours = new Set<number>();
      for (let i = 0; i < png.length; i += 4 * 7) colours.add((png[i] << 16) | (png[i + 1] << 8) | png[i + 2]);
      const mismatched: string[] = [];
      let checked = 0;
      let canvases = 0;
      for (const canvas of Array.from(root.querySelectorAll('canvas'))) {
        const style = getComputedStyle(canvas);
        if (canvas.offsetParent === null || style.visibility === 'hidden' || canvas.width === 0) continue;
        const b = canvas.getBoundingClientRect();
        // Border and padding around the pixels (no named helpers in here: tsx would wrap them in __name).
        const [bl, pl, br, pr, bt, pt, bb, pb] = [style.borderLeftWidth, style.paddingLeft, style.borderRightWidth, style.paddingRight, style.borderTopWidth, style.paddingTop, style.borderBottomWidth, style.paddingBottom].map((v) => parseFloat(v) || 0);
        const left = b.left + bl + pl;
        const top = b.top + bt + pt;
        const width = b.width - bl - pl - br - pr;
        const height = b.height - bt - pt - bb - pb;
        if (width <= 0 || height <= 0) continue;
        canvases++;
        const own = (canvas.getContext('2d') as CanvasRenderingContext2D).getImageData(0, 0, canvas.width, canvas.height).data;
        for (let k = 0; k < 121; k++) {
          const cx = Math.floor((((k % 11) + 0.5) / 11) * canvas.width);
          const cy = Math.floor(((Math.floor(k / 11) + 0.5) / 11) * canvas.height);
          const i = (cy * canvas.width + cx) * 4;
          if (own[i + 3] !== 255) continue; // transparent: the page shows the background there
          const x = Math.floor((left - r.left + ((cx + 0.5) * width) / canvas.width) * dpr);
          const y = Math.floor((top - r.top + ((cy + 0.5) * height) / canvas.height) * dpr);
          const j = (y * decoded.width + x) * 4;
          checked++;
          const diff = Math.max(Math.abs(own[i] - png[j]), Math.abs(own[i + 1] - png[j + 1]), Math.abs(own[i + 2] - png[j + 2]));
          if (diff > 2) mismatched.push(`${canvas.className}[${cx},${cy}] ${own.slice(i, i + 3).join(',')} vs ${Array.from(png.slice(j, j + 3)).join(',')}`);
        }
      }
      return { width: decoded.width, height: decoded.height, expected: { width: Math.round(r.width * dpr), height: Math.round(r.height * dpr) }, colours: colours.size, canvases, checked, mismatched };
    },
    { data, section },
  );
}

interface SvgReport {
  parseErrors: number;
  rootName: string;
  images: { width: number; height: number; href: string }[];
  texts: string[];
  charts: { paths: string[]; circles: number; rects: number; texts: string[]; fills: string[] }[];
  visibleCanvases: number;
}

/** Parses the SVG in the page (DOMParser) and lists what it holds. */
function svgReport(page: Page, svg: string, section: string): Promise<SvgReport> {
  return page.evaluate(
    ({ svg, section }) => {
      const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
      const root = doc.documentElement;
      const children = Array.from(root.children);
      const charts = children.filter((c) => c.localName === 'svg');
      const visibleCanvases = Array.from(document.querySelectorAll(`${section} canvas`)).filter((c) => (c as HTMLElement).offsetParent !== null && (c as HTMLCanvasElement).getBoundingClientRect().width > 0).length;
      return {
        parseErrors: doc.getElementsByTagName('parsererror').length,
        rootName: root.localName,
        images: children.filter((c) => c.localName === 'image').map((c) => ({ width: Number(c.getAttribute('width')), height: Number(c.getAttribute('height')), href: c.getAttribute('href') ?? '' })),
        texts: children.filter((c) => c.localName === 'text').map((c) => c.textContent ?? ''),
        charts: charts.map((chart) => ({
          paths: Array.from(chart.querySelectorAll('path'), (p) => p.getAttribute('d') ?? ''),
          circles: chart.querySelectorAll('circle').length,
          rects: chart.querySelectorAll('rect').length,
          texts: Array.from(chart.querySelectorAll('text'), (t) => t.textContent ?? ''),
          fills: Array.from(chart.querySelectorAll('[fill]'), (e) => e.getAttribute('fill') ?? ''),
        })),
        visibleCanvases,
      };
    },
    { svg, section },
  );
}

describe('PNG and SVG of every view (synthetic checkpoint, 2× device pixels)', () => {
  const checkpoint = new SyntheticCheckpoint({ count: 400, latent: 4, side: 28, classes: 4 });
  const saved: { format: 'png' | 'svg'; name: string; data: string }[] = [];
  const validate = explorerValidators(() => ({ count: checkpoint.snapshot.count }))['explorer/saveImage'];
  const size = checkpoint.sampleSize;
  let harness: ExplorerHarness;
  let explorer: ExplorerPage;

  before(async () => {
    const host = syntheticHost(checkpoint, {
      'explorer/saveImage': ({ format, name, data }) => {
        saved.push({ format, name, data });
        return { saved: true };
      },
      // A chart worth drawing: PCA's error for k = 1 … 8 and two autoencoders.
      'explorer/aeVsPca': ({ showCount }) => {
        const shown = Math.min(showCount, checkpoint.snapshot.count);
        const images = (shift: number): Float32Array => {
          const out = new Float32Array(shown * size);
          for (let i = 0; i < shown; i++) out.set(checkpoint.sample(i + shift), i * size);
          return out;
        };
        return {
          sampleShape: checkpoint.sampleShape,
          samples: checkpoint.snapshot.count,
          ks: [1, 2, 3, 4, 5, 6, 7, 8],
          pcaErrors: [0.08, 0.06, 0.05, 0.042, 0.036, 0.032, 0.029, 0.027],
          autoencoders: [
            { dir: '/tmp/a', runName: 'synthetic', kind: 'dense', latent: 4, reconstructionMse: 0.02, error: 0.02, current: true, stillImproving: false },
            { dir: '/tmp/b', runName: 'wide', kind: 'dense', latent: 8, reconstructionMse: 0.015, error: 0.015, current: false, stillImproving: false },
          ],
          skipped: [],
          indices: Array.from({ length: shown }, (_, i) => i),
          k: 4,
          originals: images(0),
          pcaReconstructions: images(1),
          aeReconstructions: images(2),
        };
      },
      'explorer/average': () => ({ count: 10, sampleShape: checkpoint.sampleShape, mean: checkpoint.sample(3), decodedMean: checkpoint.sample(4) }),
      'explorer/prior': ({ count }) => {
        const images = new Float32Array(count * size);
        for (let i = 0; i < count; i++) images.set(checkpoint.sample(i + 10), i * size);
        return { sampleShape: checkpoint.sampleShape, codes: new Float32Array(count * checkpoint.snapshot.latent), images };
      },
    });
    harness = await ExplorerHarness.start();
    explorer = await harness.open({ handlers: host.handlers, theme: 'dark', deviceScaleFactor: 2 });
  });

  after(async () => {
    await explorer?.close();
    await harness?.close();
  });

  const ready = async (view: string): Promise<void> => {
    const section = explorer.page.locator(`section[data-view="${view}"]`);
    await section.scrollIntoViewIfNeeded();
    await waitFor(async () => (await section.getAttribute('data-status')) === 'done', 30_000, `${view} drawn`, async () => JSON.stringify(explorer.errors));
  };

  /** Clicks the view's PNG and SVG buttons; the two files the host was asked to save. */
  const exportView = async (control: string): Promise<{ png: string; svg: string; names: string[] }> => {
    const { page } = explorer;
    const before = saved.length;
    const png = page.locator(`[data-control="export-png-${control}"]`);
    await png.click();
    await waitFor(async () => saved.length === before + 1, 20_000, `the ${control} PNG`);
    await page.locator(`[data-control="export-svg-${control}"]`).click();
    await waitFor(async () => saved.length === before + 2, 20_000, `the ${control} SVG`);
    const [first, second] = saved.slice(before);
    assert.equal(first.format, 'png');
    assert.equal(second.format, 'svg');
    // What the real host's validation says about these requests (format, name, size).
    for (const file of [first, second]) assert.doesNotThrow(() => validate(file), `${control} ${file.format} passes the host's checks`);
    return { png: first.data, svg: second.data, names: [first.name, second.name] };
  };

  /** The checks every view's files pass: PNG at device size, pixels of its canvases; SVG well formed. */
  const common = async (view: string, control: string, title: string): Promise<{ png: PngReport; svg: SvgReport; names: string[] }> => {
    const section = `section[data-view="${view}"]`;
    const files = await exportView(control);
    assert.match(files.png, /^data:image\/png;base64,/);
    const png = await pngReport(explorer.page, files.png, section);
    assert.equal(png.width, png.expected.width, `${view} PNG width`);
    assert.equal(png.height, png.expected.height, `${view} PNG height`);
    assert.ok(png.colours > 8, `${view} PNG is not blank (${png.colours} colours)`);
    assert.ok(png.canvases > 0 && png.checked >= png.canvases, `${view}: ${png.checked} pixels of ${png.canvases} canvases checked`);
    assert.deepEqual(png.mismatched.slice(0, 5), [], `${view} PNG shows its canvases' pixels where they are`);
    const svg = await svgReport(explorer.page, files.svg, section);
    assert.equal(svg.parseErrors, 0, `${view} SVG parses`);
    assert.equal(svg.rootName, 'svg');
    assert.ok(svg.images.every((i) => i.href.startsWith('data:image/png;base64,') && i.width > 0 && i.height > 0), `${view} images embedded`);
    assert.ok(svg.texts.includes(title), `${view} SVG has its title as text: ${JSON.stringify(svg.texts.slice(0, 8))}`);
    assert.doesNotMatch(files.svg, /var\(--/, `${view} SVG has no CSS variables`);
    assert.ok(!svg.texts.includes('PNG') && !svg.texts.includes('SVG'), 'buttons are not in the picture');
    for (const name of files.names) assert.match(name, /synthetic/);
    return { png, svg, names: files.names };
  };

  it('the decoder grid at its largest (16 × 16 of 28 × 28 images): every cell an SVG image, PNG within the host limit', async () => {
    const { page } = explorer;
    await ready('grid');
    await page.locator('[data-control="grid-steps"]').focus();
    await page.keyboard.press('End');
    await waitFor(async () => (await page.locator('section[data-view="grid"]').getAttribute('data-cells')) === '256', 30_000, '256 cells');
    await ready('grid');
    const before = saved.length;
    const { svg } = await common('grid', 'grid', 'Decoder grid');
    assert.equal(svg.images.length, 256, 'one image per cell');
    // Each cell is its own 28 × 28 image, of the size it is drawn on screen.
    const cell = await page.locator('canvas.grid-canvas').evaluate((c) => {
      const canvas = c as HTMLCanvasElement;
      return { scale: canvas.getBoundingClientRect().width / canvas.width, width: canvas.width };
    });
    assert.ok(Math.abs(svg.images[0].width - 28 * cell.scale) < 0.02, `cell width ${svg.images[0].width} ≈ ${28 * cell.scale}`);
    // The first and the last cell's pixels are the canvas's pixels of those cells.
    const tiles = await page.evaluate(
      async ({ hrefs }) => {
        const canvas = document.querySelector('canvas.grid-canvas') as HTMLCanvasElement;
        const own = (canvas.getContext('2d') as CanvasRenderingContext2D).getImageData(0, 0, canvas.width, canvas.height);
        const step = 28 + (canvas.width - 16 * 28) / 15; // a cell and the gap after it
        const out: number[] = [];
        for (const [n, href] of hrefs.entries()) {
          const image = new Image();
          image.src = href;
          await image.decode();
          const c = document.createElement('canvas');
          c.width = image.naturalWidth;
          c.height = image.naturalHeight;
          const context = c.getContext('2d') as CanvasRenderingContext2D;
          context.drawImage(image, 0, 0);
          const tile = context.getImageData(0, 0, c.width, c.height).data;
          const origin = n === 0 ? 0 : Math.round(15 * step);
          let differing = 0;
          for (let y = 0; y < 28; y++) for (let x = 0; x < 28; x++) for (let ch = 0; ch < 4; ch++) if (tile[(y * 28 + x) * 4 + ch] !== own.data[((origin + y) * canvas.width + origin + x) * 4 + ch]) differing++;
          out.push(c.width === 28 && c.height === 28 ? differing : -1);
        }
        return out;
      },
      { hrefs: [svg.images[0].href, svg.images[255].href] },
    );
    assert.deepEqual(tiles, [0, 0], 'first and last cell images are the grid canvas cells');
    const [png, file] = saved.slice(before);
    assert.ok(png.data.length < MAX_EXPORT_CHARS / 4 && file.data.length < MAX_EXPORT_CHARS / 4, `PNG ${png.data.length} and SVG ${file.data.length} characters, far under ${MAX_EXPORT_CHARS}`);
  });

  it('the reconstructions: original, reconstruction and difference of every row, and the legend', async () => {
    await ready('reconstructions');
    const rows = Number(await explorer.page.locator('section[data-view="reconstructions"]').getAttribute('data-rows'));
    assert.ok(rows >= 4);
    const { svg } = await common('reconstructions', 'reconstructions', 'Reconstructions');
    assert.equal(svg.images.length, rows * 3 + 1, 'three images per row and the difference scale');
    assert.equal(svg.images.length, svg.visibleCanvases);
    for (const header of ['Original', 'Reconstruction', 'Difference']) assert.ok(svg.texts.includes(header), header);
    assert.equal(svg.texts.filter((t) => /^error \d/.test(t)).length, rows, 'each row’s error');
  });

  it('interpolation: both strips, the ends, the t labels and the slider value', async () => {
    await ready('interpolation');
    const steps = Number(await explorer.page.locator('section[data-view="interpolation"]').getAttribute('data-steps'));
    const { svg } = await common('interpolation', 'interpolation', 'Decoder continuity: interpolation');
    assert.equal(svg.images.length, svg.visibleCanvases);
    assert.ok(svg.images.length >= 2 * steps + 2, `${svg.images.length} images for ${steps} steps`);
    assert.equal(svg.texts.filter((t) => /^t = /.test(t)).length, 2 * steps, 't under each image of both strips');
    assert.ok(svg.texts.includes(`${steps} images`), 'the slider value');
    assert.ok(svg.texts.includes('Pixel blend'));
    // A label cut off on screen (ellipsis) is cut off in the file, not run on over its neighbours.
    const long = `${'a very long label '.repeat(12)}END`;
    await explorer.page.locator('[data-view="interpolation"] .sample-info').first().evaluate((info, text) => {
      info.textContent = text;
    }, long);
    const cut = await svgReport(explorer.page, (await exportView('interpolation')).svg, 'section[data-view="interpolation"]');
    const shown = cut.texts.find((t) => t.startsWith('a very long label'));
    assert.ok(shown && shown.endsWith('…') && shown.length < long.length / 2 && !shown.includes('END'), `cut: ${shown}`);
  });

  it('attribute editing, average, denoising: their images and captions', async () => {
    for (const [view, title, captions] of [
      ['attributes', 'Image editing: attribute vectors', ['Input', 'Edited: decode(z + α·v)']],
      ['average', 'Average image', ['Mean of the images', 'Decoded mean code']],
      ['denoise', 'Denoising', ['Clean target']],
    ] as const) {
      await ready(view);
      if (view === 'attributes') await waitFor(async () => (await explorer.page.locator('[data-view="attributes"] canvas[data-row="preview"]').count()) === 5, 20_000, 'the α strip');
      const { svg } = await common(view, view, title);
      assert.equal(svg.images.length, svg.visibleCanvases, `${view}: every canvas an image`);
      for (const caption of captions) assert.ok(svg.texts.includes(caption), `${view}: ${caption} in ${JSON.stringify(svg.texts)}`);
    }
  });

  it('the VAE view: prior samples as images, μ ± σ as a vector chart', async () => {
    await ready('vae');
    await waitFor(async () => (await explorer.page.locator('[data-view="vae"] [data-part="prior"]').getAttribute('data-count')) === '12', 20_000, 'prior samples');
    const { svg } = await common('vae', 'vae', 'Variational autoencoder');
    assert.ok(svg.images.length >= 12, `${svg.images.length} images`);
    const bars = svg.charts.find((c) => c.texts.includes('z0'));
    assert.ok(bars, 'the μ ± σ chart is vector');
    assert.equal(bars.circles, checkpoint.snapshot.latent, 'one dot per dimension');
    assert.ok(bars.fills.every((f) => !/var\(/.test(f)) && bars.fills.some((f) => /^rgb/.test(f)), 'colours resolved');
  });

  it('AE vs PCA: the error curve is a path through every k, the dots circles, the images raster', async () => {
    await ready('ae-vs-pca');
    const { svg } = await common('ae-vs-pca', 'ae-vs-pca', 'Autoencoder vs PCA');
    const chart = svg.charts.find((c) => c.texts.includes('code size k'));
    assert.ok(chart, 'the chart is vector');
    const curve = chart.paths.find((d) => d.startsWith('M'));
    assert.ok(curve);
    assert.equal(curve.match(/[ML]/g)?.length, 8, 'a point per k');
    assert.equal(chart.circles, 3, 'two autoencoders and the legend’s dot');
    assert.ok(chart.texts.includes('AE 4') && chart.texts.includes('AE 8'));
    assert.equal(svg.images.length, svg.visibleCanvases);
    assert.ok(svg.images.length >= 18, 'input, PCA and AE rows');
  });

  it('the checkpoint comparison: maps and reconstructions raster, weight histograms vector', async () => {
    const { page } = explorer;
    const section = page.locator('section[data-view="compare"]');
    await section.scrollIntoViewIfNeeded();
    await page.locator('[data-control="compare-go"]').click();
    await waitFor(async () => (await section.getAttribute('data-status')) === 'done', 20_000, 'the comparison');
    const { svg } = await common('compare', 'compare', 'Checkpoints over time');
    assert.equal(svg.images.length, svg.visibleCanvases);
    const histograms = svg.charts.filter((c) => c.rects > 0 && c.texts.some((t) => /^(encoder|decoder):/.test(t)));
    assert.equal(histograms.length, 2, 'two weight histograms as vector');
    // The aligned maps still save on their own through the same buttons.
    const before = saved.length;
    await page.locator('[data-control="compare-export-png-base"]').click();
    await waitFor(async () => saved.length === before + 1, 10_000, 'the base map PNG');
    assert.match(saved[before].data, /^data:image\/png;base64,/);
    assert.equal(await page.locator('[data-control="compare-export-png-base"]').getAttribute('aria-label'), `Save the map of ${await page.locator('canvas[data-which="base"]').evaluate((c) => c.getAttribute('aria-label')?.replace(/^PCA map of /, ''))} as PNG`);
  });

  it('in the light theme the picture is light: the page’s background, dark text', async () => {
    const record: ExplorerHandlers['explorer/saveImage'] = ({ format, name, data }) => {
      saved.push({ format, name, data });
      return { saved: true };
    };
    const light = await harness.open({ handlers: syntheticHost(checkpoint, { 'explorer/saveImage': record }).handlers, theme: 'light' });
    try {
      const section = light.page.locator('section[data-view="reconstructions"]');
      await section.scrollIntoViewIfNeeded();
      await waitFor(async () => (await section.getAttribute('data-status')) === 'done', 30_000, 'reconstructions (light)');
      const before = saved.length;
      await light.page.locator('[data-control="export-png-reconstructions"]').click();
      await light.page.locator('[data-control="export-svg-reconstructions"]').click();
      await waitFor(async () => saved.length === before + 2, 20_000, 'both files (light)');
      const corner = await light.page.evaluate(async (data) => {
        const image = new Image();
        image.src = data;
        await image.decode();
        const c = document.createElement('canvas');
        c.width = image.naturalWidth;
        c.height = image.naturalHeight;
        const context = c.getContext('2d') as CanvasRenderingContext2D;
        context.drawImage(image, 0, 0);
        return Array.from(context.getImageData(1, 1, 1, 1).data);
      }, saved[before].data);
      assert.ok(corner[0] > 200 && corner[1] > 200 && corner[2] > 200, `light background ${corner.join(',')}`);
      const report = await svgReport(light.page, saved[before + 1].data, 'section[data-view="reconstructions"]');
      assert.equal(report.parseErrors, 0);
      const title = saved[before + 1].data.match(/<text [^>]*fill="rgb\((\d+), (\d+), (\d+)\)"[^>]*>Reconstructions<\/text>/);
      assert.ok(title && Number(title[1]) < 100, `dark title text: ${title?.[0]}`);
      const background = saved[before + 1].data.match(/<rect width="100%" height="100%" fill="rgb\((\d+), (\d+), (\d+)\)"/);
      assert.ok(background && Number(background[1]) > 200, `light background rect: ${background?.[0]}`);
    } finally {
      await light.close();
    }
  });

  it('every view has the two buttons with their labels, and the maps keep theirs', async () => {
    const { page } = explorer;
    for (const [control, label] of [
      ['grid', 'decoder grid'],
      ['reconstructions', 'reconstructions'],
      ['interpolation', 'interpolation'],
      ['attributes', 'attribute editing'],
      ['average', 'average image'],
      ['denoise', 'denoising view'],
      ['vae', 'VAE view'],
      ['ae-vs-pca', 'autoencoder vs PCA chart'],
      ['compare', 'checkpoint comparison'],
      ['pca', 'PCA map'],
      ['umap', 'UMAP map'],
    ]) {
      for (const format of ['PNG', 'SVG']) {
        const button = page.locator(`button[data-control="export-${format.toLowerCase()}-${control}"]`);
        assert.equal(await button.count(), 1, `${control} ${format}`);
        assert.equal(await button.getAttribute('aria-label'), `Save the ${label} as ${format}`);
      }
    }
    const before = saved.length;
    await page.locator('[data-control="export-png-pca"]').click();
    await waitFor(async () => saved.length === before + 1, 10_000, 'the PCA map PNG');
    assert.match(saved[before].name, /PCA/);
    assert.deepEqual(explorer.errors.filter((e) => !/ResizeObserver/.test(e)), []);
  });
});
