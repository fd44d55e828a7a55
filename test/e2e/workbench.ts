// What every end-to-end suite does around its steps: start code-server with the packaged .vsix in a
// fresh profile, open its workbench in Chromium, and afterwards keep the last screen and the logs in
// a git-ignored folder for a look after a failure. Plus the few workbench gestures they all use.

import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { launchChromium } from '../support/chromium';
import { REPO } from '../support/cli';
import { ensureCodeServer, freshVsix, packageExtension, startCodeServer, type CodeServerInstance } from '../support/codeServer';

/** Where the suites write the screenshots the README shows. */
export const IMAGES = join(REPO, 'docs', 'images');
const VIEWPORT = { width: 1440, height: 900 };

export interface Workbench {
  server: CodeServerInstance;
  browser: Browser;
  page: Page;
}

export interface WorkbenchOptions {
  workspace: string;
  profileDir: string;
  settings?: Record<string, unknown>;
  /** The .vsix to install (default the universal one); packed by `npm run package` when stale. */
  vsix?: string;
  /** Environment for code-server, the extension host and the engine, on top of ours. */
  env?: NodeJS.ProcessEnv;
  /** Progress lines (`[e2e] 3.4 s: …`), so a slow step shows in CI's log. */
  stamp?: (what: string) => void;
}

/** Starts code-server with the extension installed and opens its workbench (the .vsix is packed only when stale). */
export async function openWorkbench(options: WorkbenchOptions): Promise<Workbench> {
  const stamp = options.stamp ?? (() => undefined);
  mkdirSync(IMAGES, { recursive: true });
  await ensureCodeServer();
  const vsix = freshVsix(options.vsix) ?? (await packageExtension(options.vsix));
  stamp(`packaged ${vsix}`);
  const server = await startCodeServer({ workspace: options.workspace, profileDir: options.profileDir, vsix, settings: options.settings, env: options.env });
  stamp(`code-server at ${server.url}`);
  let browser: Browser | undefined;
  try {
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: VIEWPORT });
    page.setDefaultTimeout(30_000);
    await page.goto(server.url, { timeout: 60_000 });
    await page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
    await page.locator('.part.activitybar').waitFor({ timeout: 60_000 });
    stamp('workbench loaded');
    return { server, browser, page };
  } catch (error) {
    await browser?.close().catch(() => undefined);
    await server.stop();
    throw error;
  }
}

/** Closes everything, keeping the last screen, code-server's output and the VS Code logs in `debugDir`. */
export async function closeWorkbench(workbench: Workbench | undefined, debugDir: string): Promise<void> {
  rmSync(debugDir, { recursive: true, force: true });
  mkdirSync(debugDir, { recursive: true });
  if (!workbench) return;
  await workbench.page.screenshot({ path: join(debugDir, 'last.png') }).catch(() => undefined);
  await workbench.browser.close().catch(() => undefined);
  await workbench.server.stop();
  writeFileSync(join(debugDir, 'code-server.log'), workbench.server.output());
  cpSync(join(workbench.server.userDataDir, 'logs'), join(debugDir, 'logs'), { recursive: true, force: true });
}

/** A row of a tree in the sidebar, by its text. */
export function treeRow(page: Page, label: string) {
  return page.locator('.part.sidebar .monaco-list-row', { hasText: label });
}

/**
 * Right-clicks `target`, highlights the menu item `item` and presses Enter, until `opened` shows.
 * VS Code's menus act on the keyboard or on their own mouse handling, not on a synthetic click; and a menu
 * still opening (or closed by a tree refresh) lets the key go elsewhere. So: highlight, wait until the item
 * really is the focused one, Enter, and start again from Escape if what the item opens does not appear
 * within `attemptMs`.
 */
export async function chooseFromContextMenu(page: Page, target: Locator, item: string, opened: Locator, options: { attemptMs?: number; timeoutMs?: number } = {}): Promise<void> {
  await waitFor(
    async () => {
      await page.keyboard.press('Escape');
      await target.click({ button: 'right' });
      const entry = page.locator('.context-view .action-item', { hasText: item });
      await entry.hover({ timeout: 10_000 });
      await waitFor(async () => entry.evaluate((el) => el.classList.contains('focused')), 5000, `"${item}" highlighted in the menu`);
      await page.keyboard.press('Enter');
      return opened.waitFor({ timeout: options.attemptMs ?? 8000 }).then(() => true);
    },
    options.timeoutMs ?? 60_000,
    `what "${item}" opens`,
  );
}

/** F1, type the command's name, Enter. */
export async function runCommand(page: Page, name: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${name}`);
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: name }).first().waitFor();
  await page.keyboard.press('Enter');
}

/** Polls until `check` returns something truthy; fails with `what` (and `describe()`) after `timeoutMs`. */
export async function waitFor<T>(check: () => Promise<T | undefined | false>, timeoutMs: number, what: string, describe?: () => Promise<string>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value) return value as T;
    } catch (error) {
      lastError = error;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  const state = describe ? await describe().catch(() => '') : '';
  throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${state ? `: ${state}` : ''}${lastError ? ` (${String(lastError)})` : ''}`);
}

/**
 * Shows the Latent Explorer sidebar. Its activity-bar icon toggles: a click while the view is open
 * closes it, so click only when the view is not already the one showing.
 */
export async function showLatentExplorerSidebar(page: Page): Promise<void> {
  const icon = page.locator('.part.activitybar [aria-label^="Latent Explorer"]').first();
  await icon.waitFor({ timeout: 60_000 });
  const open = async (): Promise<boolean> => (await page.locator('.part.sidebar .pane-header', { hasText: /Runs/i }).count()) > 0 && (await page.locator('.part.sidebar').isVisible());
  if (await open()) return;
  await icon.click();
  await waitFor(open, 20_000, 'the Latent Explorer sidebar to show its Runs view', async () => page.locator('.part.sidebar').innerText().catch(() => 'no sidebar'));
}
