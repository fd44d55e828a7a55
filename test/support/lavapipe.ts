// Mesa's software Vulkan driver (lavapipe, adapter "llvmpipe"), so the webgpu backend runs on a machine
// with no GPU, as CI is. Debian bookworm's own mesa-vulkan-drivers (22.3) is too old for Dawn; the
// bookworm-backports build (25.x) works. The suites install it themselves when it is missing, like
// chromium, and throw when they cannot: a webgpu test never skips.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PACKAGE = 'mesa-vulkan-drivers';
const MIN_MAJOR = 25;
const BACKPORTS_LIST = '/etc/apt/sources.list.d/latent-explorer-backports.sources';

function installedMajor(): number | undefined {
  try {
    const version = execFileSync('dpkg-query', ['-W', '-f=${Status} ${Version}', PACKAGE], { encoding: 'utf8' });
    if (!version.includes('install ok installed')) return undefined;
    return Number(/installed (\d+)\./.exec(version)?.[1]);
  } catch {
    return undefined;
  }
}

/** The suite of Debian this machine runs (bookworm), for its -backports. */
function debianSuite(): string {
  const release = execFileSync('sh', ['-c', '. /etc/os-release && echo "$VERSION_CODENAME"'], { encoding: 'utf8' }).trim();
  if (!release) throw new Error('lavapipe: cannot tell which Debian release this is (/etc/os-release has no VERSION_CODENAME)');
  return release;
}

/** Installs lavapipe ≥ 25 from backports when missing; sets XDG_RUNTIME_DIR for Dawn. Throws when it cannot. */
export function ensureLavapipe(): void {
  if ((installedMajor() ?? 0) < MIN_MAJOR) {
    const suite = debianSuite();
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    if (!existsSync(BACKPORTS_LIST)) {
      writeFileSync(
        BACKPORTS_LIST,
        `Types: deb\nURIs: http://deb.debian.org/debian\nSuites: ${suite}-backports\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n`,
      );
    }
    execFileSync('apt-get', ['update', '-q'], { env, stdio: 'inherit', timeout: 5 * 60_000 });
    execFileSync('apt-get', ['install', '-y', '-q', '-t', `${suite}-backports`, PACKAGE], { env, stdio: 'inherit', timeout: 10 * 60_000 });
    const major = installedMajor() ?? 0;
    if (major < MIN_MAJOR) throw new Error(`lavapipe: ${PACKAGE} ${major} is installed, Dawn needs ${MIN_MAJOR} or newer`);
  }
  process.env.XDG_RUNTIME_DIR = webgpuRuntimeDir();
}

/** A private runtime folder (0700) as Vulkan's loader wants; the environment's own when it has one. */
export function webgpuRuntimeDir(): string {
  const existing = process.env.XDG_RUNTIME_DIR;
  if (existing && existsSync(existing)) return existing;
  const dir = join(tmpdir(), `latent-explorer-xdg-${process.getuid?.() ?? 0}`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}
