// A real VS Code for the end-to-end suite: code-server, installed outside the project's dependencies
// (in a cache folder, once per machine), with our packaged .vsix installed into a throw-away profile.
// CI is a clean machine with apt and the npm registry only, so everything here installs itself, and
// anything it cannot get is an error: the suite must fail, never skip.

import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO } from './cli';

export const CODE_SERVER_VERSION = '4.100.3';
/** The @vscode/ripgrep that code-server's VS Code depends on, and the prebuilt it would download. */
const RIPGREP_PACKAGE_VERSION = '1.15.11';
const RIPGREP_ASSET = 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz';
const DEBIAN_PACKAGES = ['libkrb5-dev', 'ripgrep'];

export const CACHE_DIR = join(homedir(), '.cache', 'latent-explorer-test');
const PREFIX = join(CACHE_DIR, `code-server-${CODE_SERVER_VERSION}`);
export const CODE_SERVER_BIN = join(PREFIX, 'node_modules', '.bin', 'code-server');
export const VSIX = join(REPO, 'latent-explorer.vsix');
/** The package `npm run package` writes for one Marketplace target (e.g. linux-x64), carrying its Dawn binary. */
export function platformVsix(target: string): string {
  return join(REPO, `latent-explorer-${target}.vsix`);
}

interface RunResult {
  stdout: string;
  stderr: string;
}

/** Runs a command to completion; rejects with its output when it fails or outlives `timeoutMs`. */
export function run(
  command: string,
  args: string[],
  /** `env` replaces the environment (see cleanEnv); without it the child inherits ours. */
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      {
        cwd: options.cwd,
        env: options.env ?? process.env,
        timeout: options.timeoutMs ?? 120_000,
        killSignal: 'SIGKILL',
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        if (error) {
          const tail = `${stdout}\n${stderr}`.trim().split('\n').slice(-40).join('\n');
          reject(new Error(`${command} ${args.join(' ')} failed: ${error.message}\n${tail}`));
        } else {
          resolve({ stdout, stderr });
        }
      },
    );
  });
}

/**
 * The environment without what an outer npm or VS Code put there: `npm test` exports npm_config_*
 * (a local prefix among them) and a VS Code terminal exports VSCODE_* hooks that code-server's CLI
 * would follow into that other VS Code.
 */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(npm_|VSCODE_|ELECTRON_RUN_AS_NODE$|NODE_OPTIONS$)/i.test(key)) env[key] = value;
  }
  return { ...env, ...extra };
}

function log(message: string): void {
  process.stderr.write(`[e2e] ${message}\n`);
}

async function isDebianPackageInstalled(name: string): Promise<boolean> {
  try {
    const { stdout } = await run('dpkg-query', ['-W', '-f=${Status}', name], { timeoutMs: 10_000 });
    return stdout.includes('install ok installed');
  } catch {
    return false;
  }
}

/** Installs Debian packages that are missing (the suite runs as root on CI, as apt needs). */
export async function ensureDebianPackages(names: string[]): Promise<void> {
  const missing: string[] = [];
  for (const name of names) if (!(await isDebianPackageInstalled(name))) missing.push(name);
  if (missing.length === 0) return;
  log(`apt-get install ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  await run('apt-get', ['update', '-q'], { env, timeoutMs: 5 * 60_000 });
  await run('apt-get', ['install', '-y', '-q', ...missing], { env, timeoutMs: 10 * 60_000 });
}

/**
 * code-server's installer builds VS Code's native modules (kerberos needs libkrb5-dev) and has
 * @vscode/ripgrep download a prebuilt `rg` from GitHub, which this network cannot reach. That
 * package first looks in its download cache, so we seed the cache with Debian's rg.
 */
function seedRipgrepCache(): Promise<RunResult> | undefined {
  const cacheDir = join(tmpdir(), `vscode-ripgrep-cache-${RIPGREP_PACKAGE_VERSION}`);
  const archive = join(cacheDir, RIPGREP_ASSET);
  if (existsSync(archive) && statSync(archive).size > 0) return undefined;
  mkdirSync(cacheDir, { recursive: true });
  const staging = mkdtempSync(join(tmpdir(), 'rg-seed-'));
  copyFileSync('/usr/bin/rg', join(staging, 'rg'));
  return run('tar', ['czf', archive, '-C', staging, 'rg']).finally(() => rmSync(staging, { recursive: true, force: true }));
}

async function codeServerWorks(): Promise<boolean> {
  if (!existsSync(CODE_SERVER_BIN)) return false;
  try {
    const { stdout } = await run(CODE_SERVER_BIN, ['--version'], { env: cleanEnv(), timeoutMs: 60_000 });
    return stdout.split('\n').some((line) => line.startsWith(`${CODE_SERVER_VERSION} `));
  } catch {
    return false;
  }
}

/** Installs code-server into the cache folder unless a working one is there already. */
export async function ensureCodeServer(): Promise<string> {
  await ensureDebianPackages(DEBIAN_PACKAGES);
  if (await codeServerWorks()) return CODE_SERVER_BIN;
  log(`installing code-server ${CODE_SERVER_VERSION} into ${PREFIX} (once per machine; a few minutes)`);
  await seedRipgrepCache();
  rmSync(PREFIX, { recursive: true, force: true });
  mkdirSync(PREFIX, { recursive: true });
  // A package.json of its own, so npm neither walks up into another project nor reads its .npmrc.
  writeFileSync(join(PREFIX, 'package.json'), JSON.stringify({ name: 'latent-explorer-test-code-server', private: true }));
  await run('npm', ['install', '--unsafe-perm', '--no-audit', '--no-fund', '--prefix', PREFIX, `code-server@${CODE_SERVER_VERSION}`], {
    cwd: PREFIX,
    env: cleanEnv({ npm_config_yes: 'true' }),
    timeoutMs: 20 * 60_000,
  });
  if (!(await codeServerWorks())) throw new Error(`code-server ${CODE_SERVER_VERSION} installed but does not run: ${CODE_SERVER_BIN}`);
  return CODE_SERVER_BIN;
}

/**
 * The .vsix to test without packing again: the one LATENT_EXPLORER_VSIX names (for the universal
 * package), or the packed `vsix` when it is newer than everything that goes into it; undefined otherwise.
 */
export function freshVsix(vsix: string = VSIX): string | undefined {
  const named = process.env.LATENT_EXPLORER_VSIX;
  if (named && vsix === VSIX) {
    if (!existsSync(named)) throw new Error(`LATENT_EXPLORER_VSIX names ${named}, which does not exist`);
    return named;
  }
  if (!existsSync(vsix)) return undefined;
  const packed = statSync(vsix).mtimeMs;
  const inputs = ['src', 'media', 'scripts', 'package.json', 'README.md', '.vscodeignore'].map((p) => join(REPO, p));
  return newestMtime(inputs) < packed ? vsix : undefined;
}

function newestMtime(paths: string[]): number {
  let newest = 0;
  for (const path of paths) {
    if (!existsSync(path)) continue;
    const stat = statSync(path);
    newest = Math.max(newest, stat.mtimeMs);
    if (stat.isDirectory()) newest = Math.max(newest, newestMtime(readdirSync(path).map((name) => join(path, name))));
  }
  return newest;
}

/** Builds the production bundles and packs the .vsix files, as `npm run package` does for a release; returns `vsix`. */
export async function packageExtension(vsix: string = VSIX): Promise<string> {
  log('npm run package');
  await run('npm', ['run', 'package'], { cwd: REPO, timeoutMs: 5 * 60_000 });
  if (!existsSync(vsix)) throw new Error(`npm run package did not write ${vsix}`);
  // Packing leaves minified bundles without source maps in dist/; the suites after this one (the CLI's
  // --debug stacks among them) test the development build `npm test` made, so put it back.
  await run(process.execPath, [join(REPO, 'scripts', 'build.mjs')], { cwd: REPO, timeoutMs: 5 * 60_000 });
  return vsix;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface CodeServerInstance {
  url: string;
  /** The folder opened as the workspace. */
  workspace: string;
  userDataDir: string;
  extensionsDir: string;
  /** Everything code-server printed, for failure messages. */
  output(): string;
  /** Kills code-server (and the extension host and engine it started). */
  stop(): Promise<void>;
}

export interface StartOptions {
  workspace: string;
  /** Parent folder for the profile (user data and extensions). */
  profileDir: string;
  vsix: string;
  /** User settings on top of the test defaults. */
  settings?: Record<string, unknown>;
  /** Environment for code-server and what it starts (the extension host, the engine), on top of ours. */
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

const TEST_SETTINGS: Record<string, unknown> = {
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'workbench.colorTheme': 'Default Dark Modern',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'chat.disableAIFeatures': true,
  'window.menuBarVisibility': 'compact',
};

/** Installs the .vsix into a fresh profile and starts code-server on a free loopback port. */
export async function startCodeServer(options: StartOptions): Promise<CodeServerInstance> {
  const bin = await ensureCodeServer();
  const userDataDir = join(options.profileDir, 'user-data');
  const extensionsDir = join(options.profileDir, 'extensions');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...TEST_SETTINGS, ...options.settings }, null, 2));
  // A config file of its own, so code-server neither reads nor writes ~/.config/code-server.
  const configFile = join(options.profileDir, 'config.yaml');
  writeFileSync(configFile, 'auth: none\ncert: false\n');
  const dirs = ['--config', configFile, '--extensions-dir', extensionsDir, '--user-data-dir', userDataDir];
  const installed = await run(bin, [...dirs, '--install-extension', options.vsix], { env: cleanEnv(options.env), timeoutMs: 120_000 });
  if (!/successfully installed/i.test(installed.stdout + installed.stderr)) {
    throw new Error(`Installing ${options.vsix} said:\n${installed.stdout}${installed.stderr}`);
  }
  const port = await freePort();
  const child = spawn(
    bin,
    ['--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', ...dirs, options.workspace],
    { stdio: ['ignore', 'pipe', 'pipe'], detached: true, env: cleanEnv(options.env) },
  );
  let output = '';
  const collect = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-200_000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const instance: CodeServerInstance = {
    url: `http://127.0.0.1:${port}/?folder=${encodeURIComponent(options.workspace)}`,
    workspace: options.workspace,
    userDataDir,
    extensionsDir,
    output: () => output,
    stop: () => stopProcessGroup(child),
  };
  try {
    await waitForHttp(`http://127.0.0.1:${port}/healthz`, child, options.timeoutMs ?? 60_000);
  } catch (error) {
    await instance.stop();
    throw new Error(`${error instanceof Error ? error.message : String(error)}\ncode-server said:\n${output.slice(-4000)}`);
  }
  return instance;
}

async function waitForHttp(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`code-server exited (${child.exitCode ?? child.signalCode})`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`code-server did not answer ${url} within ${timeoutMs} ms`);
}

/** code-server starts the extension host, which starts our engine: kill the whole group. */
function stopProcessGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return Promise.resolve();
  const pid = child.pid;
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // gone already
      }
      resolve();
    }, 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      try {
        process.kill(-pid, 'SIGKILL'); // children that outlived their parent
      } catch {
        // none left
      }
      resolve();
    });
    try {
      process.kill(-pid, 'SIGTERM');
    } catch {
      clearTimeout(timer);
      resolve();
    }
  });
}

/** The version string of the installed code-server's VS Code, for the report. */
export function codeServerVscodeVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(join(PREFIX, 'node_modules', 'code-server', 'lib', 'vscode', 'package.json'), 'utf8')) as { version?: string };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
