// Decoding many images without stalling: a pool of worker threads (one per core the process may
// use), each reading and decoding files while the others do, their pixels written straight into
// one byte buffer at each image's row. Small folders, and a build without the worker's bundle,
// decode on this thread with the same function, so both paths give the same bytes.

import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { EngineError, type SerializedEngineError } from '../../shared/errors';
import { decodeImageFile, type DecodeOptions } from './imageDecode';

export interface DecodeTask {
  index: number;
  path: string;
}

export type DecodeReply = { index: number; pixels: Uint8Array } | { index: number; error: SerializedEngineError };

export interface DecodeImagesOptions extends DecodeOptions {
  /** Worker threads; 0 decodes on this thread. Default: one per available core for POOL_MIN_IMAGES or more. */
  workers?: number;
  /** Images decoded so far and in all; throttled, and called once at the end. */
  onProgress?: (done: number, total: number) => void;
  /** Stops decoding (the threads at once) with a `cancelled` error. */
  signal?: AbortSignal;
  /** Told how the images are decoded (in how many threads), once at the start. */
  onLog?: (message: string) => void;
}

/** Below this many images, starting threads costs more than it saves. */
const POOL_MIN_IMAGES = 64;
/** Files each worker has in hand, so one is read while another decodes. */
const IN_FLIGHT_PER_WORKER = 2;
const PROGRESS_INTERVAL_MS = 1000;
const WORKER_BUNDLE = 'imageDecodeWorker.js';

/** Decodes `paths` into `into`, image i at bytes [i·n, (i+1)·n) with n = size²·channels. */
export async function decodeImages(paths: readonly string[], into: Uint8Array, options: DecodeImagesOptions): Promise<void> {
  const rowBytes = options.size * options.size * options.channels;
  if (into.length !== paths.length * rowBytes) throw new Error(`decodeImages: ${into.length} bytes for ${paths.length} images of ${rowBytes}`);
  const progress = throttledProgress(paths.length, options.onProgress);
  const entry = workerEntry();
  const workers = Math.min(paths.length, options.workers ?? (paths.length >= POOL_MIN_IMAGES ? availableParallelism() : 0));
  if (options.signal?.aborted) throw cancelled();
  if (workers > 0 && entry) {
    options.onLog?.(`Decoding ${paths.length} images in ${workers} worker thread${workers === 1 ? '' : 's'}`);
    await decodeInWorkers(entry, workers, paths, into, options, progress);
  } else {
    options.onLog?.(`Decoding ${paths.length} images${workers > 0 ? ` on one thread (no ${WORKER_BUNDLE} beside ${__dirname})` : ''}`);
    for (let i = 0; i < paths.length; i++) {
      if (options.signal?.aborted) throw cancelled();
      into.set(await decodeImageFile(paths[i], options), i * rowBytes);
      progress(i + 1);
    }
  }
  progress(paths.length, true);
}

/**
 * The worker's script: the bundle beside the running bundle (dist/imageDecodeWorker.js), or this
 * folder's TypeScript when running from the sources (tsx, which worker threads inherit); undefined
 * when neither is there (a bundle copied alone), and decoding stays on this thread.
 */
function workerEntry(): string | undefined {
  return [join(__dirname, WORKER_BUNDLE), join(__dirname, 'imageDecodeWorker.ts')].find((path) => existsSync(path));
}

/**
 * A worker on the bundle, or on the TypeScript source through tsx's require hook: the `--import tsx`
 * a test runs with does not reach worker threads, so the hook is loaded in the worker from the
 * source's own folder (tsx is a development dependency, there only when the sources are).
 */
function startWorker(entry: string, workerData: DecodeOptions): Worker {
  if (entry.endsWith('.js')) return new Worker(entry, { workerData });
  const load = `const local = require('node:module').createRequire(${JSON.stringify(entry)}); local('tsx/cjs'); local(${JSON.stringify(entry)});`;
  return new Worker(load, { eval: true, workerData });
}

function decodeInWorkers(
  entry: string,
  count: number,
  paths: readonly string[],
  into: Uint8Array,
  options: DecodeImagesOptions,
  progress: (done: number) => void,
): Promise<void> {
  const rowBytes = options.size * options.size * options.channels;
  const decodeOptions: DecodeOptions = { size: options.size, channels: options.channels, crop: options.crop };
  const pool = Array.from({ length: count }, () => startWorker(entry, decodeOptions));
  let next = 0;
  let done = 0;
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    const onAbort = (): void => finish(cancelled());
    const finish = (error?: Error): void => {
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener('abort', onAbort);
      // Workers hold no state worth keeping: stop them at once, the rest of their queue with them.
      for (const worker of pool) void worker.terminate();
      if (error) reject(error);
      else resolve();
    };
    const feed = (worker: Worker): void => {
      if (next < paths.length) {
        worker.postMessage({ index: next, path: paths[next] } satisfies DecodeTask);
        next++;
      }
    };
    for (const worker of pool) {
      worker.on('message', (reply: DecodeReply) => {
        if (settled) return;
        if ('error' in reply) {
          finish(EngineError.fromJSON(reply.error));
          return;
        }
        into.set(reply.pixels, reply.index * rowBytes);
        done++;
        progress(done);
        if (done === paths.length) finish();
        else feed(worker);
      });
      worker.on('error', (error) => finish(new EngineError('internal', `An image-decoding thread failed: ${error.message}`)));
      worker.on('exit', (code) => {
        if (!settled) finish(new EngineError('internal', `An image-decoding thread stopped (exit code ${code}) before the images were decoded`));
      });
      for (let k = 0; k < IN_FLIGHT_PER_WORKER; k++) feed(worker);
    }
    options.signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function cancelled(): EngineError {
  return new EngineError('cancelled', 'Loading the images was cancelled');
}

function throttledProgress(total: number, report: ((done: number, total: number) => void) | undefined): (done: number, last?: boolean) => void {
  let reportedAt = 0;
  let reported = -1;
  return (done, last = false) => {
    if (!report || done === reported) return;
    const now = Date.now();
    if (!last && now - reportedAt < PROGRESS_INTERVAL_MS) return;
    reportedAt = now;
    reported = done;
    report(done, total);
  };
}
