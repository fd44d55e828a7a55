// The explorer page in headless Chromium, with a stand-in for the extension host:
// - a tiny HTTP server on 127.0.0.1 (random port) serves the page made by explorerHtml() (with its
//   real CSP, the server's origin standing for webview.cspSource), dist/webview.js (which bundles the
//   toolkit and d3), media/explorer.css and a theme stylesheet of --vscode-* variables;
// - page.addInitScript defines `acquireVsCodeApi` before the page's scripts run. Its postMessage goes
//   to Node through page.exposeFunction; getState/setState keep the state in sessionStorage, so it
//   survives a reload as VS Code's does, and report it to Node;
// - in Node an RpcChannel per page load answers the webview's ExplorerRequests with the handlers a
//   test gives (from the real engine or synthetic), each behind the validator the extension uses
//   (src/shared/explorerHost.ts), and sends notifications back with window.postMessage through
//   page.evaluate (Playwright carries typed arrays as typed arrays).

import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { explorerHtml } from '../../../src/shared/explorerHtml';
import { serveExplorer, sessionLimits, type ExplorerHandler, type HostChannel } from '../../../src/shared/explorerHost';
import { RpcChannel, type HandlerContext, type Transport } from '../../../src/shared/rpc';
import type { SessionLimits } from '../../../src/shared/validation/checks';
import type { ExplorerNotifications, ExplorerRequests } from '../../../src/shared/webviewApi';
import { launchChromium } from '../../support/chromium';
import { themeBodyClass, themeCss, type ThemeName } from './themes';

const ROOT = join(__dirname, '..', '..', '..');

export interface HostContext extends HandlerContext {
  /** Sends a notification to the page that made this request. */
  notify<N extends keyof ExplorerNotifications>(method: N, params: ExplorerNotifications[N]): void;
}

export type ExplorerHandlers = {
  [M in keyof ExplorerRequests]?: (
    params: ExplorerRequests[M]['params'],
    context: HostContext,
  ) => Promise<ExplorerRequests[M]['result']> | ExplorerRequests[M]['result'];
};

export interface OpenOptions {
  handlers: ExplorerHandlers;
  theme?: ThemeName;
  title?: string;
  viewport?: { width: number; height: number };
  deviceScaleFactor?: number;
  /** Runs in the page before its scripts, after the stand-in VS Code API (e.g. to take away a browser feature). */
  initScript?: string;
}

/** One server and one browser for a test file. */
export class ExplorerHarness {
  private constructor(
    readonly browser: Browser,
    private readonly server: Server,
    readonly origin: string,
    private readonly pages: ExplorerPage[],
  ) {}

  static async start(): Promise<ExplorerHarness> {
    const pages: ExplorerPage[] = [];
    const files: Record<string, { path: string; type: string }> = {
      '/dist/webview.js': { path: join(ROOT, 'dist', 'webview.js'), type: 'text/javascript' },
      '/media/explorer.css': { path: join(ROOT, 'media', 'explorer.css'), type: 'text/css' },
      '/media/page.css': { path: join(ROOT, 'media', 'page.css'), type: 'text/css' },
    };
    const server = createServer((request, response) => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      const respond = (status: number, type: string, body: string | Buffer): void => {
        response.writeHead(status, { 'content-type': `${type}; charset=utf-8`, 'cache-control': 'no-store' });
        response.end(body);
      };
      try {
        if (url.pathname === '/explorer.html') {
          const theme = (url.searchParams.get('theme') ?? 'dark') as ThemeName;
          respond(200, 'text/html', pageHtml(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, theme, url.searchParams.get('title') ?? 'shapes-dense · epoch 2'));
        } else if (url.pathname === '/favicon.ico') {
          respond(204, 'image/x-icon', '');
        } else if (url.pathname.startsWith('/theme/')) {
          respond(200, 'text/css', themeCss(url.pathname.slice('/theme/'.length).replace(/\.css$/, '') as ThemeName));
        } else if (files[url.pathname]) {
          respond(200, files[url.pathname].type, readFileSync(files[url.pathname].path));
        } else {
          respond(404, 'text/plain', 'not found');
        }
      } catch (error) {
        respond(500, 'text/plain', String(error));
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const browser = await launchChromium();
    return new ExplorerHarness(browser, server, origin, pages);
  }

  async open(options: OpenOptions): Promise<ExplorerPage> {
    const context = await this.browser.newContext({
      viewport: options.viewport ?? { width: 1400, height: 1000 },
      deviceScaleFactor: options.deviceScaleFactor ?? 1,
      colorScheme: options.theme === 'light' ? 'light' : 'dark',
    });
    const page = await context.newPage();
    const explorer = new ExplorerPage(context, page, options.handlers, this.origin);
    this.pages.push(explorer);
    await explorer.install();
    if (options.initScript) await page.addInitScript({ content: options.initScript });
    const query = new URLSearchParams({ theme: options.theme ?? 'dark', ...(options.title ? { title: options.title } : {}) });
    await page.goto(`${this.origin}/explorer.html?${query.toString()}`);
    return explorer;
  }

  async close(): Promise<void> {
    for (const page of this.pages.splice(0)) await page.close();
    await this.browser.close();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

function pageHtml(origin: string, theme: ThemeName, title: string): string {
  const html = explorerHtml({
    cspSource: origin,
    nonce: randomBytes(16).toString('base64'),
    scriptUri: `${origin}/dist/webview.js`,
    styleUri: `${origin}/media/explorer.css`,
    title,
  });
  // What VS Code adds around a webview's html: the theme's variables and the body's theme class.
  return html
    .replace('<link rel="stylesheet"', `<link rel="stylesheet" href="${origin}/theme/${theme}.css">\n    <link rel="stylesheet"`)
    .replace('<body>', `<body class="${themeBodyClass(theme)}" data-vscode-theme-kind="${themeBodyClass(theme)}">`);
}

/**
 * The stand-in acquireVsCodeApi; runs in every document before its scripts. A string, not a function:
 * tsx would wrap a function's inner helpers in `__name(…)` calls that do not exist in the page.
 */
export const INIT_SCRIPT = `(() => {
  const pageId = Date.now().toString(36) + '-' + Math.random().toString(36).slice(2);
  let acquired = false;
  // Every status a map goes through (tests read it: partial layouts, then the final).
  window.__lexStatusLog = [];
  new MutationObserver((records) => {
    for (const record of records) {
      const target = record.target;
      if (!target.dataset || target.dataset.view !== 'scatter') continue;
      window.__lexStatusLog.push({ method: target.dataset.method, status: target.dataset.status, at: performance.now() });
    }
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-status'] });
  document.addEventListener('securitypolicyviolation', (event) => {
    void window.__lexViolation(event.violatedDirective + ' blocked ' + (event.blockedURI || 'inline') + ' at ' + event.sourceFile + ':' + event.lineNumber + ':' + event.columnNumber + ' ' + (event.sample || ''));
  });
  window.acquireVsCodeApi = () => {
    if (acquired) throw new Error('An instance of the VS Code API has already been acquired');
    acquired = true;
    return Object.freeze({
      postMessage: (message) => void window.__lexToHost(pageId, message),
      getState: () => {
        const saved = sessionStorage.getItem('vscode-state');
        return saved === null ? undefined : JSON.parse(saved);
      },
      setState: (state) => {
        const json = JSON.stringify(state);
        sessionStorage.setItem('vscode-state', json);
        void window.__lexSetState(json);
        return state;
      },
    });
  };
})();`;

export interface RequestRecord {
  method: string;
  params: unknown;
  pageId: string;
}

/** One page of the explorer and the host behind it. */
export class ExplorerPage {
  /** Every request the page sent, in order. */
  readonly requests: RequestRecord[] = [];
  /** CSP violations the page reported. */
  readonly violations: string[] = [];
  /** Console errors and uncaught exceptions. */
  readonly errors: string[] = [];
  /** Console warnings. */
  readonly warnings: string[] = [];
  /** Every request for a URL outside the test server. */
  readonly foreignRequests: string[] = [];
  savedState: unknown;
  private channel: HostChannel | undefined;
  private pageId = '';
  /** What the validators know of the session: from the last init the page was given, as in the panel. */
  private limits: SessionLimits = {};
  private listeners = new Set<(message: unknown) => void>();

  constructor(
    readonly context: BrowserContext,
    readonly page: Page,
    private readonly handlers: ExplorerHandlers,
    private readonly origin: string,
  ) {}

  async install(): Promise<void> {
    const { page } = this;
    page.on('console', (message) => {
      if (message.type() === 'error') this.errors.push(message.text());
      if (message.type() === 'warning') this.warnings.push(message.text());
    });
    page.on('pageerror', (error) => this.errors.push(`${error.name}: ${error.message}`));
    page.on('request', (request) => {
      if (!request.url().startsWith(this.origin) && !request.url().startsWith('data:') && !request.url().startsWith('blob:')) {
        this.foreignRequests.push(request.url());
      }
    });
    await page.exposeFunction('__lexToHost', (pageId: string, message: unknown) => this.receive(pageId, message));
    await page.exposeFunction('__lexSetState', (json: string) => {
      this.savedState = JSON.parse(json);
    });
    await page.exposeFunction('__lexViolation', (text: string) => {
      this.violations.push(text);
    });
    await page.addInitScript({ content: INIT_SCRIPT });
  }

  /** Sends a notification to the page as the host would. */
  notify<N extends keyof ExplorerNotifications>(method: N, params: ExplorerNotifications[N]): void {
    if (method === 'explorer/reset') this.limits = sessionLimits((params as ExplorerNotifications['explorer/reset']).snapshot);
    this.channel?.notify(method, params);
  }

  async reload(): Promise<void> {
    await this.page.reload();
  }

  async close(): Promise<void> {
    this.channel?.close();
    await this.context.close().catch(() => undefined);
  }

  /** Messages from a new page load get a fresh channel; the old one closes (aborting its work). */
  private receive(pageId: string, message: unknown): void {
    if (pageId !== this.pageId) {
      this.channel?.close();
      this.pageId = pageId;
      this.listeners = new Set();
      this.channel = this.createChannel(pageId);
    }
    if (typeof message === 'object' && message !== null && (message as { kind?: unknown }).kind === 'request') {
      const m = message as { method: string; params: unknown };
      this.requests.push({ method: m.method, params: m.params, pageId });
    }
    for (const listener of this.listeners) listener(message);
  }

  private createChannel(pageId: string): HostChannel {
    const page = this.page;
    const listeners = this.listeners;
    const transport: Transport = {
      send: (message) => {
        if (pageId !== this.pageId) return; // that page is gone
        page.evaluate((m) => window.postMessage(m, '*'), message as unknown).catch(() => undefined);
      },
      onMessage: (listener) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    };
    const channel: HostChannel = new RpcChannel(transport, (text) => this.errors.push(`host: ${text}`));
    const notify: HostContext['notify'] = (method, params) => {
      if (method === 'explorer/reset') this.limits = sessionLimits((params as ExplorerNotifications['explorer/reset']).snapshot);
      if (!channel.isClosed) channel.notify(method, params);
    };
    const handlers: { [M in keyof ExplorerRequests]?: ExplorerHandler<M> } = {};
    for (const method of Object.keys(this.handlers) as (keyof ExplorerRequests)[]) {
      const handler = this.handlers[method] as (params: unknown, context: HostContext) => unknown;
      (handlers as Record<string, unknown>)[method] = (params: unknown, context: HandlerContext) => handler(params, { ...context, notify });
    }
    const ready = handlers['explorer/ready'];
    if (ready) {
      handlers['explorer/ready'] = async (params, context) => {
        const init = await ready(params, context);
        this.limits = sessionLimits(init.snapshot);
        return init;
      };
    }
    const seek = handlers['explorer/seek'];
    if (seek) {
      // A seek opens another checkpoint: its snapshot bounds what the page may ask next, as in the panel.
      handlers['explorer/seek'] = async (params, context) => {
        const init = await seek(params, context);
        this.limits = sessionLimits(init.snapshot);
        return init;
      };
    }
    serveExplorer(channel, handlers, () => this.limits);
    return channel;
  }
}

// ---------------------------------------------------------------- page probes

export interface CanvasProbe {
  points: number;
  visible: number;
  status: string;
  width: number;
  height: number;
}

export function probeScatter(page: Page, method: 'umap' | 'pca'): Promise<CanvasProbe> {
  return page.evaluate((m) => {
    const canvas = document.querySelector<HTMLCanvasElement>(`canvas[data-view="scatter"][data-method="${m}"]`);
    if (!canvas) return { points: -1, visible: -1, status: 'missing', width: 0, height: 0 };
    return {
      points: Number(canvas.dataset.points),
      visible: Number(canvas.dataset.visible),
      status: canvas.dataset.status ?? '',
      width: canvas.width,
      height: canvas.height,
    };
  }, method);
}

export interface StatusEntry {
  method: string;
  status: string;
  at: number;
}

/** The statuses the maps went through since the page loaded. */
export function statusLog(page: Page): Promise<StatusEntry[]> {
  return page.evaluate(() => (window as unknown as { __lexStatusLog: StatusEntry[] }).__lexStatusLog);
}

/** Pixel colours of a canvas (RGBA, row-major) as the page holds them. */
export async function canvasPixels(page: Page, selector: string): Promise<{ width: number; height: number; data: number[] }> {
  return page.evaluate((s) => {
    const canvas = document.querySelector<HTMLCanvasElement>(s);
    if (!canvas) throw new Error(`no canvas ${s}`);
    const context = canvas.getContext('2d');
    if (!context) throw new Error('no context');
    const image = context.getImageData(0, 0, canvas.width, canvas.height);
    return { width: canvas.width, height: canvas.height, data: Array.from(image.data) };
  }, selector);
}

/** What a canvas holds, summarized in the page (cheap for big canvases): drawn pixels and distinct colours. */
export async function canvasColours(page: Page, selector: string): Promise<{ opaque: number; colours: Set<number> }> {
  const summary = await page.evaluate((s) => {
    const canvas = document.querySelector<HTMLCanvasElement>(s);
    const context = canvas?.getContext('2d');
    if (!canvas || !context) throw new Error(`no canvas ${s}`);
    const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
    const colours = new Set<number>();
    let opaque = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (data[i + 3] === 0) continue;
      opaque++;
      colours.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
    }
    return { opaque, colours: [...colours] };
  }, selector);
  return { opaque: summary.opaque, colours: new Set(summary.colours) };
}

/** How many pixels are not fully transparent, and the distinct opaque colours among them. */
export function summarizePixels(data: number[]): { opaque: number; colours: Set<number> } {
  let opaque = 0;
  const colours = new Set<number>();
  for (let i = 0; i < data.length; i += 4) {
    if (data[i + 3] === 0) continue;
    opaque++;
    colours.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
  }
  return { opaque, colours };
}

/** Viewport coordinates of a drawn point of a map (the first opaque pixel of its canvas). */
export async function pointOnMap(page: Page, method: 'umap' | 'pca'): Promise<{ x: number; y: number }> {
  const selector = `canvas[data-view="scatter"][data-method="${method}"]`;
  return page.evaluate((s) => {
    const canvas = document.querySelector<HTMLCanvasElement>(s);
    const context = canvas?.getContext('2d');
    if (!canvas || !context) throw new Error(`no canvas ${s}`);
    const { data, width } = context.getImageData(0, 0, canvas.width, canvas.height);
    for (let i = 3; i < data.length; i += 4) {
      if (data[i] === 0) continue;
      const p = (i - 3) / 4;
      const box = canvas.getBoundingClientRect();
      const scale = box.width / canvas.width;
      return { x: box.left + ((p % width) + 1) * scale, y: box.top + (Math.floor(p / width) + 1) * scale };
    }
    throw new Error(`nothing drawn on ${s}`);
  }, selector);
}

/** A cheap fingerprint of a canvas's pixels (to tell whether it was redrawn differently). */
export async function canvasHash(page: Page, selector: string): Promise<string> {
  return page.evaluate((s) => {
    const canvas = document.querySelector<HTMLCanvasElement>(s);
    const context = canvas?.getContext('2d');
    if (!canvas || !context) throw new Error(`no canvas ${s}`);
    const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
    let h1 = 0x811c9dc5;
    let h2 = 0;
    for (let i = 0; i < data.length; i++) {
      h1 = Math.imul(h1 ^ data[i], 16777619);
      h2 = (h2 + data[i] * (i + 1)) % 2147483647;
    }
    return `${(h1 >>> 0).toString(16)}-${h2.toString(16)}`;
  }, selector);
}

/** Waits until `check` returns a value (not undefined/false), polling; throws with `describe()` on timeout. */
export async function waitFor<T>(check: () => Promise<T | undefined | false>, timeoutMs: number, what: string, describe?: () => Promise<string>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${describe ? `: ${await describe()}` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Picks an option of a toolkit dropdown the way a user does: open it, click the option. */
export async function chooseOption(page: Page, control: string, value: string): Promise<void> {
  const dropdown = page.locator(`[data-control="${control}"]`);
  await dropdown.click();
  await dropdown.locator(`vscode-option[value="${value}"]`).click();
  await waitFor(async () => (await dropdown.evaluate((d) => (d as HTMLElement & { value: string }).value)) === value, 5000, `${control} = ${value}`);
}
