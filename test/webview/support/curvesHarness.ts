// The Training Curves page in headless Chromium, with a stand-in for the extension host, as
// harness.ts does for the explorer: a local server serves the page made by explorerHtml({ page:
// 'curves' }) with its real CSP, dist/curves.js and media/curves.css; the stand-in acquireVsCodeApi
// (harness.ts's INIT_SCRIPT) carries messages to Node, where an RpcChannel per page load answers with
// the host's own code (src/shared/curvesFeed.ts: serveCurves behind the schemas, CurvesFeed for what
// a growing run appended), reading real run folders with the engine's readers.

import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { readMetricsLog } from '../../../src/engine/checkpoints/metricsLogFile';
import { readRunFile } from '../../../src/engine/checkpoints/runFile';
import { scanCheckpoints } from '../../../src/engine/checkpoints/checkpointStore';
import type { CurvesNotifications } from '../../../src/shared/curvesApi';
import { CurvesFeed, nearestCheckpoint, serveCurves, type CurvesHostChannel, type RunFiles } from '../../../src/shared/curvesFeed';
import { EngineError } from '../../../src/shared/errors';
import { explorerHtml } from '../../../src/shared/explorerHtml';
import { RpcChannel, type Transport } from '../../../src/shared/rpc';
import { runsTableRow } from '../../../src/shared/runsTable';
import { launchChromium } from '../../support/chromium';
import { INIT_SCRIPT } from './harness';
import { themeBodyClass, themeCss, type ThemeName } from './themes';

const ROOT = join(__dirname, '..', '..', '..');

/** A run folder's files, read as the panel reads them (complete checkpoints only). */
export async function readRunFolder(dir: string): Promise<RunFiles> {
  const checkpoints = (await scanCheckpoints(dir)).filter((c) => c.damage === undefined && c.epoch !== undefined).map((c) => c.epoch as number);
  return { id: dir, run: await readRunFile(dir), log: await readMetricsLog(dir), checkpoints };
}

export interface CurvesPageOptions {
  runDirs: string[];
  /** Runs the command named (the sidebar's selection); undefined: the page's own choice. */
  select?: string[];
  theme?: ThemeName;
  viewport?: { width: number; height: number };
  deviceScaleFactor?: number;
  /** Reads a run (default: its folder on disk, readRunFolder); the benchmark gives synthetic runs. */
  read?: (dir: string) => Promise<RunFiles>;
}

export class CurvesHarness {
  private readonly pages: CurvesPage[] = [];

  private constructor(
    readonly browser: Browser,
    private readonly server: Server,
    readonly origin: string,
  ) {}

  static async start(): Promise<CurvesHarness> {
    const files: Record<string, { path: string; type: string }> = {
      '/dist/curves.js': { path: join(ROOT, 'dist', 'curves.js'), type: 'text/javascript' },
      '/media/curves.css': { path: join(ROOT, 'media', 'curves.css'), type: 'text/css' },
      '/media/page.css': { path: join(ROOT, 'media', 'page.css'), type: 'text/css' },
    };
    const server = createServer((request, response) => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      const respond = (status: number, type: string, body: string | Buffer): void => {
        response.writeHead(status, { 'content-type': `${type}; charset=utf-8`, 'cache-control': 'no-store' });
        response.end(body);
      };
      const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      if (url.pathname === '/curves.html') respond(200, 'text/html', pageHtml(origin, (url.searchParams.get('theme') ?? 'dark') as ThemeName));
      else if (url.pathname === '/favicon.ico') respond(204, 'image/x-icon', '');
      else if (url.pathname.startsWith('/theme/')) respond(200, 'text/css', themeCss(url.pathname.slice('/theme/'.length).replace(/\.css$/, '') as ThemeName));
      else if (files[url.pathname]) respond(200, files[url.pathname].type, readFileSync(files[url.pathname].path));
      else respond(404, 'text/plain', 'not found');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new CurvesHarness(await launchChromium(), server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  }

  async open(options: CurvesPageOptions): Promise<CurvesPage> {
    const context = await this.browser.newContext({
      viewport: options.viewport ?? { width: 1400, height: 1100 },
      deviceScaleFactor: options.deviceScaleFactor ?? 1,
      colorScheme: options.theme === 'light' ? 'light' : 'dark',
    });
    const page = await context.newPage();
    const curves = new CurvesPage(context, page, options);
    this.pages.push(curves);
    await curves.install();
    await page.goto(`${this.origin}/curves.html?theme=${options.theme ?? 'dark'}`);
    return curves;
  }

  async close(): Promise<void> {
    for (const page of this.pages.splice(0)) await page.close();
    await this.browser.close();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

function pageHtml(origin: string, theme: ThemeName): string {
  const html = explorerHtml({
    cspSource: origin,
    nonce: randomBytes(16).toString('base64'),
    scriptUri: `${origin}/dist/curves.js`,
    styleUri: `${origin}/media/curves.css`,
    title: 'Training Curves',
    page: 'curves',
  });
  return html
    .replace('<link rel="stylesheet"', `<link rel="stylesheet" href="${origin}/theme/${theme}.css">\n    <link rel="stylesheet"`)
    .replace('<body>', `<body class="${themeBodyClass(theme)}" data-vscode-theme-kind="${themeBodyClass(theme)}">`);
}

/** One curves page and the host behind it. */
export class CurvesPage {
  readonly requests: { method: string; params: unknown }[] = [];
  readonly violations: string[] = [];
  readonly errors: string[] = [];
  /** What curves/openCheckpoint opened: the run and the checkpoint epoch. */
  readonly opened: { run: string; asked: number; epoch: number }[] = [];
  /** What curves/save was given. */
  readonly saved: { format: string; name: string; data: string }[] = [];
  savedState: unknown;
  private channel: CurvesHostChannel | undefined;
  private pageId = '';
  private listeners = new Set<(message: unknown) => void>();
  private feed = new CurvesFeed();
  private selectOnce: string[] | undefined;

  constructor(
    readonly context: BrowserContext,
    readonly page: Page,
    private readonly options: CurvesPageOptions,
  ) {
    this.selectOnce = options.select;
  }

  async install(): Promise<void> {
    const { page } = this;
    page.on('console', (message) => {
      if (message.type() === 'error') this.errors.push(message.text());
    });
    page.on('pageerror', (error) => this.errors.push(`${error.name}: ${error.message}`));
    await page.exposeFunction('__lexToHost', (pageId: string, message: unknown) => this.receive(pageId, message));
    await page.exposeFunction('__lexSetState', (json: string) => {
      this.savedState = JSON.parse(json);
    });
    await page.exposeFunction('__lexViolation', (text: string) => {
      this.violations.push(text);
    });
    await page.addInitScript({ content: INIT_SCRIPT });
  }

  /** A watched run's files changed (as the panel's watcher reports): send the page what it appended. */
  async runChanged(dir: string): Promise<keyof CurvesNotifications | undefined> {
    const message = this.feed.update(await this.read(dir));
    if (message) this.channel?.notify(message.method, message.params as never);
    return message?.method;
  }

  async reload(): Promise<void> {
    await this.page.reload();
  }

  async close(): Promise<void> {
    this.channel?.close();
    await this.context.close().catch(() => undefined);
  }

  private receive(pageId: string, message: unknown): void {
    if (pageId !== this.pageId) {
      this.channel?.close();
      this.pageId = pageId;
      this.listeners = new Set();
      this.feed = new CurvesFeed();
      this.channel = this.createChannel(pageId);
    }
    if (typeof message === 'object' && message !== null && (message as { kind?: unknown }).kind === 'request') {
      const m = message as { method: string; params: unknown };
      this.requests.push({ method: m.method, params: m.params });
    }
    for (const listener of this.listeners) listener(message);
  }

  private read(dir: string): Promise<RunFiles> {
    return (this.options.read ?? readRunFolder)(dir);
  }

  private createChannel(pageId: string): CurvesHostChannel {
    const listeners = this.listeners;
    const transport: Transport = {
      send: (message) => {
        if (pageId !== this.pageId) return;
        this.page.evaluate((m) => window.postMessage(m, '*'), message as unknown).catch(() => undefined);
      },
      onMessage: (listener) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    };
    const channel: CurvesHostChannel = new RpcChannel(transport, (text) => this.errors.push(`host: ${text}`));
    const known = (id: string): void => {
      if (!this.options.runDirs.includes(id)) throw new EngineError('bad-input', `${id} is not a run this view listed`);
    };
    serveCurves(channel, {
      'curves/ready': async () => {
        const rows = await Promise.all(this.options.runDirs.map(async (dir) => runsTableRow(dir, (await this.read(dir)).run)));
        // As the panel does: the command's runs go to the first page load; a reload keeps its own choice.
        const select = this.selectOnce ?? null;
        this.selectOnce = undefined;
        return { rows, select };
      },
      'curves/load': async ({ ids }) => {
        const runs = [];
        for (const id of ids) {
          known(id);
          runs.push(this.feed.load(await this.read(id)));
        }
        return runs;
      },
      'curves/openCheckpoint': async ({ run, epoch }) => {
        known(run);
        const nearest = nearestCheckpoint((await this.read(run)).checkpoints, epoch);
        if (nearest === undefined) throw new EngineError('not-found', 'no checkpoint');
        this.opened.push({ run, asked: epoch, epoch: nearest });
        return { epoch: nearest };
      },
      'curves/save': (params) => {
        this.saved.push(params);
        return { saved: true };
      },
    });
    return channel;
  }
}

/** Pixels of a canvas within `tolerance` of an RGB colour (counted in the page). */
export async function pixelsOfColour(page: Page, selector: string, hex: string, tolerance = 24): Promise<number> {
  return page.evaluate(
    ({ s, hex, tolerance }) => {
      const canvas = document.querySelector<HTMLCanvasElement>(s);
      const context = canvas?.getContext('2d');
      if (!canvas || !context) throw new Error(`no canvas ${s}`);
      const r = parseInt(hex.slice(1, 3), 16);
      const g = parseInt(hex.slice(3, 5), 16);
      const b = parseInt(hex.slice(5, 7), 16);
      const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
      let count = 0;
      for (let i = 0; i < data.length; i += 4) {
        if (Math.abs(data[i] - r) <= tolerance && Math.abs(data[i + 1] - g) <= tolerance && Math.abs(data[i + 2] - b) <= tolerance) count++;
      }
      return count;
    },
    { s: selector, hex, tolerance },
  );
}
