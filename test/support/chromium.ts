// Debian's Chromium driven by playwright-core (which downloads no browser of its own). The browser
// suites install it themselves when it is missing: CI is a clean machine with apt.

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/** Installs Debian's chromium when /usr/bin/chromium is missing; throws when it cannot. */
export function ensureChromium(): string {
  if (existsSync(CHROMIUM)) return CHROMIUM;
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-q'], { env, stdio: 'inherit', timeout: 5 * 60_000 });
  execFileSync('apt-get', ['install', '-y', '-q', 'chromium'], { env, stdio: 'inherit', timeout: 10 * 60_000 });
  if (!existsSync(CHROMIUM)) throw new Error(`apt-get install chromium did not provide ${CHROMIUM}`);
  return CHROMIUM;
}

/** A headless Chromium (Playwright gives it a fresh profile), quiet on this machine's closed network. */
export async function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  ensureChromium();
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    timeout: 60_000,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      ...extraArgs,
    ],
  });
}
