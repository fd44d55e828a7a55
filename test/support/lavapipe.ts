// Mesa's software Vulkan driver (lavapipe, the "llvmpipe" adapter), so Dawn finds an adapter on a
// machine without a GPU, as CI is. Debian 12's own mesa-vulkan-drivers (22.3) is too old for Dawn;
// the one in bookworm-backports (25.x) works. Installs itself like chromium and code-server do, as
// root with apt; anything it cannot get is an error, never a skip.

import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from './codeServer';

const PACKAGE = 'mesa-vulkan-drivers';
const MIN_VERSION = '25';
const BACKPORTS_SOURCE = '/etc/apt/sources.list.d/latent-explorer-backports.sources';

async function installedVersion(): Promise<string | undefined> {
  try {
    const { stdout } = await run('dpkg-query', ['-W', '-f=${Status} ${Version}', PACKAGE], { timeoutMs: 10_000 });
    const match = /install ok installed (\S+)/.exec(stdout);
    return match?.[1];
  } catch {
    return undefined;
  }
}

async function newEnough(version: string): Promise<boolean> {
  try {
    await run('dpkg', ['--compare-versions', version, 'ge', MIN_VERSION], { timeoutMs: 10_000 });
    return true;
  } catch {
    return false;
  }
}

/** True when some apt source already lists bookworm-backports. */
function hasBackports(): boolean {
  const dirs = ['/etc/apt/sources.list.d'];
  const files = ['/etc/apt/sources.list', ...dirs.flatMap((d) => (existsSync(d) ? readdirSync(d).map((f) => join(d, f)) : []))];
  return files.some((f) => /\.(list|sources)$/.test(f) && existsSync(f) && /bookworm-backports/.test(readFileSync(f, 'utf8')));
}

/**
 * Makes sure lavapipe from bookworm-backports is installed and returns the environment Dawn wants
 * (XDG_RUNTIME_DIR, a private folder, which Mesa's Vulkan loader expects), to merge into a child's.
 */
export async function ensureLavapipe(): Promise<{ XDG_RUNTIME_DIR: string }> {
  const version = await installedVersion();
  if (!version || !(await newEnough(version))) {
    process.stderr.write(`[lavapipe] installing ${PACKAGE} from bookworm-backports (found ${version ?? 'none'})\n`);
    if (!hasBackports()) {
      writeFileSync(BACKPORTS_SOURCE, 'Types: deb\nURIs: http://deb.debian.org/debian\nSuites: bookworm-backports\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n');
    }
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    await run('apt-get', ['update', '-q'], { env, timeoutMs: 5 * 60_000 });
    await run('apt-get', ['install', '-y', '-q', '-t', 'bookworm-backports', PACKAGE], { env, timeoutMs: 10 * 60_000 });
    const now = await installedVersion();
    if (!now || !(await newEnough(now))) throw new Error(`${PACKAGE} ${MIN_VERSION} or newer is needed for Dawn; apt installed ${now ?? 'nothing'}`);
  }
  const runtimeDir = process.env.XDG_RUNTIME_DIR && existsSync(process.env.XDG_RUNTIME_DIR) ? process.env.XDG_RUNTIME_DIR : join(tmpdir(), `latent-explorer-xdg-${process.getuid?.() ?? 0}`);
  mkdirSync(runtimeDir, { recursive: true });
  chmodSync(runtimeDir, 0o700);
  return { XDG_RUNTIME_DIR: runtimeDir };
}
