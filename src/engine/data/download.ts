// Downloading a file into a cache folder so that the cache only ever holds complete, verified files:
// the bytes stream into a `.tmp-*` file beside the destination, are checked, and only then renamed
// into place. A failed or rejected download leaves nothing behind.

import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import * as http from 'node:http';
import * as https from 'node:https';
import { basename, dirname, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { badInput, EngineError } from '../../shared/errors';
import { formatBytes } from './fileBytes';

/** Bytes received so far and the total, when the server says it. */
export type ProgressCallback = (received: number, total: number | null) => void;

export interface DownloadOptions {
  /** Give up after this long without a byte from the server (default 30 s). */
  timeoutMs?: number;
  /** Refuse a download larger than this (default 256 MiB). */
  maxBytes?: number;
  onProgress?: ProgressCallback;
}

export const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_BYTES = 256 * 2 ** 20;
const MAX_REDIRECTS = 5;
/** Progress is reported at most this often, and once at the end. */
const PROGRESS_INTERVAL_MS = 250;
/** Temp files older than this are leftovers of a killed download, not one in progress. */
const STALE_TEMP_MS = 60 * 60 * 1000;

/**
 * Downloads `url` to `destination`, passing the complete bytes to `check` (which throws to reject
 * them) before the file takes its name. Returns the bytes.
 */
export async function downloadFile(
  url: string,
  destination: string,
  check: (bytes: Uint8Array) => void,
  options: DownloadOptions = {},
): Promise<Uint8Array> {
  const { timeoutMs = DEFAULT_TIMEOUT_MS, maxBytes = DEFAULT_MAX_BYTES, onProgress } = options;
  const folder = dirname(destination);
  const prefix = `.tmp-${basename(destination)}-`;
  const temp = join(folder, `${prefix}${randomBytes(6).toString('hex')}`);
  try {
    await mkdir(folder, { recursive: true });
    await removeStaleTemps(folder, prefix);
    const timer = { timedOut: false };
    const response = await openResponse(url, timeoutMs, timer);
    const total = parseLength(response.headers['content-length']);
    if (total !== null && total > maxBytes) {
      response.destroy();
      throw badInput(`${url} is ${formatBytes(total)}, more than the ${formatBytes(maxBytes)} expected of it`);
    }
    let received = 0;
    let reported = 0;
    onProgress?.(0, total);
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        received += chunk.length;
        if (received > maxBytes) {
          callback(badInput(`${url} sent more than the ${formatBytes(maxBytes)} expected of it`));
          return;
        }
        const now = Date.now();
        if (onProgress && now - reported >= PROGRESS_INTERVAL_MS) {
          reported = now;
          onProgress(received, total);
        }
        callback(null, chunk);
      },
    });
    try {
      await pipeline(response, counter, createWriteStream(temp, { flags: 'wx' }));
    } catch (error) {
      if (timer.timedOut) throw new EngineError('timeout', `The download of ${url} stalled: nothing arrived for ${timeoutMs / 1000} s`);
      throw error instanceof EngineError || (error as NodeJS.ErrnoException).syscall !== undefined ? EngineError.from(error) : networkError(error, url);
    }
    if (total !== null && received !== total) throw new EngineError('io', `The download of ${url} ended after ${received} of ${total} bytes`);
    onProgress?.(received, total);
    const bytes = new Uint8Array(await readFile(temp));
    check(bytes);
    await rename(temp, destination);
    return bytes;
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw error instanceof EngineError ? error : EngineError.from(error);
  }
}

/** The 200 response for `url`, following redirects; any other status is an error naming the URL. */
async function openResponse(url: string, timeoutMs: number, timer: { timedOut: boolean }, redirects = MAX_REDIRECTS): Promise<http.IncomingMessage> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw badInput(`Cannot download "${url}": it is not a URL`);
  }
  const client = parsed.protocol === 'https:' ? https : parsed.protocol === 'http:' ? http : undefined;
  if (!client) throw badInput(`Cannot download ${url}: only http and https URLs are supported`);
  const response = await new Promise<http.IncomingMessage>((resolve, reject) => {
    const request = client.get(parsed, { headers: { 'user-agent': 'latent-explorer' }, timeout: timeoutMs }, resolve);
    // The socket timeout also covers the body: a server that stops sending mid-file is noticed too.
    request.on('timeout', () => {
      timer.timedOut = true;
      request.destroy(new EngineError('timeout', `No answer from ${url} within ${timeoutMs / 1000} s`));
    });
    request.on('error', (error) => reject(error instanceof EngineError ? error : networkError(error, url)));
  });
  const status = response.statusCode ?? 0;
  const location = response.headers.location;
  if (status >= 300 && status < 400 && location) {
    response.resume();
    if (redirects === 0) throw new EngineError('io', `Too many redirects downloading ${url}`);
    return openResponse(new URL(location, parsed).toString(), timeoutMs, timer, redirects - 1);
  }
  if (status !== 200) {
    response.resume();
    const answer = `HTTP ${status}${response.statusMessage ? ` ${response.statusMessage}` : ''}`;
    if (status === 404 || status === 410) throw new EngineError('not-found', `${url} does not exist on the server (${answer})`);
    throw new EngineError('io', `Could not download ${url}: the server answered ${answer}`);
  }
  return response;
}

function networkError(error: unknown, url: string): EngineError {
  const errno = (error as NodeJS.ErrnoException).code;
  const message = error instanceof Error ? error.message : String(error);
  return new EngineError('io', `Could not download ${url}: ${message}. Check the network connection, or point the mirror option at another copy`, errno ? { errno } : undefined);
}

function parseLength(header: string | undefined): number | null {
  if (header === undefined || !/^\d+$/.test(header)) return null;
  return Number(header);
}

async function removeStaleTemps(folder: string, prefix: string): Promise<void> {
  const now = Date.now();
  for (const name of await readdir(folder).catch(() => [])) {
    if (!name.startsWith(prefix)) continue;
    const path = join(folder, name);
    const info = await stat(path).catch(() => undefined);
    if (info && now - info.mtimeMs > STALE_TEMP_MS) await rm(path, { force: true }).catch(() => undefined);
  }
}
