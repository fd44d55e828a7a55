// The lecture views in headless Chromium against REAL checkpoints: a faces VAE (the one the page
// shows), a VAE with another β and one with another code size (its siblings, as the host would find
// them in the workspace), every request relayed to the engine process. Checks what each view draws.

import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { runImprovement, STILL_IMPROVING_DROP } from '../../src/engine/explore/stillImproving';
import { makeTempDir } from '../support/tempDir';
import { openEngineHost, type EngineHost } from './support/engineHost';
import { ExplorerHarness, canvasHash, canvasPixels, chooseOption, summarizePixels, waitFor, type ExplorerPage } from './support/harness';
import { lectureHandlers, trainCheckpoints } from './support/lectureHost';
import type { ThemeName } from './support/themes';

const LIMIT = 600;
/** A look at the whole section for whoever changes its layout (not an assertion). */
const SCREENSHOT = '/tmp/latent-explorer-lecture-dark.png';
const LECTURE = /explorer\/(interpolate|attributeVector|average|denoise|prior|vaeSummary|aeVsPca)\b/;

/** Console errors of the page, less the map's requests this lecture-only host does not serve. */
function pageErrors(page: ExplorerPage): string[] {
  return page.errors.filter((e) => LECTURE.test(e) || !/unknown request|Unknown request/.test(e));
}
/** Faces are 32 × 32 greyscale. */
const PIXELS = 32 * 32;

describe('lecture views (real checkpoints and engine)', () => {
  const temp = makeTempDir('latent-lecture-');
  let engine: EngineHost;
  let harness: ExplorerHarness;
  let explorer: ExplorerPage;
  let siblings: string[];
  let main: string;

  before(async () => {
    const [first, ...others] = await trainCheckpoints([
      { out: join(temp.dir, 'vae-z4'), kind: 'vae', latent: 4, beta: 1 },
      { out: join(temp.dir, 'vae-z4-beta4'), kind: 'vae', latent: 4, beta: 4 },
      { out: join(temp.dir, 'vae-z2'), kind: 'vae', latent: 2, beta: 1 },
    ]);
    main = first;
    siblings = others;
    engine = await openEngineHost(main, LIMIT);
    harness = await ExplorerHarness.start();
    explorer = await harness.open({ handlers: { ...engine.handlers, ...lectureHandlers(engine.engine, engine.snapshot.sessionId, siblings) }, theme: 'dark', title: engine.init.title });
  });

  after(async () => {
    await explorer?.close();
    await harness?.close();
    engine?.dispose();
    temp.remove();
  });

  const section = (page: Page, view: string) => page.locator(`[data-view="${view}"]`);
  const done = async (page: Page, view: string, what = view): Promise<void> => {
    await section(page, view).scrollIntoViewIfNeeded();
    await waitFor(async () => (await section(page, view).getAttribute('data-status')) === 'done', 60_000, what, async () => JSON.stringify(pageErrors(explorer)));
  };
  const image = async (page: Page, selector: string) => summarizePixels((await canvasPixels(page, selector)).data);

  it('draws the decoded interpolation strip: ends are the two samples, images change along it', async () => {
    const { page } = explorer;
    await done(page, 'interpolation');
    const view = '[data-view="interpolation"]';
    assert.equal(await section(page, 'interpolation').getAttribute('data-steps'), '8');
    assert.equal(await section(page, 'interpolation').getAttribute('data-mode'), 'spherical', 'a VAE interpolates on the arc by default');
    const hashes: string[] = [];
    for (let i = 0; i < 8; i++) {
      const selector = `${view} canvas[data-row="decoded"][data-step="${i}"]`;
      const drawn = await image(page, selector);
      assert.equal(drawn.opaque, PIXELS, `step ${i} is a whole image`);
      assert.ok(drawn.colours.size > 3, `step ${i} is not blank`);
      hashes.push(await canvasHash(page, selector));
    }
    assert.notEqual(hashes[0], hashes[7], 'the ends differ');
    assert.ok(new Set(hashes).size >= 6, `the strip changes along its length (${new Set(hashes).size} distinct)`);
    for (const end of ['from', 'to']) assert.ok((await image(page, `${view} canvas[data-end="${end}"]`)).colours.size > 3, `${end} input drawn`);
    const blendMiddle = await canvasHash(page, `${view} canvas[data-row="blend"][data-step="4"]`);
    assert.notEqual(blendMiddle, hashes[4], 'decoding is not cross-fading');

    // Fewer steps with the keyboard, then the linear path and another start sample.
    await page.locator('[data-control="interp-steps"]').focus();
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowLeft');
    await waitFor(async () => (await section(page, 'interpolation').getAttribute('data-steps')) === '5', 30_000, '5 steps');
    assert.equal(await page.locator(`${view} canvas[data-row="decoded"]`).count(), 5);
    const sphericalMiddle = await canvasHash(page, `${view} canvas[data-row="decoded"][data-step="2"]`);
    await chooseOption(page, 'interp-mode', 'linear');
    await waitFor(async () => (await section(page, 'interpolation').getAttribute('data-mode')) === 'linear', 30_000, 'linear');
    assert.notEqual(await canvasHash(page, `${view} canvas[data-row="decoded"][data-step="2"]`), sphericalMiddle, 'the arc and the line differ in between');
    const firstEnd = await canvasHash(page, `${view} canvas[data-end="from"]`);
    await page.locator('[data-control="interp-from"]').fill('17');
    await page.locator('[data-control="interp-from"]').press('Enter');
    await waitFor(async () => (await section(page, 'interpolation').getAttribute('data-from')) === '17', 30_000, 'from = 17');
    await waitFor(async () => (await section(page, 'interpolation').getAttribute('data-status')) === 'done', 30_000, 'redrawn');
    assert.notEqual(await canvasHash(page, `${view} canvas[data-end="from"]`), firstEnd);
    // The other end from the Reconstructions list: click a row, then "Use selected".
    const row = page.locator('[data-view="reconstructions"] .recon-row[data-index]').nth(1);
    const picked = await row.getAttribute('data-index');
    await row.click();
    await page.locator('[data-control="interp-to-use-selected"]').click();
    await waitFor(async () => (await section(page, 'interpolation').getAttribute('data-to')) === picked, 30_000, `to = ${picked}`);
    await waitFor(async () => (await section(page, 'interpolation').getAttribute('data-status')) === 'done', 30_000, 'redrawn');
    const request = explorer.requests.filter((r) => r.method === 'explorer/interpolate').at(-1)?.params as { from: unknown; to: unknown; mode: string; steps: number };
    assert.deepEqual(request, { from: { kind: 'sample', index: 17 }, to: { kind: 'sample', index: Number(picked) }, steps: 5, mode: 'linear' });
    // The same without a pointer: a row takes focus, Enter chooses it, Enter on "Use selected" takes it.
    const other = page.locator('[data-view="reconstructions"] .recon-row[data-index]').nth(2);
    const keyed = await other.getAttribute('data-index');
    assert.notEqual(keyed, picked);
    await other.focus();
    await page.keyboard.press('Enter');
    await page.locator('[data-control="interp-to-use-selected"]').focus();
    await page.keyboard.press('Enter');
    await waitFor(async () => (await section(page, 'interpolation').getAttribute('data-to')) === keyed, 30_000, `to = ${keyed} from the keyboard`);
  });

  it('edits an image with the "smiling" vector: the slider changes the decoded image live', async () => {
    const { page } = explorer;
    await done(page, 'attributes');
    const view = section(page, 'attributes');
    assert.equal(await page.locator('[data-control="attr-source"]').evaluate((d) => (d as HTMLElement & { value: string }).value), 'factor:smiling:1');
    assert.ok(Number(await view.getAttribute('data-norm')) > 0, 'a non-zero vector');
    const live = '[data-view="attributes"] canvas[data-row="live"]';
    await waitFor(async () => (await page.locator(live).getAttribute('data-alpha')) === '1', 30_000, 'α = 1 drawn');
    const atOne = await canvasHash(page, live);
    assert.ok((await image(page, live)).colours.size > 3);
    await page.locator('[data-control="attr-alpha"]').focus();
    await page.keyboard.press('End');
    await waitFor(async () => (await page.locator(live).getAttribute('data-alpha')) === '3', 30_000, 'α = 3 drawn');
    const atThree = await canvasHash(page, live);
    assert.notEqual(atThree, atOne, 'moving the slider changes the image');
    await page.keyboard.press('Home');
    await waitFor(async () => (await page.locator(live).getAttribute('data-alpha')) === '-3', 30_000, 'α = −3 drawn');
    assert.notEqual(await canvasHash(page, live), atThree);
    // The α strip: five images, the two ends different.
    await waitFor(async () => (await page.locator('[data-view="attributes"] canvas[data-row="preview"]').count()) === 5, 30_000, 'the α strip');
    assert.notEqual(
      await canvasHash(page, '[data-view="attributes"] canvas[data-alpha="-2"]'),
      await canvasHash(page, '[data-view="attributes"] canvas[data-alpha="2"]'),
    );
    // The α = 0 image is the target's own decoded code: the decoder's reconstruction.
    assert.deepEqual(explorer.requests.filter((r) => r.method === 'explorer/attributeVector').at(-1)?.params, { with: { kind: 'factor', factor: 'smiling', value: 1 }, target: 0 });
  });

  it('averages a class: mean image and decoded mean code, over the right number of samples', async () => {
    const { page } = explorer;
    await done(page, 'average');
    const smiling = engine.snapshot.factors.find((f) => f.name === 'smiling');
    assert.ok(smiling && smiling.kind === 'category');
    const expected = Array.from(smiling.values).filter((v) => v === 0).length;
    assert.equal(Number(await section(page, 'average').getAttribute('data-count')), expected, 'first option: smiling = no');
    for (const row of ['mean', 'decoded-mean']) {
      const drawn = await image(page, `[data-view="average"] canvas[data-row="${row}"]`);
      assert.equal(drawn.opaque, PIXELS);
      assert.ok(drawn.colours.size > 3, `${row} is drawn`);
    }
    await chooseOption(page, 'average-source', 'factor:glasses:1');
    const glasses = engine.snapshot.factors.find((f) => f.name === 'glasses');
    assert.ok(glasses && glasses.kind === 'category');
    const withGlasses = Array.from(glasses.values).filter((v) => v === 1).length;
    await waitFor(async () => Number(await section(page, 'average').getAttribute('data-count')) === withGlasses, 30_000, 'the glasses average');
  });

  it('denoises: noisy input differs from the clean target; no noise leaves it as it is', async () => {
    const { page } = explorer;
    await done(page, 'denoise');
    const view = section(page, 'denoise');
    const noisy = '[data-view="denoise"] canvas[data-row="noisy"]';
    const clean = '[data-view="denoise"] canvas[data-row="clean"]';
    const output = '[data-view="denoise"] canvas[data-row="output"]';
    assert.ok(Number(await view.getAttribute('data-noisy-error')) > 0);
    assert.notEqual(await canvasHash(page, noisy), await canvasHash(page, clean));
    assert.ok((await image(page, output)).colours.size > 3, 'the output is drawn');
    const gaussian = await canvasHash(page, noisy);
    await chooseOption(page, 'denoise-kind', 'salt-and-pepper');
    await waitFor(async () => (await view.getAttribute('data-kind')) === 'salt-and-pepper' && (await view.getAttribute('data-status')) === 'done', 30_000, 'salt and pepper');
    assert.notEqual(await canvasHash(page, noisy), gaussian);
    await page.locator('[data-control="denoise-amount"]').focus();
    await page.keyboard.press('Home');
    await waitFor(async () => (await view.getAttribute('data-amount')) === '0' && (await view.getAttribute('data-status')) === 'done', 30_000, 'no noise');
    assert.equal(Number(await view.getAttribute('data-noisy-error')), 0);
    assert.equal(await canvasHash(page, noisy), await canvasHash(page, clean));
  });

  it('shows prior samples, μ ± σ per dimension, and this β beside the other VAE run', async () => {
    const { page } = explorer;
    await done(page, 'vae');
    const prior = page.locator('[data-view="vae"] canvas[data-row="prior"]');
    assert.equal(await prior.count(), 12);
    const first = await Promise.all([0, 1, 2, 3].map((i) => canvasHash(page, `[data-view="vae"] canvas[data-row="prior"][data-step="${i}"]`)));
    assert.ok(new Set(first).size >= 3, 'different codes decode differently');
    await page.locator('[data-view="vae"] [data-control="vae-redraw"]').click();
    await waitFor(async () => (await page.locator('[data-part="prior"]').getAttribute('data-seed')) === '2', 30_000, 'a new draw');
    assert.notEqual(await canvasHash(page, '[data-view="vae"] canvas[data-row="prior"][data-step="0"]'), first[0]);

    const spread = page.locator('[data-part="spread"]');
    assert.equal(await spread.getAttribute('data-dimensions'), '4');
    assert.equal(await page.locator('[data-part="spread"] .spread-bar').count(), 4);
    const sigma = (await spread.getAttribute('data-sigma'))!.split(',').map(Number);
    const { logVar, latent } = engine.snapshot;
    sigma.forEach((s, d) => assert.ok(Math.abs(s - Math.exp(logVar![d] / 2)) < 1e-3, `σ of z${d} for sample 0`));
    const widths = await page.locator('[data-part="spread"] .spread-bar').evaluateAll((bars) => bars.map((b) => Number(b.getAttribute('width'))));
    assert.ok(widths.every((w) => w >= 1));
    await page.locator('[data-control="vae-point"]').fill('9');
    await page.locator('[data-control="vae-point"]').press('Enter');
    await waitFor(async () => (await spread.getAttribute('data-index')) === '9', 10_000, 'sample 9');
    const sigma9 = (await spread.getAttribute('data-sigma'))!.split(',').map(Number);
    sigma9.forEach((s, d) => assert.ok(Math.abs(s - Math.exp(logVar![9 * latent + d] / 2)) < 1e-3));

    const summary = page.locator('[data-part="summary"]');
    await waitFor(async () => (await summary.getAttribute('data-runs')) === '2', 30_000, 'both VAE runs');
    assert.ok(Number(await summary.getAttribute('data-kl')) > 0);
    const betas = await page.locator('[data-part="beta-runs"] tbody tr td:nth-child(2)').allInnerTexts();
    assert.deepEqual(betas, ['1', '4']);
  });

  it('plots PCA against the autoencoders of both code sizes and shows both reconstructions', async () => {
    const { page } = explorer;
    await done(page, 'ae-vs-pca', 'AE vs PCA');
    const view = section(page, 'ae-vs-pca');
    assert.equal(await view.getAttribute('data-autoencoders'), '2', 'this VAE and the 2-d one; the β = 4 run is left out');
    assert.equal(await view.getAttribute('data-k'), '4');
    assert.equal(await view.getAttribute('data-ks'), '8');
    assert.equal(await page.locator('[data-view="ae-vs-pca"] .ae-dot[data-latent]').count(), 2);
    const d = await page.locator('[data-series="pca"]').getAttribute('d');
    assert.equal((d ?? '').split(/[ML]/).filter(Boolean).length, 8, 'one vertex per k');
    const result = explorer.requests.filter((r) => r.method === 'explorer/aeVsPca');
    assert.equal(result.length, 1);
    for (const row of ['input', 'pca', 'ae']) assert.equal(await page.locator(`[data-view="ae-vs-pca"] canvas[data-row="${row}"]`).count(), 6, `six ${row} images`);
    for (let i = 0; i < 2; i++) {
      const input = `[data-view="ae-vs-pca"] canvas[data-row="input"][data-index="${i}"]`;
      const pca = `[data-view="ae-vs-pca"] canvas[data-row="pca"][data-index="${i}"]`;
      const ae = `[data-view="ae-vs-pca"] canvas[data-row="ae"][data-index="${i}"]`;
      for (const s of [input, pca, ae]) assert.ok((await image(page, s)).colours.size > 3, `${s} drawn`);
      assert.notEqual(await canvasHash(page, pca), await canvasHash(page, ae));
    }
    await page.locator('.lecture-concepts').screenshot({ path: SCREENSHOT });
  });

  it('says beside the dots which runs were still improving when training stopped, as their run.json histories show', async () => {
    const { page } = explorer;
    await done(page, 'ae-vs-pca', 'AE vs PCA');
    // The rule applied to the histories the runs wrote: four epochs of a VAE are not enough here.
    const expected: number[] = [];
    for (const [checkpoint, latent] of [[main, 4], [siblings[1], 2]] as const) {
      const improvement = await runImprovement(dirname(dirname(checkpoint)), Number.POSITIVE_INFINITY);
      if (improvement !== undefined && improvement > STILL_IMPROVING_DROP) expected.push(latent);
    }
    expected.sort((a, b) => a - b);
    assert.ok(expected.length > 0, 'at least one of the 4-epoch runs was still improving');
    const view = section(page, 'ae-vs-pca');
    assert.equal(await view.getAttribute('data-still-improving'), expected.join(','));
    const flagged = await page.locator('[data-view="ae-vs-pca"] .ae-dot[data-latent]').evaluateAll((dots) =>
      dots.filter((d) => d.getAttribute('data-still-improving') === 'true').map((d) => Number(d.getAttribute('data-latent'))),
    );
    assert.deepEqual(flagged.sort((a, b) => a - b), expected, 'the hollow dots');
    const labels = await page.locator('[data-view="ae-vs-pca"] .ae-label').allTextContents();
    for (const latent of expected) assert.ok(labels.includes(`AE ${latent} · still improving`), `AE ${latent} is labelled (${labels.join(' | ')})`);
    const note = page.locator('[data-view="ae-vs-pca"] [data-part="still-improving"]');
    assert.ok(await note.isVisible(), 'the note is shown');
    const text = await note.innerText();
    for (const latent of expected) assert.match(text, new RegExp(`AE ${latent} \\(−\\d+% over its last epochs\\)`));
    assert.match(text, /still improving when training stopped/);
    assert.match(text, /train longer/);
    assert.match((await page.locator('[data-part="still-improving-legend"]').textContent()) ?? '', /still improving when training stopped: train longer/);
  });

  it('keeps its choices across a reload', async () => {
    const { page } = explorer;
    await waitFor(async () => (explorer.savedState as { lecture?: { denoise?: { amount?: number } } } | undefined)?.lecture?.denoise?.amount === 0, 5000, 'saved state');
    await explorer.reload();
    await done(page, 'interpolation', 'interpolation again');
    assert.equal(await section(page, 'interpolation').getAttribute('data-steps'), '5');
    assert.equal(await section(page, 'interpolation').getAttribute('data-mode'), 'linear');
    assert.equal(await section(page, 'interpolation').getAttribute('data-from'), '17');
    await done(page, 'denoise', 'denoise again');
    assert.equal(await section(page, 'denoise').getAttribute('data-kind'), 'salt-and-pepper');
    assert.equal(await section(page, 'vae').getAttribute('data-kind'), 'vae');
    await done(page, 'vae', 'vae again');
    assert.equal(await page.locator('[data-part="spread"]').getAttribute('data-index'), '9');
    assert.deepEqual(pageErrors(explorer), []);
    assert.deepEqual(explorer.violations, []);
  });

  for (const theme of ['light', 'dark', 'high-contrast'] as ThemeName[]) {
    it(`is readable in the ${theme} theme: text contrasts with its background`, async () => {
      const themed = await harness.open({ handlers: { ...engine.handlers, ...lectureHandlers(engine.engine, engine.snapshot.sessionId, siblings) }, theme, title: engine.init.title });
      try {
        const { page } = themed;
        await done(page, 'ae-vs-pca', `AE vs PCA (${theme})`);
        await done(page, 'vae', `VAE (${theme})`);
        const ratios = await page.evaluate(`(() => {
          const parse = (c) => { const m = c.match(/[\\d.]+/g) || ['0','0','0','0']; return { r: +m[0], g: +m[1], b: +m[2], a: m[3] === undefined ? 1 : +m[3] }; };
          const lum = ({ r, g, b }) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }; return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
          const background = (el) => { for (let n = el; n; n = n.parentElement) { const c = parse(getComputedStyle(n).backgroundColor); if (c.a > 0.5) return c; } return parse(getComputedStyle(document.body).backgroundColor); };
          const selectors = ['.lecture h3', '.lecture-note', '.lecture-info', '.lecture-figure figcaption', '.pca-svg .tick', '.vae-bars .dim-value', '.lecture-table td'];
          return selectors.map((s) => {
            const el = document.querySelector(s);
            if (!el) return { s, ratio: 0 };
            const style = getComputedStyle(el);
            const fg = parse(el instanceof SVGElement ? style.fill : style.color);
            const bg = background(el);
            const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
            return { s, ratio: (a + 0.05) / (b + 0.05) };
          });
        })()`);
        for (const { s, ratio } of ratios as { s: string; ratio: number }[]) assert.ok(ratio >= 4.5, `${theme}: ${s} contrast ${ratio.toFixed(2)} < 4.5`);
        assert.deepEqual(pageErrors(themed), []);
      } finally {
        await themed.close();
      }
    });
  }
});
